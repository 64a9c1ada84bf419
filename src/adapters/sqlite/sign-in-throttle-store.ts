import { createHmac } from 'node:crypto';
import {
  failureWindowSeconds,
  lockDurationSeconds,
  type SignInLock,
  type SignInThrottle,
  sourcePolicy,
  type ThrottlePolicy,
  unknownSourcesPolicy,
} from '../../domain/accounts/sign-in-throttle.ts';
import type { SqliteDatabase } from './database.ts';

/** The account-wide row: failures from sources the account never signed in from. */
const UNKNOWN_SOURCES = '*';

/**
 * Throttle rows per (account, source) in SQLite. The address is kept only as an HMAC under a
 * random per-database key, so the table is a marker, not a list of client addresses.
 */
export function createSqliteSignInThrottle(db: SqliteDatabase): SignInThrottle {
  const key = db.prepare<[], { key: Buffer }>('SELECT key FROM sign_in_source_key WHERE id = 1').get()!.key;
  const sourceOf = (address: string) => createHmac('sha256', key).update(address).digest('base64url');

  const q = {
    known: db.prepare<[number, string], { one: number }>(
      'SELECT 1 AS one FROM sign_in_known_sources WHERE account_id = ? AND source = ?',
    ),
    lock: db.prepare<[number, string, string, number], { until: number }>(
      `SELECT max(locked_until) AS until FROM sign_in_throttles
        WHERE account_id = ? AND source IN (?, ?) AND locked_until > ?`,
    ),
    // The increment happens in SQL: parallel failures each add one, none is lost.
    // A count whose last failure is older than the window starts again at one.
    count: db.prepare<{ accountId: number; source: string; now: number; window: number }, { failures: number }>(
      `INSERT INTO sign_in_throttles (account_id, source, failures, locked_until, last_failure_at)
       VALUES (@accountId, @source, 1, NULL, @now)
       ON CONFLICT (account_id, source) DO UPDATE SET
         failures = CASE WHEN last_failure_at <= @now - @window THEN 1 ELSE failures + 1 END,
         last_failure_at = @now
       RETURNING failures`,
    ),
    setLock: db.prepare('UPDATE sign_in_throttles SET locked_until = ? WHERE account_id = ? AND source = ?'),
    clearSource: db.prepare('DELETE FROM sign_in_throttles WHERE account_id = ? AND source = ?'),
    remember: db.prepare(
      `INSERT INTO sign_in_known_sources (account_id, source, last_success_at) VALUES (?, ?, ?)
       ON CONFLICT (account_id, source) DO UPDATE SET last_success_at = excluded.last_success_at`,
    ),
    locks: db.prepare<[number], { username: string; source: string; failures: number; locked_until: number }>(
      `SELECT a.username, t.source, t.failures, t.locked_until
         FROM sign_in_throttles t JOIN accounts a ON a.id = t.account_id
        WHERE t.locked_until > ? ORDER BY a.username, t.source`,
    ),
    clear: db.prepare('DELETE FROM sign_in_throttles WHERE account_id = ?'),
  };

  const count = (accountId: number, source: string, now: number, policy: ThrottlePolicy): number => {
    const { failures } = q.count.get({ accountId, source, now, window: failureWindowSeconds * 1000 })!;
    const seconds = lockDurationSeconds(failures, policy);
    if (seconds > 0) q.setLock.run(now + seconds * 1000, accountId, source);
    return failures;
  };

  const recordFailure = db.transaction((accountId: number, address: string, known: boolean, now: Date): number => {
    const failures = count(accountId, sourceOf(address), now.getTime(), sourcePolicy);
    if (!known) count(accountId, UNKNOWN_SOURCES, now.getTime(), unknownSourcesPolicy);
    return failures;
  });

  return {
    isKnownSource: (accountId, address) => q.known.get(accountId, sourceOf(address)) !== undefined,
    lockedUntil(accountId, address, known, now) {
      // A known source skips the account-wide row: a distinct impossible value stands in for it.
      const row = q.lock.get(accountId, sourceOf(address), known ? '' : UNKNOWN_SOURCES, now.getTime());
      return row?.until ? new Date(row.until) : null;
    },
    recordFailure,
    recordSuccess: db.transaction((accountId: number, address: string, now: Date) => {
      // The account-wide count stays: the owner signing in from a known place says nothing about
      // the guesses from elsewhere. It expires with its lock and the failure window.
      const source = sourceOf(address);
      q.clearSource.run(accountId, source);
      q.remember.run(accountId, source, now.getTime());
    }),
    locks: (now) =>
      q.locks.all(now.getTime()).map(
        (row): SignInLock => ({
          username: row.username,
          scope: row.source === UNKNOWN_SOURCES ? 'unknown-sources' : 'source',
          sourceFingerprint: row.source === UNKNOWN_SOURCES ? null : row.source.slice(0, 8),
          failures: row.failures,
          lockedUntil: new Date(row.locked_until),
        }),
      ),
    clear: (accountId) => q.clear.run(accountId).changes,
  };
}
