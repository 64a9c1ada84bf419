import { createHmac, randomBytes } from 'node:crypto';
import {
  failureWindowSeconds,
  lockDurationSeconds,
  type SignInLock,
  type SignInThrottle,
  sourcePolicy,
  type ThrottlePolicy,
  unknownSourcesPolicy,
} from '../../domain/accounts/sign-in-throttle.ts';
import type { Sql } from './sql.ts';

/** The account-wide row: failures from sources the account never signed in from. */
const UNKNOWN_SOURCES = '*';

/**
 * The HMAC key of the sources. SQLite's migration made it (randomblob); PostgreSQL's cannot
 * without pgcrypto, so the first node to need it stores one of its own; a node that loses that
 * race reads the winner's.
 */
function sourceKey(sql: Sql): Uint8Array {
  const { db } = sql;
  const read = () => sql.get(db.selectFrom('sign_in_source_key').select('key').where('id', '=', 1))?.key;
  const stored = read();
  if (stored) return stored;
  sql.run(
    db
      .insertInto('sign_in_source_key')
      .values({ id: 1, key: randomBytes(32) })
      .onConflict((oc) => oc.column('id').doNothing()),
  );
  return read()!;
}

/**
 * Throttle rows per (account, source). The address is kept only as an HMAC under a random
 * per-database key, so the table is a marker, not a list of client addresses.
 */
export function createSqlSignInThrottle(sql: Sql): SignInThrottle {
  const { db } = sql;
  const key = sourceKey(sql);
  const sourceOf = (address: string) => createHmac('sha256', key).update(address).digest('base64url');

  /**
   * The increment happens in SQL, one statement: parallel failures (of any node) each add one,
   * none is lost. A count whose last failure is older than the window starts again at one.
   */
  const countFailure = (accountId: number, source: string, now: number) =>
    sql.get(
      db
        .insertInto('sign_in_throttles')
        .values({ account_id: accountId, source, failures: 1, locked_until: null, last_failure_at: now })
        .onConflict((oc) =>
          oc.columns(['account_id', 'source']).doUpdateSet((eb) => ({
            failures: eb
              .case()
              .when('sign_in_throttles.last_failure_at', '<=', now - failureWindowSeconds * 1000)
              .then(eb.lit(1))
              .else(eb('sign_in_throttles.failures', '+', eb.lit(1)))
              .end(),
            last_failure_at: eb.ref('excluded.last_failure_at'),
          })),
        )
        .returning('failures'),
    )!.failures;

  const count = (accountId: number, source: string, now: number, policy: ThrottlePolicy): number => {
    const failures = countFailure(accountId, source, now);
    const seconds = lockDurationSeconds(failures, policy);
    if (seconds > 0) {
      sql.run(
        db
          .updateTable('sign_in_throttles')
          .set({ locked_until: now + seconds * 1000 })
          .where('account_id', '=', accountId)
          .where('source', '=', source),
      );
    }
    return failures;
  };
  const clearSource = (accountId: number, source: string) =>
    sql.run(db.deleteFrom('sign_in_throttles').where('account_id', '=', accountId).where('source', '=', source));

  return {
    isKnownSource: (accountId, address) =>
      sql.get(
        db
          .selectFrom('sign_in_known_sources')
          .select((eb) => eb.lit(1).as('one'))
          .where('account_id', '=', accountId)
          .where('source', '=', sourceOf(address)),
      ) !== undefined,
    lockedUntil(accountId, address, known, now) {
      // A known source skips the account-wide row: a distinct impossible value stands in for it,
      // so the statement's text is the same either way.
      const row = sql.get(
        db
          .selectFrom('sign_in_throttles')
          .select((eb) => eb.fn.max('locked_until').as('until'))
          .where('account_id', '=', accountId)
          .where('source', 'in', [sourceOf(address), known ? '' : UNKNOWN_SOURCES])
          .where('locked_until', '>', now.getTime()),
      );
      return row?.until ? new Date(Number(row.until)) : null;
    },
    recordFailure: (accountId, address, known, now) =>
      sql.transaction(() => {
        const failures = count(accountId, sourceOf(address), now.getTime(), sourcePolicy);
        if (!known) count(accountId, UNKNOWN_SOURCES, now.getTime(), unknownSourcesPolicy);
        return failures;
      }),
    recordSuccess: (accountId, address, now) =>
      sql.transaction(() => {
        // The account-wide count stays: the owner signing in from a known place says nothing
        // about the guesses from elsewhere. It expires with its lock and the failure window.
        const source = sourceOf(address);
        clearSource(accountId, source);
        sql.run(
          db
            .insertInto('sign_in_known_sources')
            .values({ account_id: accountId, source, last_success_at: now.getTime() })
            .onConflict((oc) =>
              oc
                .columns(['account_id', 'source'])
                .doUpdateSet((eb) => ({ last_success_at: eb.ref('excluded.last_success_at') })),
            ),
        );
      }),
    locks: (now) =>
      sql
        .all(
          db
            .selectFrom('sign_in_throttles as t')
            .innerJoin('accounts as a', 'a.id', 't.account_id')
            .select(['a.username', 't.source', 't.failures', 't.locked_until'])
            .where('t.locked_until', '>', now.getTime())
            .orderBy('a.username')
            .orderBy('t.source'),
        )
        .map(
          (row): SignInLock => ({
            username: row.username,
            scope: row.source === UNKNOWN_SOURCES ? 'unknown-sources' : 'source',
            sourceFingerprint: row.source === UNKNOWN_SOURCES ? null : row.source.slice(0, 8),
            failures: row.failures,
            lockedUntil: new Date(row.locked_until!),
          }),
        ),
    clear: (accountId) => sql.run(db.deleteFrom('sign_in_throttles').where('account_id', '=', accountId)),
  };
}
