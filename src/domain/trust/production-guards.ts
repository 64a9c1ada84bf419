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

const refuse = (message: string) => new DomainError('UNSAFE_FOR_PRODUCTION', `Production refuses to start: ${message}`);

/** Refuses a missing, short, published or guessable key passphrase. Never quotes it. */
export function checkProductionPassphrase(passphrase: string | null, strength: PasswordStrength): void {
  if (passphrase === null) throw refuse('KEY_PASSPHRASE or KEY_PASSPHRASE_FILE is required');
  if (PUBLISHED_PASSPHRASES.includes(passphrase.trim().toLowerCase())) {
    throw refuse('the key passphrase is a published example or development passphrase');
  }
  if ([...passphrase].length < minPassphraseLength) {
    throw refuse(`the key passphrase must have at least ${minPassphraseLength} characters`);
  }
  if (strength.score(passphrase, ['birth', 'certificate', 'elicence', 'passphrase']) < minPassphraseScore) {
    throw refuse('the key passphrase is too easy to guess (strength estimate below 3 of 4)');
  }
}

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
export function checkNoDemoTrustDomain(traces: DemoTraces): void {
  const found: string[] = [];
  if (traces.rootOrganization?.includes('演示')) found.push('the trust root is the demo root CA');
  if (traces.demoInstitutions.length > 0) found.push(`demo institutions (${traces.demoInstitutions.join(', ')})`);
  if (traces.demoAccounts.length > 0) found.push(`demo accounts (${traces.demoAccounts.join(', ')})`);
  if (traces.demoFiles.length > 0) found.push(`demo files in the data directory (${traces.demoFiles.join(', ')})`);
  if (found.length > 0) {
    throw refuse(
      `the data directory was seeded by the demo: ${found.join('; ')}. Set up a new one with the operator CLI`,
    );
  }
}
