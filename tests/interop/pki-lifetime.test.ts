/**
 * The lifetime pieces of the trust domain checked by tools we did not write: pdfsig on the B-LTA
 * PDF, `openssl ts -verify` on its signature timestamp and document timestamp, `openssl verify
 * -crl_check` and GnuTLS `certtool` on the chains, `openssl crl` on the served CRL, python
 * `cryptography` loading every certificate of the register, and the public TSA driven by
 * `openssl ts -query` / `-verify`. Debian packages: openssl poppler-utils libnss3-tools
 * gnutls-bin python3-cryptography.
 */
import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords } from '../fixtures/records.ts';
import { startTestService, type TestService } from '../http/harness.ts';
import { bornBefore, demo, issueBirth, staffOf } from '../http/lifecycle-helpers.ts';

const run = promisify(execFile);
const SIGNATURE_TIMESTAMP_OID = '1.2.840.113549.1.9.16.2.14';
let svc: TestService;
let scratch: string;
let pdf: Buffer;
let pdfFile: string;
let rootFile: string;
let tsaFile: string;

const file = (name: string, content: string | Uint8Array) => {
  const target = path.join(scratch, name);
  writeFileSync(target, content);
  return target;
};

/** Every signature dictionary's byte ranges and CMS, in file order (the signature, then document timestamps). */
function signaturesOf(bytes: Buffer): { signed: Buffer; cms: Buffer }[] {
  const found: { signed: Buffer; cms: Buffer }[] = [];
  for (const m of bytes.toString('latin1').matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    const [a, b, c, d] = m.slice(1, 5).map(Number) as [number, number, number, number];
    const hex = bytes.subarray(a + b + 1, c - 1).toString('latin1');
    found.push({
      signed: Buffer.concat([bytes.subarray(a, a + b), bytes.subarray(c, c + d)]),
      cms: Buffer.from(hex.replace(/(00)+$/, ''), 'hex'),
    });
  }
  return found;
}

/** The signature timestamp token (an unsigned attribute of the signer) and the signature value it covers. */
function signatureTimestampOf(cms: Buffer): { token: Buffer; signatureValue: Buffer } {
  const content = pkijs.ContentInfo.fromBER(cms);
  const signedData = new pkijs.SignedData({ schema: content.content });
  const signer = signedData.signerInfos[0]!;
  const attribute = signer.unsignedAttrs?.attributes.find((candidate) => candidate.type === SIGNATURE_TIMESTAMP_OID);
  if (!attribute) throw new Error('no signature timestamp');
  return {
    token: Buffer.from(attribute.values[0]!.toBER()),
    signatureValue: Buffer.from(signer.signature.valueBlock.valueHexView),
  };
}

