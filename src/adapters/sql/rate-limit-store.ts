import { createHmac } from 'node:crypto';
import type { SharedSecrets } from '../../domain/accounts/console-session-store.ts';
import type { RateLimitCounter } from '../../domain/rate-limits.ts';
import { compileOnce } from './compile-once.ts';
import type { Sql } from './sql.ts';

/** Finished windows are deleted at most this often per process. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Rate-limit counters in `rate_limit_hits` (migration 018). A key holds a client address and a
 * username, certificate number or application code: the table keeps only an HMAC of it under a
 * shared secret, so it is a counter, not a list of who tried what. The hit is one statement
 * (INSERT … ON CONFLICT … DO UPDATE … RETURNING): hits from several nodes at once each add one,
 * none is lost, and the window restarts once.
 */
export function createSqlRateLimitCounter(
  sql: Sql,
  secrets: SharedSecrets,
  randomKey: () => Uint8Array,
): RateLimitCounter {
  const { db } = sql;
  // Compiled once: a hit is made on every limited request (see compile-once.ts).
  const hit = compileOnce<{ key: string; nowMs: number; startedBy: number }, { hits: number; window_start_ms: number }>(
    sql,
    (value) =>
      db
        .insertInto('rate_limit_hits')
        .values({ key: value('key'), window_start_ms: value('nowMs'), hits: 1 })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => {
            // The stored window is over when it started at or before now minus the window.
            const finished = eb('rate_limit_hits.window_start_ms', '<=', value('startedBy'));
            return {
              hits: eb
                .case()
                .when(finished)
                .then(eb.lit(1))
                .else(eb('rate_limit_hits.hits', '+', eb.lit(1)))
                .end(),
              window_start_ms: eb
                .case()
                .when(finished)
                .then(eb.ref('excluded.window_start_ms'))
                .else(eb.ref('rate_limit_hits.window_start_ms'))
                .end(),
            };
          }),
        )
        .returning(['hits', 'window_start_ms']),
  );
  const undo = compileOnce<{ key: string }, unknown>(sql, (value) =>
    db
      .updateTable('rate_limit_hits')
      .set((eb) => ({ hits: eb('hits', '-', eb.lit(1)) }))
      .where('key', '=', value('key'))
      .where('hits', '>', 0),
  );
  const reset = compileOnce<{ key: string }, unknown>(sql, (value) =>
    db.deleteFrom('rate_limit_hits').where('key', '=', value('key')),
  );
  let secret: Uint8Array | null = null;
  const keyOf = (key: string) => {
    secret ??= secrets.secret('rate-limit-keys', randomKey);
    return createHmac('sha256', secret).update(key).digest('base64url');
  };
  let sweptAtMs = 0;
  let longestWindowMs = 0;
  return {
    hit(key, windowMs, nowMs) {
      longestWindowMs = Math.max(longestWindowMs, windowMs);
      if (nowMs - sweptAtMs >= SWEEP_INTERVAL_MS) {
        sweptAtMs = nowMs;
        sql.run(db.deleteFrom('rate_limit_hits').where('window_start_ms', '<', nowMs - longestWindowMs));
      }
      const row = sql.get(hit({ key: keyOf(key), nowMs, startedBy: nowMs - windowMs }))!;
      return { hits: row.hits, resetAtMs: row.window_start_ms + windowMs };
    },
    undo(key) {
      sql.run(undo({ key: keyOf(key) }));
    },
    reset(key) {
      sql.run(reset({ key: keyOf(key) }));
    },
  };
}
