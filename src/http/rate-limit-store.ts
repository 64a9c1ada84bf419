import type { Options, Store } from 'express-rate-limit';
import type { RateLimitCounter } from '../domain/rate-limits.ts';

/**
 * express-rate-limit's `Store` over the shared counters, so a per-minute limit counts the
 * requests of every node (its default MemoryStore counts one process's). One store per limit:
 * `name` keeps the limits' keys apart.
 */
export function sharedRateLimitStore(counter: RateLimitCounter, name: string, now: () => number): Store {
  let windowMs = 60_000;
  const prefix = `${name}:`;
  return {
    prefix,
    localKeys: false,
    init(options: Options) {
      windowMs = options.windowMs;
    },
    increment(key) {
      const { hits, resetAtMs } = counter.hit(prefix + key, windowMs, now());
      return { totalHits: hits, resetTime: new Date(resetAtMs) };
    },
    decrement(key) {
      counter.undo(prefix + key);
    },
    resetKey(key) {
      counter.reset(prefix + key);
    },
  };
}
