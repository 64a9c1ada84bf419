import { compactVerify, decodeProtectedHeader, flattenedVerify, importX509 } from 'jose';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenceDigest } from '../../src/adapters/jws/licence-digest.ts';
import { createNodeJwsVerifier } from '../../src/adapters/jws/node-jws-verifier.ts';
import { signCredentials } from '../../src/adapters/jws/sign-credentials.ts';
import { signELicence } from '../../src/adapters/jws/sign-elicence.ts';
import { nodeX509 } from '../../src/adapters/pki/node-x509.ts';
import { x5cToPem } from '../../src/adapters/pki/pem.ts';
import { createRegisterTrustSource } from '../../src/domain/trust/register-trust-source.ts';
import { decodeBase64url } from '../../src/domain/verification/base64url.ts';
import { decodeQrClaims } from '../../src/domain/verification/qr-claims.ts';
import { verify } from '../../src/domain/verification/verify.ts';
import { createTestDomain, sampleLicence, type TestDomain, TYPE_CODE, worstCaseLicence } from './pki-test-kit.ts';

const signedAt = new Date('2026-11-21T02:15:30Z');
const clock = { now: () => signedAt };
let domain: TestDomain;

beforeAll(async () => {
  domain = await createTestDomain();
});
afterAll(() => domain.close());

const qrVersion = (text: string) => QRCode.create(text, { errorCorrectionLevel: 'M' }).version;

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

describe('the QR token', () => {
  it('is a compact ES256 JWS with an 8-character kid hint, bound to the e-licence by its digest', async () => {
    const { signedJson, qr } = await signCredentials(sampleLicence(), domain.keyA, domain.keyStore, clock);
    expect(decodeProtectedHeader(qr)).toEqual({ alg: 'ES256', kid: domain.keyA.kid.slice(0, 8) });
    const key = await importX509(x5cToPem(domain.keyA.x5c[0]!), 'ES256');
    const { payload } = await compactVerify(qr, key);
    expect(decodeQrClaims(payload)).toEqual({
      certificateNo: 'Q440000001',
      licenceIdTail: sampleLicence().licence.id.slice(`1.2.156.3005.2.${TYPE_CODE}.`.length),
      newbornName: '李沐阳',
      newbornNameTruncated: false,
      sex: '1',
      birthTime: '2026-11-20T08:31+08:00',
      motherName: '王晓红',
      motherNameTruncated: false,
      issuedAt: signedAt.getTime() / 1000,
      issueDate: '2026-11-21',
      licenceDigest: licenceDigest(signedJson),
    });
    expect(qrVersion(qr)).toBeLessThanOrEqual(13);
  });

  it('fits version 13 at level M for the worst case the schema allows, names cut and flagged', async () => {
    const { qr } = await signCredentials(worstCaseLicence(), domain.keyA, domain.keyStore, clock);
    expect(qr.length).toBeLessThanOrEqual(331);
    expect(qrVersion(qr)).toBeLessThanOrEqual(13);
    const claims = decodeQrClaims(decodeBase64url(qr.split('.')[1]!)!)!;
    expect(claims.newbornNameTruncated && claims.motherNameTruncated).toBe(true);
    expect('𠮷'.repeat(50).startsWith(claims.newbornName)).toBe(true);
    expect(claims.birthTime).toBe('1999-12-31T23:59-12:00');
    expect(claims.issueDate).toBe('2000-01-01');
  });

  it('keeps names of 12 CJK characters in total whole in an ordinary record', async () => {
    const payload = sampleLicence({ newbornName: '欧阳沐阳沐阳', motherName: '司马晓红晓红', serial: 'Z'.repeat(20) });
    const { qr } = await signCredentials(payload, domain.keyA, domain.keyStore, clock);
    const claims = decodeQrClaims(decodeBase64url(qr.split('.')[1]!)!)!;
    expect([claims.newbornName, claims.motherName, claims.motherNameTruncated]).toEqual([
      '欧阳沐阳沐阳',
      '司马晓红晓红',
      false,
    ]);
    expect(qrVersion(qr)).toBeLessThanOrEqual(13);
  });

  it('keeps 8 characters in total whole even with every optional label present', async () => {
    const payload = sampleLicence({
      newbornName: '欧阳沐阳',
      motherName: '司马晓红',
      birthTime: '1999-12-31T23:59-12:00',
      issueDate: '2000-01-01',
      serial: 'Z'.repeat(20),
      certificateNo: 'Z999999999',
    });
    const { qr } = await signCredentials(payload, domain.keyA, domain.keyStore, clock);
    const claims = decodeQrClaims(decodeBase64url(qr.split('.')[1]!)!)!;
    expect([claims.newbornName, claims.motherName, claims.newbornNameTruncated]).toEqual([
      '欧阳沐阳',
      '司马晓红',
      false,
    ]);
  });

  it('verifies, with the e-licence, as valid and consistent', async () => {
    const { signedJson, qr } = await signCredentials(worstCaseLicence(), domain.keyA, domain.keyStore, clock);
    const result = await verify(
      { qr, signedJson },
      {
        trust: createRegisterTrustSource(domain.register, nodeX509, TYPE_CODE),
        register: { lookup: () => ({ status: 'valid', supersededBy: null, householdRegistered: false }) },
        jws: createNodeJwsVerifier(),
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
