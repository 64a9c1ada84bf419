/**
 * Independent checkers: python jwcrypto for the JWS, openssl for the X.509 chain and profile,
 * zbarimg for the printed QR. Debian packages: openssl zbar-tools python3-jwcrypto.
 */

import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import base45 from 'base45';
import cbor from 'cbor';
import cose from 'cose-js';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoseQrCodec } from '../../src/adapters/cose/cose-qr-codec.ts';
import { createNodeJwsVerifier } from '../../src/adapters/jws/node-jws-verifier.ts';
import { type SignedCredentials, signCredentials } from '../../src/adapters/jws/sign-credentials.ts';
import { nodeX509 } from '../../src/adapters/pki/node-x509.ts';
import { x5cToPem } from '../../src/adapters/pki/pem.ts';
import { zlibCompression } from '../../src/adapters/status-lists/zlib-compression.ts';
import { signStatusListToken } from '../../src/domain/status-lists/status-list-token.ts';
import { packStatuses, STATUS_VALUE } from '../../src/domain/status-lists/status-values.ts';
import { buildTrustList } from '../../src/domain/trust/build-trust-list.ts';
import { createRegisterTrustSource } from '../../src/domain/trust/register-trust-source.ts';
import { verify } from '../../src/domain/verification/verify.ts';
import {
  createTestDomain,
  HOSPITAL_A,
  SAMPLE_STATUS,
  sampleLicence,
  type TestDomain,
  TYPE_CODE,
  worstCaseLicence,
} from '../adapters/pki-test-kit.ts';
import { ZBAR_QR_ONLY } from './zbar.ts';

const run = promisify(execFile);
const now = new Date('2026-11-21T02:15:30Z');
let domain: TestDomain;
let scratch: string;
let ordinary: SignedCredentials;
let worst: SignedCredentials;

beforeAll(async () => {
  domain = await createTestDomain();
  scratch = mkdtempSync(path.join(tmpdir(), 'trust-interop-'));
  ordinary = await signCredentials(sampleLicence(), domain.keyA, domain.keyStore, { now: () => now });
  worst = await signCredentials(worstCaseLicence(), domain.keyA, domain.keyStore, { now: () => now });
});
afterAll(() => {
  domain.close();
  rmSync(scratch, { recursive: true, force: true });
});

const file = (name: string, content: string) => {
  const target = path.join(scratch, name);
  writeFileSync(target, content);
  return target;
};

const verifyInProcess = (input: { qr?: string; signedJson?: unknown }) =>
  verify(input, {
    trust: createRegisterTrustSource(domain.register, nodeX509, TYPE_CODE),
    register: { lookup: () => ({ status: 'valid', supersededBy: null, householdRegistered: false }) },
    jws: createNodeJwsVerifier(),
    qr: createCoseQrCodec(),
    clock: { now: () => now },
  });

// Verifies a flattened or compact JWS with the key of its own x5c[0]. Prints the payload as hex.
const JWCRYPTO = `
import json, sys
from jwcrypto import jwk, jws
from jwcrypto.common import base64url_decode
kind, token_file, key_file = sys.argv[1:4]
text = open(token_file).read()
token = jws.JWS()
token.deserialize(text)
if kind == 'flattened':
    header = json.loads(base64url_decode(json.loads(text)['protected']))
    import base64
    der = base64.b64decode(header['x5c'][0])
    pem = b'-----BEGIN CERTIFICATE-----\\n' + base64.encodebytes(der) + b'-----END CERTIFICATE-----\\n'
    key = jwk.JWK.from_pem(pem)
else:
    header = json.loads(base64url_decode(text.split('.')[0]))
    import base64
    der = base64.b64decode(header['x5c'][0])
    pem = b'-----BEGIN CERTIFICATE-----\\n' + base64.encodebytes(der) + b'-----END CERTIFICATE-----\\n'
    key = jwk.JWK.from_pem(pem)
token.verify(key, alg='ES256')
print(token.payload.hex())
`;

describe('python jwcrypto', () => {
  it('verifies signed.json with the key in x5c[0] and reads the same payload', async () => {
    const token = file('signed.json', JSON.stringify(ordinary.signedJson));
    const { stdout } = await run('/usr/bin/python3', ['-c', JWCRYPTO, 'flattened', token, '-']);
    expect(Buffer.from(stdout.trim(), 'hex').toString('utf8')).toBe(JSON.stringify(sampleLicence()));
  });

  it('verifies a status list token with the key in its x5c[0], and reads the 2-bit list', async () => {
    const token = await signStatusListToken({
      uri: SAMPLE_STATUS.uri,
      bits: packStatuses(1024, [{ idx: 7, value: STATUS_VALUE.void }]),
      issuedAt: now,
      signer: domain.register.active('status-list')!,
      keyStore: domain.keyStore,
      x509: nodeX509,
      compression: zlibCompression,
    });
    const { stdout } = await run('/usr/bin/python3', ['-c', JWCRYPTO, 'compact-x5c', file('status.jwt', token), '-']);
    const payload = JSON.parse(Buffer.from(stdout.trim(), 'hex').toString('utf8'));
    expect(payload).toMatchObject({ sub: SAMPLE_STATUS.uri, ttl: 60, status_list: { bits: 2 } });
    expect(payload.exp - payload.iat).toBe(86_400);
    const bits = inflateSync(Buffer.from(payload.status_list.lst, 'base64url'));
    expect([bits.length, (bits[1]! >> 6) & 3]).toEqual([256, STATUS_VALUE.void]);
  });
});

