import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { PasswordHasher } from '../domain/accounts/account.ts';

/**
 * scrypt, a memory-hard KDF: N=2^15, r=8, p=1 uses 32 MiB per derivation (OWASP's minimum
 * for scrypt is 2^17 with r=8 at p=1 *or* lower N with more parallelism; we keep N=2^15 so a
 * 2-core machine still answers sign-ins in ~60 ms, and rate-limit and lock out on top).
 * Stored as `scrypt$N$r$p$salt$hash` so parameters can be raised without breaking old hashes.
 */
const defaults = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };

function derive(password: string, salt: Buffer, N: number, r: number, p: number, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export function createScryptPasswordHasher(params: Partial<typeof defaults> = {}): PasswordHasher {
  const { N, r, p, keyLength } = { ...defaults, ...params };
  const dummySalt = randomBytes(16);

  return {
    async hash(password) {
      const salt = randomBytes(16);
      const key = await derive(password, salt, N, r, p, keyLength);
      return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
    },

    async verify(password, stored) {
      if (stored === null) {
        await derive(password, dummySalt, N, r, p, keyLength);
        return false;
      }
      const [scheme, n, rr, pp, salt, expected] = stored.split('$');
      if (scheme !== 'scrypt' || !salt || !expected) return false;
      const expectedKey = Buffer.from(expected, 'base64url');
      const key = await derive(
        password,
        Buffer.from(salt, 'base64url'),
        Number(n),
        Number(rr),
        Number(pp),
        expectedKey.length,
      );
      return timingSafeEqual(key, expectedKey);
    },
  };
}
