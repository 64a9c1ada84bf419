import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateViewOf } from '../../src/adapters/certificate-view-of.ts';
import { countryDirectory } from '../../src/adapters/countries.ts';
import { divisionDirectory } from '../../src/adapters/divisions.ts';
import type { CertificateView } from '../../src/adapters/pdf/certificate-view.ts';
import { renderCertificatePdf } from '../../src/adapters/pdf/render.ts';
import { createSqlCertificateRegister } from '../../src/adapters/sql/certificate-register.ts';
import type { RegisterLookup, VerificationPorts } from '../../src/domain/verification/ports.ts';
import { verifyPdf } from '../../src/domain/verification/verify-pdf.ts';
import { offlineVerificationTools } from '../../src/operator-tools.ts';
import { createTestDomain } from '../adapters/pki-test-kit.ts';
import { buildPdfBomb } from '../fixtures/pdf-bomb.ts';
import { fixtureRecords } from '../fixtures/records.ts';
import { statements } from '../storage-kit.ts';
import { startTestService, type TestService } from './harness.ts';
import { bornBefore, demo, issueBirth, staffOf } from './lifecycle-helpers.ts';

let svc: TestService;
let now: number;
let certificateNo: string;
let genuine: Buffer;

const service = () => svc.running.service;
const verifyOverHttp = (body: Uint8Array) =>
  svc.request('POST', '/api/v1/verifications', { body, headers: { 'content-type': 'application/pdf' } });
const signingKey = () => service().keyStore.activeKey(demo.gz.creditCode);

/** The issued certificate's page re-rendered with `change` applied, signed with the institution's key at `at`. */
async function reprinted(change: (view: CertificateView) => void, at = new Date(now)): Promise<Uint8Array> {
  const record = service().lifecycle.register.find(certificateNo)!;
  const view = certificateViewOf(record.certificate, { divisions: divisionDirectory, countries: countryDirectory });
  change(view);
  return renderCertificatePdf({
    view,
    qrText: record.qrText,
    licenceId: record.licenceId,
    signedJson: record.signedJson,
    signingKey: signingKey(),
    keyStore: service().keyStore,
    fonts: service().fonts,
    now: at,
  });
}

beforeAll(async () => {
  now = Math.ceil(Date.now() / 60_000) * 60_000 + 60_000;
  svc = await startTestService({ clock: { now: () => new Date(now) } });
  const staff = await staffOf(svc, 'gz');
  certificateNo = (await issueBirth(svc, staff, bornBefore(fixtureRecords[0]!, new Date(now), 1))).certificateNo;
  const res = await svc.request('GET', `/api/v1/certificates/${certificateNo}/pdf`, {
    token: await svc.token('issuer', 'gz'),
  });
  genuine = res.body as Buffer;
});
afterAll(async () => {
  await svc?.stop();
});

describe('a deflate bomb posted for verification', () => {
  const bomb = async () =>
    buildPdfBomb({ keyStore: service().keyStore, signingKey: signingKey(), signingTime: new Date(now) });

  it('is a few KB that would inflate to 1 GiB', async () => {
    expect((await bomb()).length).toBeLessThan(16 * 1024);
  });

  it('signed with a trusted key, is refused as MALFORMED once its attachment passes the 64 KiB cap', async () => {
    const res = await verifyOverHttp(await bomb());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      valid: false,
      status: 'unknown',
      reason: 'MALFORMED',
      householdRegistered: false,
      checks: [{ name: 'pdf', result: 'fail' }],
      pdf: { failure: 'RESOURCE_LIMIT', detail: 'a stream inflates past 65536 bytes' },
    });
  });

  it('signed with a key the trust list does not know, is refused before anything is inflated', async () => {
    const stranger = await createTestDomain(new Date(now - 86_400_000));
    try {
      const forged = await buildPdfBomb({
        keyStore: stranger.keyStore,
        signingKey: stranger.keyA,
        signingTime: new Date(now),
      });
      const res = await verifyOverHttp(forged);
      expect(res.body).toMatchObject({
        valid: false,
        reason: 'UNTRUSTED_ISSUER',
        pdf: { failure: 'UNTRUSTED_SIGNER', detail: 'the PDF signer is not a trusted institution signing key' },
      });
    } finally {
      stranger.close();
    }
  });

  it('three at once leave /healthz answering', async () => {
    const bytes = await bomb();
    const bombs = [verifyOverHttp(bytes), verifyOverHttp(bytes), verifyOverHttp(bytes)];
    const health = await svc.request('GET', '/healthz');
    expect(health.status).toBe(200);
    for (const res of await Promise.all(bombs)) {
      expect(res.body).toMatchObject({ reason: 'MALFORMED', pdf: { failure: 'RESOURCE_LIMIT' } });
    }
  });
});

