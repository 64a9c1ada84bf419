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
import type { SignInThrottle } from './sign-in-throttle.ts';

export { lockDurationSeconds, maxSourceFailures as maxFailedAttempts } from './sign-in-throttle.ts';

export interface SignInPorts {
  accounts: AccountRepository;
  hasher: PasswordHasher;
  tokens: TokenStore;
  throttle: SignInThrottle;
  audit: AuditLog;
  clock: Clock;
  tokenTtlSeconds: number;
}

export interface SignInResult extends IssuedToken {
  role: Role;
}

const invalidCredentials = () => new DomainError('INVALID_CREDENTIALS', 'The username or password is wrong');

/**
 * The same refusal for an unknown user, a disabled or locked account and a wrong password, so a
 * caller cannot probe which usernames exist; a hash is computed in every case for the same reason.
 * `source` is the client address (sign-in-throttle.ts says how it is used).
 *
 * The lock is read *after* the hash, in the same synchronous step that counts the failure or
 * issues the token: parallel guesses that all started before a lock cannot slip past it, and
 * each failure is counted by one atomic SQL increment.
 */
export async function signIn(
  ports: SignInPorts,
  username: string,
  password: string,
  source: string,
): Promise<SignInResult> {
  const account = ports.accounts.findByUsername(username);
  const passwordOk = await ports.hasher.verify(password, account?.passwordHash ?? null);
  const now = ports.clock.now();

  if (!account || account.disabled) {
    ports.audit.record(failureEvent(username, account?.role ?? null, account ? 'disabled' : 'unknown-account'), now);
    throw invalidCredentials();
  }
  const known = ports.throttle.isKnownSource(account.id, source);
  if (ports.throttle.lockedUntil(account.id, source, known, now)) {
    // Same answer as a wrong password: a distinct one would confirm the account exists. A locked
    // source's further guesses are not counted: the lock already stops them.
    ports.audit.record(failureEvent(username, account.role, 'locked', undefined, known), now);
    throw invalidCredentials();
  }
  if (!passwordOk) {
    const failures = ports.throttle.recordFailure(account.id, source, known, now);
    ports.audit.record(failureEvent(username, account.role, 'wrong-password', failures, known), now);
    throw invalidCredentials();
  }

  ports.throttle.recordSuccess(account.id, source, now);
  const issued = ports.tokens.issue(staffPrincipalOf(account), ports.tokenTtlSeconds, now);
  return { ...issued, role: account.role };
}

function failureEvent(username: string, role: Role | null, cause: string, failedAttempts?: number, known?: boolean) {
  const details: Record<string, unknown> = { cause };
  if (failedAttempts !== undefined) details.failedAttempts = failedAttempts;
  if (known !== undefined) details.knownSource = known;
  return {
    action: 'auth.sign-in-failed',
    actor: username.slice(0, 64),
    role,
    institution: null,
    target: null,
    purpose: null,
    details,
  };
}
