import type { AuditLog } from '../audit/audit-event.ts';
import { DomainError } from '../errors.ts';
import type { Clock } from '../ports.ts';
import {
  type AccountRepository,
  type IssuedToken,
  type PasswordHasher,
  type Role,
  staffPrincipalOf,
  type TokenStore,
} from './account.ts';

/** Consecutive failures before an account locks; the lock doubles with each further failure. */
export const maxFailedAttempts = 5;
const baseLockSeconds = 60;
const maxLockSeconds = 60 * 60;

export interface SignInPorts {
  accounts: AccountRepository;
  hasher: PasswordHasher;
  tokens: TokenStore;
  audit: AuditLog;
  clock: Clock;
  tokenTtlSeconds: number;
}

export interface SignInResult extends IssuedToken {
  role: Role;
}

export function lockDurationSeconds(failedAttempts: number): number {
  if (failedAttempts < maxFailedAttempts) return 0;
  return Math.min(maxLockSeconds, baseLockSeconds * 2 ** (failedAttempts - maxFailedAttempts));
}

const invalidCredentials = () => new DomainError('INVALID_CREDENTIALS', 'The username or password is wrong');

/**
 * The same refusal for an unknown user, a wrong password and a locked account, so a caller
 * cannot probe which usernames exist; a hash is computed in every case for the same reason.
 * The lock is per account (the per-address rate limit sits in front); it lasts a minute,
 * doubling per further failure up to an hour, so a stranger can delay a user but not shut one out for long.
 */
export async function signIn(ports: SignInPorts, username: string, password: string): Promise<SignInResult> {
  const now = ports.clock.now();
  const account = ports.accounts.findByUsername(username);
  const passwordOk = await ports.hasher.verify(password, account?.passwordHash ?? null);

  if (!account || account.disabled) {
    ports.audit.record(failureEvent(username, null, 'unknown-account'), now);
    throw invalidCredentials();
  }
  if (account.lockedUntil && account.lockedUntil > now) {
    // Same answer as a wrong password: a distinct one would confirm the account exists.
    ports.audit.record(failureEvent(username, account.role, 'locked'), now);
    throw invalidCredentials();
  }
  if (!passwordOk) {
    const failedAttempts = account.failedAttempts + 1;
    const lockSeconds = lockDurationSeconds(failedAttempts);
    ports.accounts.recordFailure(
      account.id,
      failedAttempts,
      lockSeconds > 0 ? new Date(now.getTime() + lockSeconds * 1000) : null,
    );
    ports.audit.record(failureEvent(username, account.role, 'wrong-password', failedAttempts), now);
    throw invalidCredentials();
  }

  ports.accounts.recordSuccess(account.id);
  const issued = ports.tokens.issue(staffPrincipalOf(account), ports.tokenTtlSeconds, now);
  return { ...issued, role: account.role };
}

function failureEvent(username: string, role: Role | null, cause: string, failedAttempts?: number) {
  return {
    action: 'auth.sign-in-failed',
    actor: username.slice(0, 64),
    role,
    institution: null,
    target: null,
    purpose: null,
    details: failedAttempts === undefined ? { cause } : { cause, failedAttempts },
  };
}
