import type { ConsoleSessionStore, SharedSecrets } from '../../domain/accounts/console-session-store.ts';
import type { SqliteDatabase } from './database.ts';

/** The idle clocks of console sessions in `console_sessions` (migration 018). */
export function createSqliteConsoleSessionStore(db: SqliteDatabase): ConsoleSessionStore {
  const q = {
    get: db.prepare<[string], number>('SELECT last_seen_ms FROM console_sessions WHERE token_hash = ?').pluck(),
    touch: db.prepare<[string, number]>(
      `INSERT INTO console_sessions (token_hash, last_seen_ms) VALUES (?, ?)
       ON CONFLICT (token_hash) DO UPDATE SET last_seen_ms = max(last_seen_ms, excluded.last_seen_ms)`,
    ),
    forget: db.prepare<[string]>('DELETE FROM console_sessions WHERE token_hash = ?'),
    sweep: db.prepare<[number]>('DELETE FROM console_sessions WHERE last_seen_ms < ?'),
  };
  return {
    lastSeen: (tokenHash) => q.get.get(tokenHash) ?? null,
    touch(tokenHash, atMs) {
      q.touch.run(tokenHash, atMs);
    },
    forget(tokenHash) {
      q.forget.run(tokenHash);
    },
    sweep: (beforeMs) => q.sweep.run(beforeMs).changes,
  };
}

/**
 * Shared secrets in `service_secrets` (migration 018): the first node to ask stores the one it
 * made; a node that loses the race reads the winner's, so every node ends with the same secret.
 */
export function createSqliteSharedSecrets(db: SqliteDatabase, now: () => Date): SharedSecrets {
  const q = {
    get: db.prepare<[string], Buffer>('SELECT value FROM service_secrets WHERE name = ?').pluck(),
    put: db.prepare<[string, Buffer, string]>(
      'INSERT INTO service_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING',
    ),
  };
  return {
    secret(name, make) {
      const stored = q.get.get(name);
      if (stored) return new Uint8Array(stored);
      q.put.run(name, Buffer.from(make()), now().toISOString());
      return new Uint8Array(q.get.get(name)!);
    },
  };
}
