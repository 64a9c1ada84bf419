import { describe, expect, it } from 'vitest';
import { createNodeJwsVerifier } from '../../src/adapters/jws/node-jws-verifier.ts';
import { verify } from '../../src/domain/verification/verify.ts';
import { loadVectors } from '../vectors/load-vectors.ts';

const { vectors, trust, register, qr, clock } = loadVectors();
const ports = { trust, register, qr, jws: createNodeJwsVerifier(), clock };

describe('known-answer vectors', () => {
  it('cover every outcome the contract names', () => {
    const reasons = new Set(vectors.map((vector) => vector.expected.reason ?? 'valid'));
    expect([...reasons].sort()).toEqual([
      'BAD_SIGNATURE',
      'DATA_MISMATCH',
      'ISSUER_REVOKED',
      'MALFORMED',
      'NOT_FOUND',
      'REVOKED',
      'SUPERSEDED',
      'UNTRUSTED_ISSUER',
      'VOID',
      'valid',
    ]);
  });

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s', async (_name, vector) => {
    expect(await verify(vector.input, ports)).toEqual(vector.expected);
  });
});
