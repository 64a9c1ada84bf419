import { type Acting, type AuditLog, eventBy } from '../audit/audit-event.ts';
import { DomainError, invalidRequest } from '../errors.ts';
import type { Clock } from '../ports.ts';
import { visibleTextProblems } from '../rules/text-rules.ts';
import {
  type Account,
  type AccountRepository,
  institutionRoles,
  isRole,
  type PasswordHasher,
  type PasswordStrength,
  type Principal,
  type Role,
  roles,
  type TokenStore,
} from './account.ts';
import { checkNewPassword } from './password-policy.ts';
import type { SignInLock, SignInThrottle } from './sign-in-throttle.ts';

/**
 * Containing a compromised account: sign-out, revoking an account's tokens, disabling it (which
 * revokes them too), resetting its password (likewise) and clearing sign-in locks. The same
 * functions serve the admin API and the operator CLI; each change is audited.
 */
export interface AccountAdministration {
  accounts: AccountRepository;
  tokens: TokenStore;
  throttle: SignInThrottle;
  hasher: PasswordHasher;
  strength: PasswordStrength;
  audit: Pick<AuditLog, 'record'>;
  clock: Clock;
}

export interface AccountSummary {
  username: string;
  role: Account['role'];
  institution: string | null;
  displayName: string | null;
  disabled: boolean;
  /** Police accounts: the unit whose archives the officer shares; null otherwise or not yet set. */
  policeUnit: string | null;
  locks: Omit<SignInLock, 'username'>[];
}

function find(ports: AccountAdministration, username: string): Account {
  const account = ports.accounts.findByUsername(username);
  if (!account)
    throw new DomainError('NOT_FOUND', 'No such account', [{ path: 'username', message: 'no such account' }]);
  return account;
}

const record = (ports: AccountAdministration, actor: Acting, action: string, target: string, details = {}) =>
  ports.audit.record(eventBy(actor, action, target, details), ports.clock.now());

/** Every account with its sign-in locks in force; no password hashes. */
export function listAccounts(ports: AccountAdministration): AccountSummary[] {
  const locks = ports.throttle.locks(ports.clock.now());
  return ports.accounts.list().map((a) => ({
    username: a.username,
    role: a.role,
    institution: a.institution,
    displayName: a.displayName,
    disabled: a.disabled,
    policeUnit: a.policeUnit,
    locks: locks.filter((l) => l.username === a.username).map(({ username: _u, ...lock }) => lock),
  }));
}

export const listLocks = (ports: AccountAdministration): SignInLock[] => ports.throttle.locks(ports.clock.now());

export function clearLocks(ports: AccountAdministration, actor: Acting, username: string): { cleared: number } {
  const account = find(ports, username);
  const cleared = ports.throttle.clear(account.id);
  record(ports, actor, 'account.locks-cleared', account.username, { cleared });
  return { cleared };
}

/** Ends the caller's own token. */
export function signOut(
  ports: Pick<AccountAdministration, 'tokens' | 'audit' | 'clock'>,
  actor: Principal,
  token: string,
) {
  ports.tokens.revoke(token);
  ports.audit.record(eventBy(actor, 'auth.signed-out', actor.username ?? actor.certificateNo), ports.clock.now());
}

export function revokeTokens(ports: AccountAdministration, actor: Acting, username: string): { revokedTokens: number } {
  const account = find(ports, username);
  const revokedTokens = ports.tokens.revokeAllOf(account.id);
  record(ports, actor, 'account.tokens-revoked', account.username, { revokedTokens });
  return { revokedTokens };
}

/** Disabled: it cannot sign in and every token it holds stops working at once. */
export function disableAccount(
  ports: AccountAdministration,
  actor: Acting,
  username: string,
): { disabled: true; revokedTokens: number } {
  const account = find(ports, username);
  if (actor.username !== null && actor.username === account.username) {
    throw new DomainError('INVALID_STATE', 'An administrator cannot disable their own account', [
      { path: 'username', message: 'is the account making the request' },
    ]);
  }
  ports.accounts.setDisabled(account.id, true);
  const revokedTokens = ports.tokens.revokeAllOf(account.id);
  record(ports, actor, 'account.disabled', account.username, { revokedTokens });
  return { disabled: true, revokedTokens };
}

export function enableAccount(ports: AccountAdministration, actor: Acting, username: string): { disabled: false } {
  const account = find(ports, username);
  ports.accounts.setDisabled(account.id, false);
  record(ports, actor, 'account.enabled', account.username);
  return { disabled: false };
}

/**
 * A new password set by an administrator (or the operator CLI): it must pass the password policy;
 * the account's tokens are revoked and its sign-in locks cleared, since whoever knew the old
 * password may hold both.
 */