const pdfDigestOf = (entry: RegisterLookup) =>
  entry !== null && typeof entry === 'object' ? entry.pdfDigest : undefined;

describe('the printed page is bound to the e-licence', () => {
  it('keeps the SHA-256 of the PDF as issued, and fills it in for rows issued before it was kept', async () => {
    const digest = createHash('sha256').update(genuine).digest('base64url');
    expect(pdfDigestOf(await service().verification.register.lookup(certificateNo, null))).toBe(digest);
    statements(service().sql).prepare('UPDATE certificates SET pdf_sha256 = NULL').run();
    expect(pdfDigestOf(await createSqlCertificateRegister(service().sql).lookup(certificateNo))).toBe(digest);
  });

  it('accepts the PDF as issued', async () => {
    const res = await verifyOverHttp(genuine);
    expect(res.body).toMatchObject({ valid: true, status: 'valid', certificate: { certificateNo } });
  });

  it('refuses other names printed over a genuine e-licence, signed with the institution key, as DATA_MISMATCH', async () => {
    const forged = await reprinted((view) => {
      view.newborn.name = '王小明';
      view.mother.name = '赵丽华';
    });
    const res = await verifyOverHttp(forged);
    expect(res.body).toMatchObject({
      valid: false,
      status: 'valid',
      reason: 'DATA_MISMATCH',
      pdf: { failure: 'NOT_ISSUED', detail: 'this PDF is not the one issued for the certificate' },
    });
    expect(res.body.checks.at(-1)).toEqual({ name: 'consistency', result: 'fail' });
  });

  it('offline (no register of PDFs), compares the page with the e-licence: the forgery differs, the original matches', async () => {
    const offlineRegister: VerificationPorts['register'] = {
      lookup: async (no, status) => {
        const entry = await service().verification.register.lookup(no, status);
        return entry !== null && typeof entry === 'object' ? { ...entry, pdfDigest: null } : entry;
      },
    };
    const ports = { ...service().verification, register: offlineRegister };
    const { pdf } = offlineVerificationTools();
    expect(await verifyPdf(genuine, pdf, ports)).toMatchObject({ valid: true });
    const forged = await reprinted((view) => {
      view.mother.name = '赵丽华';
    });
    expect(await verifyPdf(forged, pdf, ports)).toMatchObject({
      valid: false,
      reason: 'DATA_MISMATCH',
      pdf: { failure: 'PAGE_MISMATCH', detail: 'the page does not print what the embedded e-licence says' },
    });
  });

  it("judges the PDF signature's own time: signed after its key's revocation is ISSUER_REVOKED", async () => {
    // The e-licence was signed at issue, before the revocation; the PDF is re-signed ten minutes later.
    const resigned = await reprinted(() => {}, new Date(now + 10 * 60_000));
    now += 15 * 60_000;
    const admin = (
      await svc.request('POST', '/api/v1/auth/token', {
        json: Object.fromEntries(
          Object.entries(svc.accounts.find((a) => a.role === 'admin')!).filter(
            ([k]) => k === 'username' || k === 'password',
          ),
        ),
      })
    ).body.accessToken as string;
    const revoke = await svc.request('POST', `/api/v1/signing-keys/${signingKey().kid}/revoke`, {
      token: admin,
      json: { reason: '私钥疑似泄露', revokedAt: new Date(now - 10 * 60_000).toISOString() },
    });
    expect(revoke.status).toBe(200);
    const res = await verifyOverHttp(resigned);
    expect(res.body).toEqual({
      valid: false,
      status: 'unknown',
      reason: 'ISSUER_REVOKED',
      householdRegistered: false,
      checks: [{ name: 'pdf', result: 'fail' }],
      pdf: { failure: 'SIGNER_REVOKED', detail: "the PDF was signed at or after its key's revocation" },
    });
    // The PDF issued before the revocation still verifies.
    expect((await verifyOverHttp(genuine)).body).toMatchObject({ valid: true });
  });
});

describe('limits on public PDF verification', () => {
  it('answers 429 past the per-address limit', async () => {
    const limited = await startTestService({ env: { PDF_VERIFICATIONS_PER_MINUTE: '2' } });
    try {
      const post = () =>
        limited.request('POST', '/api/v1/verifications', {
          body: Buffer.from('not a pdf'),
          headers: { 'content-type': 'application/pdf' },
        });
      expect((await post()).status).toBe(200);
      expect((await post()).status).toBe(200);
      const third = await post();
      expect(third.status).toBe(429);
      expect(third.body.error).toMatchObject({ code: 'RATE_LIMITED' });
    } finally {
      await limited.stop();
    }
  });
});
