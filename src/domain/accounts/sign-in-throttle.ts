/**
 * Sign-in throttling keyed by account *and* source (the client address as the service sees it,
 * after TRUST_PROXY). A stranger's wrong guesses lock the stranger's own address for that
 * account, not the account: the owner signing in from elsewhere is not affected. Guesses spread
 * over many addresses are caught by an account-wide count of failures from sources the account
 * never signed in from; that lock holds only for such sources, so the owner still signs in from
 * an address they signed in from before (a known source). Behind one shared NAT the stranger and
 * the owner are the same source: there an administrator clears the lock.
 */

/** Failures from one source before it is locked for the account; the lock doubles with each further one. */
export const maxSourceFailures = 5;
/** Failures from unknown sources, all addresses together, before unknown sources are locked out. */
export const maxUnknownSourceFailures = 20;
export const baseLockSeconds = 60;
export const maxLockSeconds = 60 * 60;
/** Failures further apart than this do not add up: a typo a month does not lock anyone. */
export const failureWindowSeconds = 24 * 60 * 60;

export interface ThrottlePolicy {
  threshold: number;
  baseLockSeconds: number;
  maxLockSeconds: number;
}

export const sourcePolicy: ThrottlePolicy = { threshold: maxSourceFailures, baseLockSeconds, maxLockSeconds };
export const unknownSourcesPolicy: ThrottlePolicy = {
  threshold: maxUnknownSourceFailures,
  baseLockSeconds,
  maxLockSeconds,
};

/** Lock length after `failures` consecutive failures: none below the threshold, then 1 min doubling to 1 h. */
export function lockDurationSeconds(failures: number, policy: ThrottlePolicy = sourcePolicy): number {
  if (failures < policy.threshold) return 0;
  return Math.min(policy.maxLockSeconds, policy.baseLockSeconds * 2 ** Math.min(failures - policy.threshold, 30));
}

export interface SignInLock {
  username: string;
  /** `source` for one address (shown as a short fingerprint, never the address), `unknown-sources` for the account-wide lock. */
  scope: 'source' | 'unknown-sources';
  sourceFingerprint: string | null;
  failures: number;
  lockedUntil: Date;
}

export interface SignInThrottle {
  /** Whether `source` has signed in to the account successfully before. */
  isKnownSource(accountId: number, source: string): boolean;
  /**
   * The lock in force for this account from this source: the source's own lock and, for an
   * unknown source, the account-wide one. Null when none.
   */
  lockedUntil(accountId: number, source: string, known: boolean, now: Date): Date | null;
  /**
   * Counts one failure atomically (an UPSERT that increments in SQL), for the source and, when the
   * source is unknown, for the account-wide count; sets the locks the counts call for. Counts
   * restart after `failureWindowSeconds` without a failure.
   * Returns the source's count after this failure.
   */
  recordFailure(accountId: number, source: string, known: boolean, now: Date): number;
  /** Clears the source's count and remembers the source as known (the account-wide count stays). */
  recordSuccess(accountId: number, source: string, now: Date): void;
  /** Locks still in force. */
  locks(now: Date): SignInLock[];
  /** Clears every counter and lock of the account; returns how many were cleared. */
  clear(accountId: number): number;
}