const pemOf = (der: Uint8Array) =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(der)
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END CERTIFICATE-----\n`;

beforeAll(async () => {
  svc = await startTestService();
  scratch = mkdtempSync(path.join(tmpdir(), 'pki-lifetime-interop-'));
  const { certificateNo } = await issueBirth(
    svc,
    await staffOf(svc, 'gz'),
    bornBefore(fixtureRecords[3]!, new Date(), 1),
  );
  pdf = (
    await svc.request('GET', `/api/v1/certificates/${certificateNo}/pdf`, { token: await svc.token('issuer', 'gz') })
  ).body as Buffer;
  pdfFile = file('certificate.pdf', pdf);
  const rootDer = (await svc.request('GET', '/api/v1/pki/root.crt')).body as Buffer;
  rootFile = file('root.pem', pemOf(rootDer));
  tsaFile = file('tsa.pem', svc.running.service.signingKeys.active('tsa')!.x509Pem);
});
afterAll(async () => {
  await svc?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('pdfsig (poppler, NSS)', () => {
  it('finds the signature valid and trusted over the signed revision, then the document timestamp', async () => {
    const nss = path.join(scratch, 'nss');
    await run('mkdir', ['-p', nss]);
    await run('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
    await run('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'root', '-t', 'CT,C,C', '-i', rootFile]);
    const { stdout } = await run('pdfsig', ['-nssdir', `sql:${nss}`, pdfFile]);
    const [, first, second] = stdout.split(/^Signature #\d+:$/m);
    expect(first).toContain('- Signature Type: ETSI.CAdES.detached');
    expect(first).toContain('- Signature Validation: Signature is Valid.');
    expect(first).toContain('- Certificate Validation: Certificate is Trusted.');
    // Poppler lists the document timestamp (signer, whole file) but does not check ETSI.RFC3161
    // signatures: it reports their type as unknown and leaves them unverified. openssl ts checks it below.
    expect(second).toContain('- Signer Certificate Common Name: 出生医学证明电子证照时间戳服务');
    expect(second).toContain('- Signature Type: unknown');
    expect(second).toContain('- Total document signed');
    expect(second).toContain('- Signature Validation: Signature has not yet been verified.');
  });
});

describe('PDF/A-3b structure, read with qpdf --json (no PDF/A validator is available here)', () => {
  // qpdf's JSON, checked field by field below.
  let objects: Record<string, any>;
  let attachments: Record<string, any>;
  const value = (ref: string) => objects[`obj:${ref}`].value;

  beforeAll(async () => {
    const { stdout } = await run(
      'qpdf',
      [
        '--json=2',
        '--json-key=qpdf',
        '--json-key=attachments',
        '--json-stream-data=inline',
        '--decode-level=generalized',
        pdfFile,
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const json = JSON.parse(stdout);
    objects = json.qpdf[1];
    attachments = json.attachments;
  });

  it('has a document /ID, /Lang zh-CN and an sRGB output intent with its ICC profile', () => {
    const trailer = objects.trailer.value;
    expect(trailer['/ID']).toHaveLength(2);
    expect(trailer['/ID'][0]).toMatch(/^b:[0-9a-f]{32}$/);
    const catalog = value(trailer['/Root']);
    expect(catalog['/Lang']).toBe('u:zh-CN');
    const [intent] = catalog['/OutputIntents'];
    expect(intent).toMatchObject({
      '/Type': '/OutputIntent',
      '/S': '/GTS_PDFA1',
      '/OutputConditionIdentifier': 'u:sRGB IEC61966-2.1',
    });
    const profile = objects[`obj:${intent['/DestOutputProfile']}`].stream;
    expect(profile.dict['/N']).toBe(3);
    const icc = Buffer.from(profile.data, 'base64');
    // ICC header: profile class 'mntr', colour space 'RGB ', signature 'acsp'.
    expect([icc.subarray(12, 16), icc.subarray(16, 20), icc.subarray(36, 40)].map(String)).toEqual([
      'mntr',
      'RGB ',
      'acsp',
    ]);
  });

  it('carries XMP metadata: title, creator tool, the e-licence identifier, pdfaid part 3 conformance B', () => {
    const catalog = value(objects.trailer.value['/Root']);
    const metadata = objects[`obj:${catalog['/Metadata']}`].stream;
    expect(metadata.dict).toEqual({ '/Subtype': '/XML', '/Type': '/Metadata' });
    const xmp = Buffer.from(metadata.data, 'base64').toString('utf8');
    const info = value(objects.trailer.value['/Info']);
    const title = /<dc:title><rdf:Alt><rdf:li xml:lang="x-default">(.*?)<\/rdf:li>/.exec(xmp)?.[1];
    expect(title).toMatch(/^出生医学证明 [A-Z]\d{9}$/);
    expect(info['/Title']).toBe(`u:${title}`);
    expect(xmp).toContain('<xmp:CreatorTool>birth-certificate-elicence</xmp:CreatorTool>');
    expect(info['/Creator']).toBe('u:birth-certificate-elicence');
    expect(xmp).toMatch(/<dc:identifier>1\.2\.156\.3005\.2\.[0-9A-Z.]+<\/dc:identifier>/);
    expect(xmp).toContain('<pdfaid:part>3</pdfaid:part>');
    expect(xmp).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
  });

  it('embeds elicence.json and qr.txt as associated files (/AF, AFRelationship /Data, MIME subtypes)', () => {
    const catalog = value(objects.trailer.value['/Root']);
    const associated = (catalog['/AF'] as string[]).map((ref) => value(ref));
    expect(associated.map((spec) => [spec['/F'], spec['/AFRelationship']])).toEqual([
      ['u:elicence.json', '/Data'],
      ['u:qr.txt', '/Data'],
    ]);
    expect(attachments['elicence.json'].streams['/F'].mimetype).toBe('application/json');
    expect(attachments['qr.txt'].streams['/F'].mimetype).toBe('text/plain');
  });
});

describe('openssl ts -verify on the timestamps inside the PDF', () => {
  it('accepts the signature timestamp over the CMS signature value, issued by the TSA under the root', async () => {
    const [signature] = signaturesOf(pdf);
    const { token, signatureValue } = signatureTimestampOf(signature!.cms);
    const { stdout } = await run('openssl', [
      'ts',
      '-verify',
      '-token_in',
      '-in',
      file('signature-timestamp.der', token),
      '-digest',
      createHash('sha256').update(signatureValue).digest('hex'),
      '-CAfile',
      rootFile,
      '-untrusted',
      tsaFile,
    ]);
    expect(stdout.trim()).toBe('Verification: OK');
  });

  it('accepts the document timestamp over the byte ranges it covers, and refuses other bytes', async () => {
    const documentTimestamp = signaturesOf(pdf).at(-1)!;
    const args = (data: string) => [
      'ts',
      '-verify',
      '-token_in',
      '-in',
      file('document-timestamp.der', documentTimestamp.cms),
      '-data',
      data,
      '-CAfile',
      rootFile,
      '-untrusted',
      tsaFile,
    ];
    const { stdout } = await run('openssl', args(file('covered.bin', documentTimestamp.signed)));
    expect(stdout.trim()).toBe('Verification: OK');
    const altered = Buffer.from(documentTimestamp.signed);
    altered[100] = altered[100]! ^ 1;
    await expect(run('openssl', args(file('altered.bin', altered)))).rejects.toMatchObject({
      stdout: expect.stringContaining('Verification: FAILED'),
    });
  });
});

describe('the public timestamp authority', () => {
  it('answers openssl ts -query, and openssl ts -verify accepts the reply against the query', async () => {
    const data = file('data.txt', '出生医学证明 interop');
    const query = path.join(scratch, 'query.tsq');
    await run('openssl', ['ts', '-query', '-data', data, '-sha256', '-cert', '-out', query]);
    const res = await svc.request('POST', '/api/v1/timestamps', {
      body: readFileSync(query),
      headers: { 'content-type': 'application/timestamp-query' },
    });
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/timestamp-reply']);
    const reply = file('reply.tsr', res.body as Buffer);
    const verified = await run('openssl', [
      'ts',
      '-verify',
      '-in',
      reply,
      '-queryfile',
      query,
      '-CAfile',
      rootFile,
      '-untrusted',
      tsaFile,
    ]);
    expect(verified.stdout.trim()).toBe('Verification: OK');
    const text = (await run('openssl', ['ts', '-reply', '-in', reply, '-text'])).stdout;
    expect(text).toContain('Status: Granted.');
    expect(text).toContain('Hash Algorithm: sha256');
  });
});

describe('revocation: the served CRL', () => {
  let crlFile: string;
  const leafOf = (kid: string) => file(`${kid}.pem`, svc.running.service.signingKeys.get(kid)!.x509Pem);

  beforeAll(async () => {
    const res = await svc.request('GET', '/api/v1/pki/root.crl');
    expect(res.headers.get('content-type')).toBe('application/pkix-crl');
    crlFile = file('root.crl', res.body as Buffer);
  });

  it('openssl crl -text reads it: signed by the root, next update within 7 days', async () => {
    const { stdout } = await run('openssl', [
      'crl',
      '-inform',
      'DER',
      '-in',
      crlFile,
      '-noout',
      '-text',
      '-CAfile',
      rootFile,
    ]);
    expect(stdout).toContain('Signature Algorithm: ecdsa-with-SHA256');
    expect(stdout).toMatch(/X509v3 CRL Number:\s+\d+/);
    expect(stdout).toContain('X509v3 Authority Key Identifier');
    const [, last, next] = /Last Update: (.+)\n\s+Next Update: (.+)\n/.exec(stdout)!;
    const days = (Date.parse(next!) - Date.parse(last!)) / 86_400_000;
    expect(days).toBeGreaterThan(0);
    expect(days).toBeLessThanOrEqual(7);
    const verified = await run('openssl', ['crl', '-inform', 'DER', '-in', crlFile, '-noout', '-CAfile', rootFile]);
    expect(verified.stderr.trim()).toBe('verify OK');
  });

  it('openssl verify -crl_check accepts a valid institution chain, and refuses it once the key is revoked', async () => {
    const register = svc.running.service.signingKeys;
    const kid = register.active('licence', demo.bj.creditCode)!.kid;
    const leaf = leafOf(kid);
    const crlPem = (await run('openssl', ['crl', '-inform', 'DER', '-in', crlFile])).stdout;
    const ok = await run('openssl', [
      'verify',
      '-crl_check',
      '-CAfile',
      rootFile,
      '-CRLfile',
      file('crl.pem', crlPem),
      leaf,
    ]);
    expect(ok.stdout.trim()).toBe(`${leaf}: OK`);

    register.revoke(kid, new Date().toISOString(), 'keyCompromise');
    const after = file('root-after.crl', (await svc.request('GET', '/api/v1/pki/root.crl')).body as Buffer);
    const afterPem = (await run('openssl', ['crl', '-inform', 'DER', '-in', after])).stdout;
    const serial = new X509Certificate(readFileSync(leaf)).serialNumber;
    expect((await run('openssl', ['crl', '-inform', 'DER', '-in', after, '-noout', '-text'])).stdout).toContain(
      `Serial Number: ${serial}`,
    );
    await expect(
      run('openssl', ['verify', '-crl_check', '-CAfile', rootFile, '-CRLfile', file('crl-after.pem', afterPem), leaf]),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('certificate revoked') });
  });
});

describe('GnuTLS certtool and python cryptography (which refused the old 2.25 arc)', () => {
  const purposes = ['root', 'licence', 'trust-list', 'audit', 'status-list', 'tsa'] as const;

  it('certtool --verify-chain accepts each certificate chained to the root', async () => {
    const register = svc.running.service.signingKeys;
    for (const key of register
      .list()
      .filter((candidate) => candidate.purpose !== 'root' && candidate.status === 'active')) {
      const chain = file(`chain-${key.kid}.pem`, `${key.x509Pem.trim()}\n${readFileSync(rootFile, 'utf8')}`);
      const { stdout } = await run('certtool', ['--verify-chain', '--infile', chain]);
      expect(stdout, key.purpose).toContain('Chain verification output: Verified.');
    }
  });

  it('python cryptography loads every certificate of the register and reads its extended key usage', async () => {
    const register = svc.running.service.signingKeys;
    const script = `