describe('cose-js and the cbor package (not the service’s COSE or CBOR code)', () => {
  it('verifies the QR’s COSE_Sign1 with the trust-list key its kid names, and reads the CWT claims', async () => {
    let bytes = base45.decode(ordinary.qr.slice('BC1:'.length));
    if (bytes[0] === 0x78) bytes = inflateSync(bytes);
    const [protectedBytes] = (cbor.decodeFirstSync(bytes) as { value: Buffer[] }).value;
    const kid8 = Buffer.from((cbor.decodeFirstSync(protectedBytes!) as Map<number, Buffer>).get(4)!).toString(
      'base64url',
    );
    const trustList = buildTrustList({
      rootX509Pem: domain.register.active('root')!.x509Pem,
      keys: domain.register.list(),
      licenceTypeCode: TYPE_CODE,
      issuedAt: now,
    });
    const issuer = trustList.issuers.find((candidate) => candidate.keys.some((key) => key.kid8 === kid8))!;
    const pem = issuer.certificates[issuer.keys.findIndex((key) => key.kid8 === kid8)]!;
    const jwk = new X509Certificate(pem).publicKey.export({ format: 'jwk' });
    const verifier = { key: { x: Buffer.from(jwk.x!, 'base64url'), y: Buffer.from(jwk.y!, 'base64url') } };
    const payload: Buffer = await cose.sign.verify(Buffer.from(bytes), verifier);
    const claims = cbor.decodeFirstSync(payload) as Map<number, unknown>;
    expect(claims.get(1)).toBe(HOSPITAL_A.creditCode);
    expect(claims.get(6)).toBe(now.getTime() / 1000);
    expect(Buffer.from(claims.get(7) as Buffer).toString('utf8')).toBe(
      sampleLicence().licence.id.split('.').slice(-3).join('.'),
    );
    expect(claims.get(65535)).toEqual({ status_list: { idx: SAMPLE_STATUS.idx, uri: SAMPLE_STATUS.uri } });
    const certificate = claims.get(-65537) as Map<number, unknown>;
    expect([certificate.get(1), certificate.get(2), certificate.get(6)]).toEqual(['Q440000001', '李沐阳', '王晓红']);
    // A changed claim no longer verifies.
    const altered = Buffer.from(bytes);
    altered[altered.indexOf(Buffer.from('Q440000001'))] = 'P'.charCodeAt(0);
    await expect(cose.sign.verify(altered, verifier)).rejects.toThrow();
  });
});

describe('openssl', () => {
  it('verifies the x5c chain against the root', async () => {
    const root = file('root.pem', domain.register.active('root')!.x509Pem);
    const leaf = file('leaf.pem', x5cToPem(domain.keyA.x5c[0]!));
    const { stdout } = await run('openssl', ['verify', '-CAfile', root, leaf]);
    expect(stdout.trim()).toBe(`${leaf}: OK`);
  });

  it('shows the signing profile: end entity, digitalSignature + nonRepudiation, RFC 9336 document signing, UTF-8 names', async () => {
    const leaf = file('leaf-text.pem', x5cToPem(domain.keyA.x5c[0]!));
    const { stdout } = await run('openssl', [
      'x509',
      '-in',
      leaf,
      '-noout',
      '-text',
      '-nameopt',
      'utf8,sep_comma_plus_space',
    ]);
    expect(stdout).toContain(
      'Subject: C=CN, O=广州市妇女儿童医疗中心, organizationIdentifier=NTRCN-12440100455361428Y, CN=广州市妇女儿童医疗中心',
    );
    expect(stdout).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(stdout).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation\n/);
    expect(stdout).toMatch(/X509v3 Extended Key Usage: \s+1\.3\.6\.1\.5\.5\.7\.3\.36, E-mail Protection\n/);
    expect(stdout).toMatch(/X509v3 Subject Key Identifier/);
    expect(stdout).toMatch(/X509v3 Authority Key Identifier/);
    expect(stdout).toContain('ASN1 OID: prime256v1');
  });
});

describe('zbarimg', () => {
  it.each([
    ['an ordinary record', () => ordinary.qr],
    ['the worst case (version 13)', () => worst.qr],
  ])('reads back the exact QR text of %s, which then verifies', async (_label, text) => {
    const png = path.join(scratch, `qr-${text().length}.png`);
    await QRCode.toFile(png, text(), { errorCorrectionLevel: 'M', scale: 4, margin: 4 });
    const { stdout } = await run('zbarimg', [...ZBAR_QR_ONLY, png]);
    const scanned = stdout.replace(/\n$/, '');
    expect(scanned).toBe(text());
    expect((await verifyInProcess({ qr: scanned })).valid).toBe(true);
  });
});
