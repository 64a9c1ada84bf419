import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfInspector } from '../../src/adapters/pdf/index.ts';
import { spkiDerOf } from '../../src/adapters/pki/ec-jwk.ts';
import { nodeX509 } from '../../src/adapters/pki/node-x509.ts';
import { LEGACY_EKU_ELICENCE_SIGNING } from '../../src/adapters/pki/oids.ts';
import { cryptoWithSigner, P256_SIGNING_KEY_HANDLE, x509 } from '../../src/adapters/pki/x509-signer.ts';
import { loadConfig } from '../../src/config.ts';
import { reissueCertificates } from '../../src/domain/trust/reissue-certificates.ts';
import { verifyPdf } from '../../src/domain/verification/verify-pdf.ts';
import { openOperatorTools } from '../../src/operator-tools.ts';
import { fixtureRecords } from '../fixtures/records.ts';
import { testEnvironment } from './demo-data-dir.ts';
import { startTestService, type TestService } from './harness.ts';
import { bornBefore, demo, issueBirth, staffOf } from './lifecycle-helpers.ts';

const YEAR_MS = 365.25 * 86_400_000;
const digestOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64url');
const operator = { username: 'cli', role: 'operator' } as const;

let svc: TestService;
let certificateNo: string;
let issuedPdf: Uint8Array;
let issuedAt: Date;

const fetchPdf = async () =>
  new Uint8Array(
    (await svc.request('GET', `/api/v1/certificates/${certificateNo}/pdf`, { token: await svc.token('issuer', 'gz') }))
      .body as Buffer,
  );
const verifyAt = (bytes: Uint8Array, at: Date) =>
  verifyPdf(bytes, pdfInspector, { ...svc.running.service.verification, clock: { now: () => at } });
const toolsAt = async (at: Date) =>
  openOperatorTools(await loadConfig(testEnvironment(svc.dataDir)), { now: () => at });

beforeAll(async () => {
  svc = await startTestService();
  certificateNo = (await issueBirth(svc, await staffOf(svc, 'gz'), bornBefore(fixtureRecords[4]!, new Date(), 1)))
    .certificateNo;
  issuedPdf = await fetchPdf();
  issuedAt = new Date();
});
afterAll(async () => {
  await svc?.stop();
});

describe('retimestamp-pdfs', () => {
  it('leaves PDFs alone while their timestamp authority certificate has years to run', async () => {
    const tools = await toolsAt(new Date(issuedAt.getTime() + YEAR_MS));
    try {
      expect(await tools.retimestampPdfs(365)).toMatchObject({
        retimestamped: 0,
        skippedChanged: 0,
        renewedTsaUntil: null,
      });
    } finally {
      tools.close();
    }
    expect(digestOf(await fetchPdf())).toBe(digestOf(issuedPdf));
  });

  it('within a year of the TSA certificate’s end: renews the TSA, appends DSS and a document timestamp, keeps the old bytes acceptable', async () => {
    const later = new Date(issuedAt.getTime() + 11.5 * YEAR_MS);
    const oldTsa = svc.running.service.signingKeys.active('tsa')!;
    const tools = await toolsAt(later);
    let report: Awaited<ReturnType<typeof tools.retimestampPdfs>>;
    try {
      report = await tools.retimestampPdfs(365);
      // Run again: everything is covered by the new authority now.
      expect(await tools.retimestampPdfs(365)).toMatchObject({ retimestamped: 0, renewedTsaUntil: null });
    } finally {
      tools.close();
    }
    expect(report.retimestamped).toBe(report.examined);
    expect(report.retimestamped).toBeGreaterThanOrEqual(1);
    expect(Date.parse(report.renewedTsaUntil!)).toBeGreaterThan(later.getTime() + YEAR_MS);
    const newTsa = svc.running.service.signingKeys.active('tsa')!;
    expect(newTsa.kid).not.toBe(oldTsa.kid);
    expect(svc.running.service.signingKeys.get(oldTsa.kid)!.status).toBe('retired');

    const renewed = await fetchPdf();
    // An incremental update: the issued bytes are a prefix, so every earlier signature still holds.
    expect(Buffer.from(renewed.subarray(0, issuedPdf.length)).equals(Buffer.from(issuedPdf))).toBe(true);
    const reading = await pdfInspector.readSignature(renewed);
    if (!reading.ok) throw new Error(reading.detail);
    expect(reading.documentTimestamps).toHaveLength(2);
    expect(reading.documentTimestamps[1]!.genTime.getTime()).toBe(later.getTime() - (later.getTime() % 1000));

    for (const [label, bytes] of [
      ['re-timestamped', renewed],
      ['as first issued', issuedPdf],
    ] as const) {
      const result = await verifyAt(bytes, new Date(later.getTime() + 60_000));
      expect({ label, valid: result.valid, reason: result.reason }).toEqual({ label, valid: true, reason: undefined });
    }
    const entry = svc.running.service.lifecycle.register.lookup(certificateNo);
    expect(entry).toMatchObject({ pdfDigest: digestOf(renewed), earlierPdfDigests: [digestOf(issuedPdf)] });
  });
});

describe('reissue-certificates', () => {
  it('re-issues a certificate of the old 2.25 profile for the same key and validity; a second run finds nothing', async () => {
    const tools = await toolsAt(new Date());
    try {
      const admin = tools.keyAdministration();
      const register = admin.register;
      const key = register.active('licence', demo.bj.creditCode)!;
      const root = register.active('root')!;
      const issuer = new x509.X509Certificate(root.x509Pem);
      // What the service issued before 2026: the institution's purpose under the private arc.
      const legacy = await x509.X509CertificateGenerator.create(
        {
          serialNumber: '0a1b2c3d',
          subject: new x509.X509Certificate(key.x509Pem).subjectName,
          issuer: issuer.subjectName,
          notBefore: new Date(key.notBefore),
          notAfter: new Date(key.notAfter),
          publicKey: spkiDerOf(key.publicJwk),
          signingKey: P256_SIGNING_KEY_HANDLE,
          signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
          extensions: [
            new x509.BasicConstraintsExtension(false, undefined, true),
            new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
            new x509.ExtendedKeyUsageExtension([LEGACY_EKU_ELICENCE_SIGNING], false),
          ],
        },
        cryptoWithSigner((tbs) => admin.keyStore.sign(root.kid, tbs)),
      );
      register.replaceCertificate(key.kid, legacy.toString('pem'));
      expect(admin.x509.describe(register.get(key.kid)!.x509Pem).privateArc).toBe(true);

      expect(await reissueCertificates(admin, operator)).toEqual([{ kid: key.kid, purpose: 'licence' }]);
      const reissued = register.get(key.kid)!;
      const described = admin.x509.describe(reissued.x509Pem);
      expect(described).toMatchObject({
        privateArc: false,
        crlUrl: `${svc.running.service.keyAdministration.publicBaseUrl}/api/v1/pki/root.crl`,
        notBefore: key.notBefore,
        notAfter: key.notAfter,
      });
      const check = nodeX509.checkChain(
        [nodeX509.x5cOf(reissued.x509Pem)],
        nodeX509.x5cOf(root.x509Pem),
        'elicence-signing',
      );
      expect(check).toMatchObject({ ok: true, leaf: { kid: key.kid, creditCode: demo.bj.creditCode } });
      expect(await reissueCertificates(admin, operator)).toEqual([]);
    } finally {
      tools.close();
    }
  });
});
