export const roles = ['admin', 'midwife', 'issuer', 'police', 'agency', 'auditor', 'statistician'] as const;
export type Role = (typeof roles)[number];

/** Roles that act for one midwifery institution. */
export const institutionRoles: readonly Role[] = ['midwife', 'issuer'];

export const isRole = (value: unknown): value is Role => roles.includes(value as Role);

export interface Account {
  id: number;
  username: string;
  passwordHash: string;
  role: Role;
  /** Credit code of the institution, for midwives and issuers; null for the other roles. */
  institution: string | null;
  displayName: string | null;
  disabled: boolean;
  /**
   * For police accounts: the police unit (派出所 or office) the officer acts for, whose archives
   * are shared by its officers. Null for the other roles, and for a police account not yet
   * assigned to one (it cannot archive).
   */
  policeUnit: string | null;
}

export interface NewAccount {
  username: string;
  passwordHash: string;
  role: Role;
  institution: string | null;
  displayName?: string | null;
  /** Police accounts only. */
  policeUnit?: string | null;
}

export interface AccountRepository {
  findByUsername(username: string): Account | null;
  create(account: NewAccount, now: Date): Account;
  list(): Account[];
  /** False when there is no such account. */
  setPassword(username: string, passwordHash: string): boolean;
  setDisabled(id: number, disabled: boolean): void;
  /** Police accounts only (the table's CHECK refuses it for another role). */
  setPoliceUnit(id: number, policeUnit: string): void;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /**
   * With `stored` null the hasher still does a full derivation and returns false, so an unknown
   * username costs the same time as a wrong password.
   */
  verify(password: string, stored: string | null): Promise<boolean>;
}

/** Roles that act for one midwifery institution, as a type. */
export type InstitutionRole = 'midwife' | 'issuer';

/** A staff member signed in with a password: `institution` is set exactly for the institution roles. */
export type StaffPrincipal<R extends Role = Role> = {
  [K in R]: {
    role: K;
    accountId: number;
    username: string;
    institution: K extends InstitutionRole ? string : null;
    certificateNo: null;
  };
}[R];

/** The parents, holding a claim token: it opens exactly one certificate. */
export interface CitizenPrincipal {
  role: 'citizen';
  accountId: null;
  username: null;
  institution: null;
  certificateNo: string;
}

/** Who is calling, once a bearer token has been checked; discriminated by `role`. */
export type Principal = StaffPrincipal | CitizenPrincipal;

/** The principals of some roles, e.g. `PrincipalOf<'issuer'>` has a username and an institution. */
export type PrincipalOf<R extends Principal['role']> = Extract<Principal, { role: R }>;

/** The columns a token store keeps, before they are known to fit together. */
export interface PrincipalFields {
  role: string;
  accountId: number | null;
  username: string | null;
  institution: string | null;
  certificateNo: string | null;
}

/**
 * The principal stored fields describe, or null when they do not fit one (a role the service
 * does not know, a staff token without its account, an institution role without an institution).
 */
export function principalOf(fields: PrincipalFields): Principal | null {
  const { role, accountId, username, institution, certificateNo } = fields;
  if (role === 'citizen') {
    return certificateNo === null ? null : { role, accountId: null, username: null, institution: null, certificateNo };
  }
  if (!isRole(role) || accountId === null || username === null) return null;
  if (role === 'midwife' || role === 'issuer') {
    return institution === null ? null : { role, accountId, username, institution, certificateNo: null };
  }
  return { role, accountId, username, institution: null, certificateNo: null };
}

/** The principal a signed-in account acts as. The accounts table's CHECK keeps institution and role in step. */
export function staffPrincipalOf(account: Account): StaffPrincipal {
  const principal = principalOf({ ...account, accountId: account.id, certificateNo: null });
  if (principal === null || principal.role === 'citizen') {
    throw new Error(`Account ${account.id} has a role and institution that do not fit together`);
  }
  return principal;
}

export interface IssuedToken {
  token: string;
  expiresInSeconds: number;
}

export interface TokenStore {
  issue(principal: Principal, ttlSeconds: number, now: Date): IssuedToken;
  resolve(token: string, now: Date): Principal | null;
  /** Ends one token (sign-out); false if it was unknown or already ended. */
  revoke(token: string): boolean;
  /** Ends every token of an account; returns how many were live. */
  revokeAllOf(accountId: number): number;
}

/** Strength of a new secret as a cracker would guess it; 0 (guessable) to 4 (very unguessable). */
export interface PasswordStrength {
  score(password: string, userInputs: readonly string[]): 0 | 1 | 2 | 3 | 4;
}
