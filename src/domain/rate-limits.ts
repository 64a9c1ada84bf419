/**
 * Request counters of the per-minute rate limits, shared by every node of a deployment (the
 * service database), in fixed windows: a key's window starts with its first hit and lasts
 * `windowMs`; the first hit after it starts a new one.
 */
export interface RateLimitCounter {
  /** Counts one hit of `key` at `nowMs`: the hits in its current window so far, and when it ends. */
  hit(key: string, windowMs: number, nowMs: number): { hits: number; resetAtMs: number };
  /** Takes one hit back (a request the limit decided not to count after all). */
  undo(key: string): void;
  /** Forgets the key's window. */
  reset(key: string): void;
}
