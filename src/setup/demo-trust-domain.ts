import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AccountRepository, PasswordHasher, Role } from '../domain/accounts/account.ts';
import { completeCreditCode } from '../domain/check/credit-code.ts';
import type { InstitutionRepository } from '../domain/institution.ts';
import type { UnitOfWork } from '../domain/lifecycle/ports.ts';

/** Demo institutions: invented names and numbers with valid check characters. Demo only. */
export const demoInstitutions = [
  {
    key: 'gz',
    name: '广州市天河区示范妇幼保健院',
    creditCode: completeCreditCode('12440106455401234'),
    divisionCode: '440106',
    numbers: { prefix: 'Q', firstNo: 440_000_001, lastNo: 440_099_999 },
  },
  {
    key: 'bj',
    name: '北京市朝阳区示范妇产医院',
    creditCode: completeCreditCode('12110105400000567'),
    divisionCode: '110105',
    numbers: { prefix: 'P', firstNo: 110_000_001, lastNo: 110_099_999 },
  },
] as const;

/** The demo police account's unit (invented): its officers share the unit's police archives. */
export const demoPoliceUnit = '广州市公安局天河区分局天河南派出所';

const commissionRoles: Role[] = ['admin', 'police', 'agency', 'auditor', 'statistician'];
const institutionRoles: Role[] = ['midwife', 'issuer'];

export interface DemoAccount {
  role: Role;
  username: string;
  password: string;
  institution: string | null;
}

/** Where the demo accounts land: the service's stores, nothing more. */
export interface DemoSeedTarget {
  /** The seed lands in one transaction: all of it or, after a stop, none. */
  lifecycle: { transactions: UnitOfWork };
  institutions: Pick<InstitutionRepository, 'create' | 'addNumberRange'>;
  accounts: Pick<AccountRepository, 'create'>;
}

export interface HashedDemoAccount extends DemoAccount {
  passwordHash: string;
}

/**
 * One account per role (per institution for midwives and issuers), each with a random password
 * and its hash. The hashes are derived concurrently: scrypt runs on libuv's thread pool, so the
 * derivations start at once and overlap each other and whatever the main thread does meanwhile.
 */
export function hashDemoPasswords(hasher: PasswordHasher): Promise<HashedDemoAccount[]> {
  const plan: { role: Role; username: string; institution: string | null }[] = [
    ...commissionRoles.map((role) => ({ role, username: `demo-${role}`, institution: null })),
    ...demoInstitutions.flatMap((inst) =>
      institutionRoles.map((role) => ({ role, username: `demo-${role}-${inst.key}`, institution: inst.creditCode })),
    ),
  ];
  return Promise.all(
    plan.map(async (entry) => {
      const password = randomBytes(12).toString('base64url');
      return { ...entry, password, passwordHash: await hasher.hash(password) };
    }),
  );
}

/**
 * Seeds an empty, non-production data directory: the two institutions with number stock, the
 * accounts of `hashDemoPasswords`, and `demo-credentials.json` (mode 0600) listing them.
 * Passwords are random per data directory.
 */
export async function seedDemoAccounts(
  target: DemoSeedTarget,
  dataDir: string,
  now: Date,
  hashed: readonly HashedDemoAccount[],
): Promise<DemoAccount[]> {
  const accounts: DemoAccount[] = hashed.map(({ role, username, password, institution }) => ({
    role,
    username,
    password,
    institution,
  }));
  // The file first: a start stopped before the commit below finds an empty database, seeds
  // again and rewrites the file, so the file never lacks passwords the database holds.
  await writeFile(path.join(dataDir, 'demo-credentials.json'), `${JSON.stringify({ accounts }, null, 2)}\n`, {
    mode: 0o600,
  });
  target.lifecycle.transactions.run(() => {
    for (const inst of demoInstitutions) {
      target.institutions.create(
        { creditCode: inst.creditCode, name: inst.name, divisionCode: inst.divisionCode },
        now,
      );
      target.institutions.addNumberRange({
        institution: inst.creditCode,
        ...inst.numbers,
        receivedOn: now.toISOString().slice(0, 10),
      });
    }
    for (const entry of hashed) {
      target.accounts.create(
        {
          username: entry.username,
          passwordHash: entry.passwordHash,
          role: entry.role,
          institution: entry.institution,
          policeUnit: entry.role === 'police' ? demoPoliceUnit : null,
        },
        now,
      );
    }
  });
  return accounts;
}
