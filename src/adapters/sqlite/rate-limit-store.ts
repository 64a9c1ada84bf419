import { createHmac } from 'node:crypto';
import type { SharedSecrets } from '../../domain/accounts/console-session-store.ts';
import type { RateLimitCounter } from '../../domain/rate-limits.ts';
import type { SqliteDatabase } from './database.ts';

/** Finished windows are deleted at most this often per process. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Rate-limit counters in `rate_limit_hits` (migration 018). A key holds a client address and a
 * username, certificate number or application code: the table keeps only an HMAC of it under a
 * shared secret, so it is a counter, not a list of who tried what. The hit is one statement: hits
 * from several nodes at once each add one, none is lost.
 */
export function createSqliteRateLimitCounter(
  db: SqliteDatabase,
  secrets: SharedSecrets,
  randomKey: () => Uint8Array,
): RateLimitCounter {
  const q = {
    hit: db.prepare<{ key: string; now: number; window: number }, { hits: number; window_start_ms: number }>(
      `INSERT INTO rate_limit_hits (key, window_start_ms, hits) VALUES (@key, @now, 1)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN rate_limit_hits.window_start_ms <= @now - @window THEN 1 ELSE rate_limit_hits.hits + 1 END,
         window_start_ms = CASE WHEN rate_limit_hits.window_start_ms <= @now - @window
           THEN @now ELSE rate_limit_hits.window_start_ms END
       RETURNING hits, window_start_ms`,
    ),
    undo: db.prepare<[string]>('UPDATE rate_limit_hits SET hits = hits - 1 WHERE key = ? AND hits > 0'),
    reset: db.prepare<[string]>('DELETE FROM rate_limit_hits WHERE key = ?'),
    sweep: db.prepare<[number]>('DELETE FROM rate_limit_hits WHERE window_start_ms < ?'),
  };
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
        q.sweep.run(nowMs - longestWindowMs);
      }
      const row = q.hit.get({ key: keyOf(key), now: nowMs, window: windowMs })!;
      return { hits: row.hits, resetAtMs: row.window_start_ms + windowMs };
    },
    undo(key) {
      q.undo.run(keyOf(key));
    },
    reset(key) {
      q.reset.run(keyOf(key));
    },
  };
}
