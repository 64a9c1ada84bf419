import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { decodeProtectedHeader, flattenedVerify, importX509 } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoseQrCodec } from '../../src/adapters/cose/cose-qr-codec.ts';
import { licenceDigest } from '../../src/adapters/jws/licence-digest.ts';
import { createNodeJwsVerifier } from '../../src/adapters/jws/node-jws-verifier.ts';
import { signCredentials } from '../../src/adapters/jws/sign-credentials.ts';
import { signELicence } from '../../src/adapters/jws/sign-elicence.ts';
import { encodeQrModules } from '../../src/adapters/pdf/qr-drawing.ts';
import { nodeX509 } from '../../src/adapters/pki/node-x509.ts';
import { x5cToPem } from '../../src/adapters/pki/pem.ts';
import { createRegisterTrustSource } from '../../src/domain/trust/register-trust-source.ts';
import { readQrClaims } from '../../src/domain/verification/qr-claims.ts';
import { verify } from '../../src/domain/verification/verify.ts';
import {
  createTestDomain,
  SAMPLE_STATUS,
  sampleLicence,
  type TestDomain,
  TYPE_CODE,
  worstCaseLicence,
} from './pki-test-kit.ts';

const signedAt = new Date('2026-11-21T02:15:30Z');
const clock = { now: () => signedAt };
let domain: TestDomain;

beforeAll(async () => {
  domain = await createTestDomain();
});
afterAll(() => domain.close());

describe('the signed e-licence', () => {
  it('is a flattened ES256 JWS with typ, thumbprint kid, x5c and sigT that jose verifies with x5c[0]', async () => {
    const payload = sampleLicence();
    const signed = await signELicence(payload, domain.keyA, domain.keyStore, { signedAt });
    expect(Object.keys(signed).sort()).toEqual(['payload', 'protected', 'signature']);
    expect(decodeProtectedHeader(signed)).toEqual({
      alg: 'ES256',
      typ: 'birth-certificate+jws',
      kid: domain.keyA.kid,
      x5c: domain.keyA.x5c,
      sigT: '2026-11-21T02:15:30Z',
    });
    const key = await importX509(x5cToPem(domain.keyA.x5c[0]!), 'ES256');
    const { payload: bytes } = await flattenedVerify(signed, key);
    expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual(payload);
  });

  it('refuses to sign another institution’s licence', async () => {
    await expect(signELicence(sampleLicence(), domain.keyB, domain.keyStore)).rejects.toMatchObject({
      code: 'SIGNING_KEY_MISMATCH',
    });
  });
});

describe('the QR credential (BC1:)', () => {
  const codec = createCoseQrCodec();
  const claimsOf = (qr: string) => readQrClaims(codec.decode(qr)!.claims, TYPE_CODE)!;

  it('is a COSE_Sign1 (ES256, 8-byte kid) over the CWT claims that the institution key verifies, bound to the e-licence', async () => {
    const { signedJson, qr } = await signCredentials(sampleLicence(), domain.keyA, domain.keyStore, clock);
    expect(qr).toMatch(/^BC1:[0-9A-Z $%*+\-./:]+$/);
    const cose = codec.decode(qr)!;
    const kid8 = Buffer.from(domain.keyA.kid, 'base64url').subarray(0, 8);
    expect(cose.protectedHeader).toEqual(
      new Map<number, unknown>([
        [1, -7],
        [4, new Uint8Array(kid8)],
      ]),
    );
    const publicKey = createPublicKey({ key: { ...domain.keyA.publicJwk }, format: 'jwk' });
    expect(nodeVerify('sha256', cose.toBeSigned, { key: publicKey, dsaEncoding: 'ieee-p1363' }, cose.signature)).toBe(
      true,
    );
    expect(claimsOf(qr)).toEqual({
      issuerCreditCode: sampleLicence().certificate.issuer.creditCode,
      issuedAt: signedAt.getTime() / 1000,
      licenceId: sampleLicence().licence.id,
      status: SAMPLE_STATUS,
      certificateNo: 'Q440000001',
      newbornName: '李沐阳',
      newbornNameTruncated: false,
      sex: '1',
      birthTime: '2026-11-20T08:31+08:00',
      motherName: '王晓红',
      motherNameTruncated: false,
      issueDate: '2026-11-21',
      licenceDigest: licenceDigest(signedJson),
    });
    expect(encodeQrModules(qr).version).toBeLessThanOrEqual(13);
  });

  it('fits version 13 at level M for the worst case the schema allows, names cut and flagged', async () => {
    const { qr } = await signCredentials(worstCaseLicence(), domain.keyA, domain.keyStore, clock);
    expect(qr.length).toBeLessThanOrEqual(483);
    expect(encodeQrModules(qr).version).toBeLessThanOrEqual(13);
    const claims = claimsOf(qr);
    expect(claims.newbornNameTruncated && claims.motherNameTruncated).toBe(true);
    expect('𠮷'.repeat(50).startsWith(claims.newbornName)).toBe(true);
    expect(claims.birthTime).toBe('1999-12-31T23:59-12:00');
    expect(claims.issueDate).toBe('2000-01-01');
  });

  it('keeps names of 12 CJK characters in total whole in an ordinary record', async () => {
    const payload = sampleLicence({ newbornName: '欧阳沐阳沐阳', motherName: '司马晓红晓红', serial: 'Z'.repeat(20) });
    const { qr } = await signCredentials(payload, domain.keyA, domain.keyStore, clock);
    const claims = claimsOf(qr);
    expect([claims.newbornName, claims.motherName, claims.motherNameTruncated]).toEqual([
      '欧阳沐阳沐阳',
      '司马晓红晓红',
      false,
    ]);
    expect(encodeQrModules(qr).version).toBeLessThanOrEqual(13);
  });

  it('verifies, with the e-licence, as valid and consistent', async () => {
    const { signedJson, qr } = await signCredentials(worstCaseLicence(), domain.keyA, domain.keyStore, clock);
    const result = await verify(
      { qr, signedJson },
      {
        trust: createRegisterTrustSource(domain.register, nodeX509, TYPE_CODE),
        register: { lookup: () => ({ status: 'valid', supersededBy: null, householdRegistered: false }) },
        jws: createNodeJwsVerifier(),
        qr: codec,
        clock,
      },
    );
    expect(result.valid).toBe(true);
    expect(result.checks.map((check) => `${check.name}:${check.result}`)).toEqual([
      'format:pass',
      'signature:pass',
      'issuer:pass',
      'status:pass',
      'consistency:pass',
    ]);
  });
});
