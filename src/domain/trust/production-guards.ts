import type { PasswordStrength } from '../accounts/account.ts';
import { DomainError } from '../errors.ts';

/**
 * Passphrases written in this repository (examples, tests, the development fallback): anyone can
 * read them, so they protect nothing. Compared without case or surrounding spaces.
 */
export const PUBLISHED_PASSPHRASES: readonly string[] = [
  'example-only',
  'development-only',
  'test-vectors-only',
  'test-passphrase',
  'a real passphrase for this test',
];

/** The passphrase guards every private key at rest: longer than a staff password. */
export const minPassphraseLength = 16;
export const minPassphraseScore = 3;

/** One refusal naming every problem found, so an operator fixes them in one go. */
export function refuseUnsafeProduction(problems: readonly string[]): void {
  if (problems.length > 0) {
    throw new DomainError('UNSAFE_FOR_PRODUCTION', `Production refuses to start: ${problems.join('; ')}`);
  }
}

/** What is wrong with a key passphrase for production: missing, published, short or guessable. Never quotes it. */
export function passphraseProblems(passphrase: string | null, strength: PasswordStrength): string[] {
  if (passphrase === null) return ['KEY_PASSPHRASE or KEY_PASSPHRASE_FILE is required'];
  if (PUBLISHED_PASSPHRASES.includes(passphrase.trim().toLowerCase())) {
    return ['the key passphrase is a published example or development passphrase'];
  }
  if ([...passphrase].length < minPassphraseLength) {
    return [`the key passphrase must have at least ${minPassphraseLength} characters`];
  }
  if (strength.score(passphrase, ['birth', 'certificate', 'elicence', 'passphrase']) < minPassphraseScore) {
    return ['the key passphrase is too easy to guess (strength estimate below 3 of 4)'];
  }
  return [];
}

export const checkProductionPassphrase = (passphrase: string | null, strength: PasswordStrength): void =>
  refuseUnsafeProduction(passphraseProblems(passphrase, strength));

/** What a data directory holds that only the demo seeding puts there. */
export interface DemoTraces {
  /** Subject organisation of the active root certificate; the demo root's says 演示. */
  rootOrganization: string | null;
  /** Credit codes of institutions in the register that are the demo's invented ones. */
  demoInstitutions: readonly string[];
  /** Usernames of accounts the demo seeds (demo-…). */
  demoAccounts: readonly string[];
  /** Files the demo writes into the data directory (demo-credentials.json, demo-key-passphrase). */
  demoFiles: readonly string[];
}

/**
 * A data directory seeded by the demo is not a production trust domain: its root and keys were
 * made on a developer's start and its accounts' passwords sit in a file beside it.
 */
export function demoTraceProblems(traces: DemoTraces): string[] {
  const found: string[] = [];
  if (traces.rootOrganization?.includes('演示')) found.push('the trust root is the demo root CA');
  if (traces.demoInstitutions.length > 0) found.push(`demo institutions (${traces.demoInstitutions.join(', ')})`);
  if (traces.demoAccounts.length > 0) found.push(`demo accounts (${traces.demoAccounts.join(', ')})`);
  if (traces.demoFiles.length > 0) found.push(`demo files in the data directory (${traces.demoFiles.join(', ')})`);
  return found.length > 0
    ? [`the data directory was seeded by the demo: ${found.join('; ')}. Set up a new one with the operator CLI`]
    : [];
}

export const checkNoDemoTrustDomain = (traces: DemoTraces): void => refuseUnsafeProduction(demoTraceProblems(traces));