import sys
from cryptography import x509
from cryptography.x509.oid import ExtensionOID
for path in sys.argv[1:]:
    cert = x509.load_pem_x509_certificate(open(path, 'rb').read())
    exts = list(cert.extensions)
    try:
        eku = cert.extensions.get_extension_for_oid(ExtensionOID.EXTENDED_KEY_USAGE).value
        print(','.join(o.dotted_string for o in eku))
    except x509.ExtensionNotFound:
        print('-')
`;
    const keys = purposes.map((purpose) =>
      register.list().find((key) => key.purpose === purpose && key.status === 'active'),
    );
    const files = keys.map((key, i) => file(`py-${i}.pem`, key!.x509Pem));
    const { stdout } = await run('/usr/bin/python3', ['-c', script, ...files]);
    expect(
      Object.fromEntries(
        stdout
          .trim()
          .split('\n')
          .map((line, i) => [purposes[i], line]),
      ),
    ).toEqual({
      root: '-',
      licence: '1.3.6.1.5.5.7.3.36,1.3.6.1.5.5.7.3.4',
      'trust-list': '0.4.0.2231.3.0',
      audit: '1.3.6.1.5.5.7.3.36',
      'status-list': '1.3.6.1.5.5.7.3.36',
      tsa: '1.3.6.1.5.5.7.3.8',
    });
  });
});