export async function resetPassword(
  ports: AccountAdministration,
  actor: Acting,
  username: string,
  password: string,
): Promise<{ revokedTokens: number }> {
  const account = find(ports, username);
  checkNewPassword(password, account, ports.strength);
  const passwordHash = await ports.hasher.hash(password);
  ports.accounts.setPassword(account.username, passwordHash);
  const revokedTokens = ports.tokens.revokeAllOf(account.id);
  ports.throttle.clear(account.id);
  record(ports, actor, 'account.password-reset', account.username, { revokedTokens });
  return { revokedTokens };
}

/** A username others type: letters, digits, dot, underscore, hyphen; 3–64 characters, starting with a letter or digit. */
const usernamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;

export interface AccountRequest {
  username: string;
  role: string;
  /** Credit code: required for midwives and issuers, not allowed for the other roles. */
  institution: string | null;
  displayName: string | null;
}

/**
 * A new staff account with a password that passes the policy (the admin hands it over; the
 * caller never stores or logs it). Midwives and issuers belong to one institution, the other
 * roles to none. Audited without the password.
 */
export async function createAccount(
  ports: AccountAdministration & { institutions: { find(creditCode: string): unknown } },
  actor: Acting,
  request: AccountRequest,
  password: string,
): Promise<AccountSummary> {
  const details: { path: string; message: string }[] = [];
  if (!usernamePattern.test(request.username)) {
    details.push({ path: 'username', message: 'username must be 3–64 letters, digits, dots, underscores or hyphens' });
  } else if (ports.accounts.findByUsername(request.username)) {
    details.push({ path: 'username', message: 'username is taken' });
  }
  if (!isRole(request.role)) {
    details.push({ path: 'role', message: `role must be one of ${roles.join(', ')}` });
  } else if (institutionRoles.includes(request.role) !== (request.institution !== null)) {
    details.push({
      path: 'institution',
      message: institutionRoles.includes(request.role)
        ? 'institution is required for midwife and issuer accounts'
        : 'institution must be empty for this role',
    });
  } else if (request.institution !== null && !ports.institutions.find(request.institution)) {
    details.push({ path: 'institution', message: 'no such institution' });
  }
  if (request.displayName !== null && [...request.displayName].length > 64) {
    details.push({ path: 'displayName', message: 'displayName must be at most 64 characters long' });
  }
  if (details.length > 0) throw invalidRequest(details);
  checkNewPassword(password, request, ports.strength);
  const passwordHash = await ports.hasher.hash(password);
  const account = ports.accounts.create(
    {
      username: request.username,
      passwordHash,
      role: request.role as Role,
      institution: request.institution,
      displayName: request.displayName,
    },
    ports.clock.now(),
  );
  record(ports, actor, 'account.created', account.username, { role: account.role, institution: account.institution });
  return {
    username: account.username,
    role: account.role,
    institution: account.institution,
    displayName: account.displayName,
    disabled: account.disabled,
    policeUnit: account.policeUnit,
    locks: [],
  };
}

export const maxPoliceUnitLength = 64;

/**
 * Sets (or changes) the police unit a police account acts for: its officers share that unit's
 * archives, so a changed unit takes the officer to the new unit's cases. Audited with both units.
 */
export function setPoliceUnit(
  ports: Pick<AccountAdministration, 'accounts' | 'audit' | 'clock'>,
  actor: Acting,
  username: string,
  policeUnitParam: unknown,
): { username: string; policeUnit: string } {
  const account = ports.accounts.findByUsername(username);
  if (!account)
    throw new DomainError('NOT_FOUND', 'No such account', [{ path: 'username', message: 'no such account' }]);
  if (account.role !== 'police') {
    throw invalidRequest([{ path: 'policeUnit', message: 'only a police account has a police unit' }]);
  }
  const policeUnit = typeof policeUnitParam === 'string' ? policeUnitParam.normalize('NFC') : '';
  const problems = visibleTextProblems(policeUnit);
  if ([...policeUnit].length > maxPoliceUnitLength) {
    problems.push(`must be at most ${maxPoliceUnitLength} characters long`);
  }
  if (problems.length > 0) {
    throw invalidRequest(problems.map((problem) => ({ path: 'policeUnit', message: `policeUnit ${problem}` })));
  }
  ports.accounts.setPoliceUnit(account.id, policeUnit);
  ports.audit.record(
    eventBy(actor, 'account.police-unit-set', account.username, { policeUnit, previous: account.policeUnit }),
    ports.clock.now(),
  );
  return { username: account.username, policeUnit };
}
