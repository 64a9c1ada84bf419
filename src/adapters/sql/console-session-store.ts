import type { ConsoleSessionStore, SharedSecrets } from '../../domain/accounts/console-session-store.ts';
import { compileOnce } from './compile-once.ts';
import type { Sql } from './sql.ts';

/** The idle clocks of console sessions in `console_sessions` (migration 018). */
export function createSqlConsoleSessionStore(sql: Sql): ConsoleSessionStore {
  const { db } = sql;
  // Compiled once: every console request reads its session's clock (see compile-once.ts).
  const lastSeen = compileOnce<{ tokenHash: string }, { last_seen_ms: number }>(sql, (value) =>
    db.selectFrom('console_sessions').select('last_seen_ms').where('token_hash', '=', value('tokenHash')),
  );
  // One statement, so touches from several nodes at once cannot lose the later time: the stored
  // time only moves forward. CASE, not scalar max(): PostgreSQL has none (its GREATEST, SQLite not).
  const touch = compileOnce<{ tokenHash: string; atMs: number }, unknown>(sql, (value) =>
    db
      .insertInto('console_sessions')
      .values({ token_hash: value('tokenHash'), last_seen_ms: value('atMs') })
      .onConflict((oc) =>
        oc.column('token_hash').doUpdateSet((eb) => ({
          last_seen_ms: eb
            .case()
            .when('excluded.last_seen_ms', '>', eb.ref('console_sessions.last_seen_ms'))
            .then(eb.ref('excluded.last_seen_ms'))
            .else(eb.ref('console_sessions.last_seen_ms'))
            .end(),
        })),
      ),
  );
  return {
    lastSeen: (tokenHash) => sql.get(lastSeen({ tokenHash }))?.last_seen_ms ?? null,
    touch(tokenHash, atMs) {
      sql.run(touch({ tokenHash, atMs }));
    },
    forget(tokenHash) {
      sql.run(db.deleteFrom('console_sessions').where('token_hash', '=', tokenHash));
    },
    sweep: (beforeMs) => sql.run(db.deleteFrom('console_sessions').where('last_seen_ms', '<', beforeMs)),
  };
}

/**
 * Shared secrets in `service_secrets` (migration 018): the first node to ask stores the one it
 * made; a node that loses the race reads the winner's, so every node ends with the same secret.
 */
export function createSqlSharedSecrets(sql: Sql, now: () => Date): SharedSecrets {
  const { db } = sql;
  const read = (name: string) =>
    sql.get(db.selectFrom('service_secrets').select('value').where('name', '=', name))?.value;
  return {
    secret(name, make) {
      const stored = read(name);
      if (stored) return new Uint8Array(stored);
      sql.run(
        db
          .insertInto('service_secrets')
          .values({ name, value: Buffer.from(make()), created_at: now().toISOString() })
          .onConflict((oc) => oc.column('name').doNothing()),
      );
      return new Uint8Array(read(name)!);
    },
  };
}
