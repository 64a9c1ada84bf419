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
}

export interface NewAccount {
  username: string;
  passwordHash: string;
  role: Role;
  institution: string | null;
  displayName?: string | null;
}

export interface AccountRepository {
  findByUsername(username: string): Account | null;
  create(account: NewAccount, now: Date): Account;
  list(): Account[];
  /** False when there is no such account. */
  setPassword(username: string, passwordHash: string): boolean;
  setDisabled(id: number, disabled: boolean): void;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /**
   * With `stored` null the hasher still does a full derivation and returns false, so an unknown
   * username costs the same time as a wrong password.
   */
  verify(password: string, stored: string | null): Promise<boolean>;
}

/** Who is calling, once a bearer token has been checked. */
export interface Principal {
  role: Role | 'citizen';
  accountId: number | null;
  username: string | null;
  institution: string | null;
  /** Set for citizen tokens: the one certificate the token opens. */
  certificateNo: string | null;
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
