/*
 * When to try a failed delivery again: exponential backoff from 5 seconds, ×3 per attempt, capped
 * at 6 hours, each delay jittered by ±20 % so endpoints coming back are not hit by every sender at
 * once; after 3 days of failures the delivery is dead-lettered (the admin can replay it).
 */

export const FIRST_RETRY_MS = 5_000;
export const MAX_RETRY_DELAY_MS = 6 * 3_600_000;
export const RETRY_WINDOW_MS = 3 * 24 * 3_600_000;

/** The delay after the `attempts`-th failed attempt, before jitter. */
export const baseDelayMs = (attempts: number) =>
  Math.min(FIRST_RETRY_MS * 3 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);

/**
 * The next attempt after a failure at `now`, or null to dead-letter. The last attempt falls at
 * the end of the window exactly, so an endpoint back just before it still gets the event.
 */
export function nextAttemptAt(
  attempts: number,
  windowStartedAt: number,
  now: number,
  random: () => number,
  windowMs = RETRY_WINDOW_MS,
): number | null {
  const end = windowStartedAt + windowMs;
  if (now >= end) return null;
  const jittered = baseDelayMs(attempts) * (0.8 + 0.4 * random());
  return Math.min(now + Math.round(jittered), end);
}
