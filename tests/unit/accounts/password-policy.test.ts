import { describe, expect, it } from 'vitest';
import { zxcvbnPasswordStrength } from '../../../src/adapters/zxcvbn-password-strength.ts';
import { checkNewPassword } from '../../../src/domain/accounts/password-policy.ts';
import { checkNoDemoTrustDomain, checkProductionPassphrase } from '../../../src/domain/trust/production-guards.ts';

const refusal = (fn: () => void) => {
  try {
    fn();
  } catch (error) {
    return { code: (error as { code: string }).code, message: (error as Error).message };
  }
  return null;
};

describe('operator passwords', () => {
  const account = { username: 'issuer.gulou', displayName: '王芳' };
  it.each([
    [' '.repeat(12), 'password must not be one character repeated or only spaces'],
    ['aaaaaaaaaaaaaaaa', 'password must not be one character repeated or only spaces'],
    ['issuer.gulou2026!', 'password must not contain the username or the display name'],
    ['ISSUER.GULOU-x-y-z', 'password must not contain the username or the display name'],
    [
      'password1234',
      'password is too easy to guess (common words, names, dates or keyboard patterns); use a longer passphrase',
    ],
    [
      'qwertyuiop123',
      'password is too easy to guess (common words, names, dates or keyboard patterns); use a longer passphrase',
    ],
    ['eleven char', 'password must have at least 12 characters'],
  ])('refuses %j', (password, message) => {
    expect(refusal(() => checkNewPassword(password, account, zxcvbnPasswordStrength))).toEqual({
      code: 'WEAK_PASSWORD',
      message: `The password is refused: ${message}`,
    });
  });

  it('accepts a long passphrase', () => {
    expect(refusal(() => checkNewPassword('correct horse battery staple', account, zxcvbnPasswordStrength))).toBe(null);
  });
});

describe('production key passphrases', () => {
  it.each([
    ['a', 'the key passphrase must have at least 16 characters'],
    ['example-only', 'the key passphrase is a published example or development passphrase'],
    ['development-only', 'the key passphrase is a published example or development passphrase'],
    [' Test-Passphrase ', 'the key passphrase is a published example or development passphrase'],
    ['passwordpassword', 'the key passphrase is too easy to guess (strength estimate below 3 of 4)'],
    ['1234567890123456', 'the key passphrase is too easy to guess (strength estimate below 3 of 4)'],
  ])('refuses %j', (passphrase, message) => {
    expect(refusal(() => checkProductionPassphrase(passphrase, zxcvbnPasswordStrength))).toEqual({
      code: 'UNSAFE_FOR_PRODUCTION',
      message: `Production refuses to start: ${message}`,
    });
  });

  it('accepts a long random one', () => {
    expect(refusal(() => checkProductionPassphrase('hN3v-8qLr-Zt2w-Kx9p-Fm4s', zxcvbnPasswordStrength))).toBe(null);
  });
});

describe('the demo trust domain in production', () => {
  const none = { rootOrganization: '福建省卫生健康委员会', demoInstitutions: [], demoAccounts: [], demoFiles: [] };
  it('passes a data directory set up by the operator CLI', () => {
    expect(refusal(() => checkNoDemoTrustDomain(none))).toBe(null);
  });
  it('names every demo trace it finds', () => {
    expect(
      refusal(() =>
        checkNoDemoTrustDomain({
          rootOrganization: '演示卫生健康委员会',
          demoInstitutions: ['12440106455401234X'],
          demoAccounts: ['demo-admin'],
          demoFiles: ['demo-credentials.json'],
        }),
      )?.message,
    ).toBe(
      'Production refuses to start: the data directory was seeded by the demo: the trust root is the demo root CA; demo institutions (12440106455401234X); demo accounts (demo-admin); demo files in the data directory (demo-credentials.json). Set up a new one with the operator CLI',
    );
  });
});
