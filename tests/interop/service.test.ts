/**
 * What the running service issues, checked by independent tools: python jwcrypto verifies
 * signed.json with x5c[0]; openssl verifies the x5c chain against the published trust-list
 * root; pdfsig reports the PDF signature valid and trusted; zbarimg reads the printed QR from a
 * 150 dpi render and the service verifies that text; pdftotext and qpdf read the PDF.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords } from '../fixtures/records.ts';
import { startTestService, type TestService } from '../http/harness.ts';
import { bornBefore, issueBirth, staffOf } from '../http/lifecycle-helpers.ts';
import { ZBAR_QR_ONLY } from './zbar.ts';

const run = promisify(execFile);
let svc: TestService;
let scratch: string;
let signedJson: string;
let pdfFile: string;
let rootFile: string;
let certificateNo: string;
const record = bornBefore(fixtureRecords[2]!, new Date(), 1);

const file = (name: string, content: string | Uint8Array) => {
  const target = path.join(scratch, name);
  writeFileSync(target, content);
  return target;
};

beforeAll(async () => {
  svc = await startTestService();
  scratch = mkdtempSync(path.join(tmpdir(), 'service-interop-'));
  const issuer = await svc.token('issuer', 'gz');
  certificateNo = (await issueBirth(svc, await staffOf(svc, 'gz'), record)).certificateNo;
  signedJson = JSON.stringify(
    (await svc.request('GET', `/api/v1/certificates/${certificateNo}/signed.json`, { token: issuer })).body,
  );
  pdfFile = file(
    'certificate.pdf',
    (await svc.request('GET', `/api/v1/certificates/${certificateNo}/pdf`, { token: issuer })).body,
  );
  rootFile = file('root.pem', (await svc.request('GET', '/api/v1/trust-list')).body.root);
});
afterAll(async () => {
  await svc?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the issued e-licence', () => {
  it('verifies with python jwcrypto using the key in x5c[0]', async () => {
    const script = `
import json, sys, base64
from jwcrypto import jwk, jws
from jwcrypto.common import base64url_decode
text = open(sys.argv[1]).read()
header = json.loads(base64url_decode(json.loads(text)['protected']))
der = base64.b64decode(header['x5c'][0])
key = jwk.JWK.from_pem(b'-----BEGIN CERTIFICATE-----\\n' + base64.encodebytes(der) + b'-----END CERTIFICATE-----\\n')
token = jws.JWS()
token.deserialize(text)
token.verify(key, alg='ES256')
print(json.loads(token.payload)['certificate']['certificateNo'])
`;
    const { stdout } = await run('/usr/bin/python3', ['-c', script, file('signed.json', signedJson)]);
    expect(stdout.trim()).toBe(certificateNo);
  });

  it('chains to the published trust-list root under openssl verify', async () => {
    const header = JSON.parse(Buffer.from(JSON.parse(signedJson).protected, 'base64url').toString('utf8'));
    const leaf = `-----BEGIN CERTIFICATE-----\n${header.x5c[0].match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;
    const { stdout } = await run('openssl', ['verify', '-CAfile', rootFile, file('leaf.pem', leaf)]);
    expect(stdout.trim()).toMatch(/: OK$/);
  });
});

describe('the issued PDF', () => {
  it('has a valid PDF signature by a certificate pdfsig trusts once the root is in its database', async () => {
    const nss = path.join(scratch, 'nss');
    await run('mkdir', ['-p', nss]);
    await run('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
    await run('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'root', '-t', 'CT,C,C', '-i', rootFile]);
    const { stdout } = await run('pdfsig', ['-nssdir', `sql:${nss}`, pdfFile]);
    expect(stdout).toContain('Signature Validation: Signature is Valid.');
    expect(stdout).toContain('Certificate Validation: Certificate is Trusted.');
  });

  it('prints a QR that zbarimg reads from a 150 dpi render and the service verifies', async () => {
    await run('pdftoppm', ['-r', '150', '-png', pdfFile, path.join(scratch, 'page')]);
    const { stdout } = await run('zbarimg', [...ZBAR_QR_ONLY, path.join(scratch, 'page-1.png')]);
    const qr = stdout.replace(/\n$/, '');
    const res = await svc.request('POST', '/api/v1/verifications', { json: { qr } });
    expect(res.body).toMatchObject({ valid: true, status: 'valid', certificate: { certificateNo } });
  });

  it('gives its names and numbers to pdftotext and passes qpdf --check', async () => {
    const { stdout } = await run('pdftotext', ['-layout', pdfFile, '-']);
    for (const text of [certificateNo, record.newborn.name, record.mother.name, record.father!.name, '出生医学证明']) {
      expect(stdout).toContain(text);
    }
    const check = await run('qpdf', ['--check', pdfFile]);
    expect(check.stdout).toContain('No syntax or stream encoding errors found');
  });
});
