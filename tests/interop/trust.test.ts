/**
 * Independent checkers: python jwcrypto for the JWS, openssl for the X.509 chain and profile,
 * zbarimg for the printed QR. Debian packages: openssl zbar-tools python3-jwcrypto.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeJwsVerifier } from '../../src/adapters/jws/node-jws-verifier.ts';
import { type SignedCredentials, signCredentials } from '../../src/adapters/jws/sign-credentials.ts';
import { nodeX509 } from '../../src/adapters/pki/node-x509.ts';
import { x5cToPem } from '../../src/adapters/pki/pem.ts';
import { buildJwks } from '../../src/domain/trust/build-jwks.ts';
import { createRegisterTrustSource } from '../../src/domain/trust/register-trust-source.ts';
import { verify } from '../../src/domain/verification/verify.ts';
import {
  createTestDomain,
  sampleLicence,
  type TestDomain,
  TYPE_CODE,
  worstCaseLicence,
} from '../adapters/pki-test-kit.ts';

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
    clock: { now: () => now },
  });

// Verifies the flattened JWS with the key of its own x5c[0]; for a compact JWS, with the JWKS
// key whose kid starts with the token's kid hint. Prints the payload as hex.
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
    hint = json.loads(base64url_decode(text.split('.')[0]))['kid']
    jwks = json.load(open(key_file))
    key = jwk.JWK(**[k for k in jwks['keys'] if k['kid'].startswith(hint)][0])
token.verify(key, alg='ES256')
print(token.payload.hex())
`;

describe('python jwcrypto', () => {
  it('verifies signed.json with the key in x5c[0] and reads the same payload', async () => {
    const token = file('signed.json', JSON.stringify(ordinary.signedJson));
    const { stdout } = await run('/usr/bin/python3', ['-c', JWCRYPTO, 'flattened', token, '-']);
    expect(Buffer.from(stdout.trim(), 'hex').toString('utf8')).toBe(JSON.stringify(sampleLicence()));
  });

  it('verifies the QR token with the published JWKS key', async () => {
    const jwks = buildJwks(domain.register.list(), nodeX509);
    const publicOnly = { keys: jwks.keys.map(({ kty, crv, x, y, kid }) => ({ kty, crv, x, y, kid })) };
    const { stdout } = await run('/usr/bin/python3', [
      '-c',
      JWCRYPTO,
      'compact',
      file('qr.txt', ordinary.qr),
      file('jwks.json', JSON.stringify(publicOnly)),
    ]);
    expect(stdout.trim()).toBe(Buffer.from(ordinary.qr.split('.')[1]!, 'base64url').toString('hex'));
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
    const { stdout } = await run('zbarimg', ['-q', '--raw', png]);
    const scanned = stdout.replace(/\n$/, '');
    expect(scanned).toBe(text());
    expect((await verifyInProcess({ qr: scanned })).valid).toBe(true);
  });
});
