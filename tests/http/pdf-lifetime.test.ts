import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfInspector } from '../../src/adapters/pdf/index.ts';
import { x509 } from '../../src/adapters/pki/x509-signer.ts';
import { verifyPdf } from '../../src/domain/verification/verify-pdf.ts';
import { fixtureRecords } from '../fixtures/records.ts';
import { startTestService, type TestService } from './harness.ts';
import { bornBefore, demo, issueBirth, staffOf } from './lifecycle-helpers.ts';

let svc: TestService;
let pdf: Uint8Array;
let issuedAt: Date;

const YEAR_MS = 365.25 * 24 * 3600 * 1000;
const verifyAt = (bytes: Uint8Array, at: Date) =>
  verifyPdf(bytes, pdfInspector, { ...svc.running.service.verification, clock: { now: () => at } });

beforeAll(async () => {
  svc = await startTestService();
  const staff = await staffOf(svc, 'gz');
  const { certificateNo } = await issueBirth(svc, staff, bornBefore(fixtureRecords[0]!, new Date(), 1));
  const res = await svc.request('GET', `/api/v1/certificates/${certificateNo}/pdf`, {
    token: await svc.token('issuer', 'gz'),
  });
  pdf = new Uint8Array(res.body as Buffer);
  issuedAt = new Date();
});
afterAll(async () => {
  await svc?.stop();
});

describe('a PAdES B-LTA certificate PDF over its lifetime', () => {
  it('is valid today, timestamped by the trust domain’s TSA and covered by a document timestamp', async () => {
    const reading = await pdfInspector.readSignature(pdf);
    if (!reading.ok) throw new Error(reading.detail);
    expect(reading.signingTime).toBeNull();
    expect(reading.timestamp?.genTime.getTime()).toBeLessThanOrEqual(issuedAt.getTime());
    expect(reading.documentTimestamps).toHaveLength(1);
    expect((await verifyAt(pdf, new Date())).valid).toBe(true);
  });

  it('stays valid ten years on, after the signing certificate expired: judged at the timestamp', async () => {
    const later = new Date(issuedAt.getTime() + 10 * YEAR_MS);
    const result = await verifyAt(pdf, later);
    expect({ valid: result.valid, reason: result.reason }).toEqual({ valid: true, reason: undefined });
  });

  it('is ISSUER_REVOKED when its timestamp is at or after the revocation (a backdated compromise)', async () => {
    const staff = await staffOf(svc, 'bj');
    const { certificateNo } = await issueBirth(svc, staff, bornBefore(fixtureRecords[1]!, new Date(), 1, 'bj'));
    const res = await svc.request('GET', `/api/v1/certificates/${certificateNo}/pdf`, {
      token: await svc.token('issuer', 'bj'),
    });
    const bjPdf = new Uint8Array(res.body as Buffer);
    const reading = await pdfInspector.readSignature(bjPdf);
    if (!reading.ok) throw new Error(reading.detail);
    const register = svc.running.service.signingKeys;
    const kid = register.active('licence', demo.bj.creditCode)!.kid;
    register.revoke(kid, new Date(reading.timestamp!.genTime.getTime() - 60_000).toISOString(), 'test: compromised');
    const result = await verifyAt(bjPdf, new Date());
    expect({ valid: result.valid, reason: result.reason, failure: result.pdf?.failure }).toEqual({
      valid: false,
      reason: 'ISSUER_REVOKED',
      failure: 'SIGNER_REVOKED',
    });
  });

  it('stays valid when its key is revoked after it was signed', async () => {
    const register = svc.running.service.signingKeys;
    const kid = register.active('licence', '124401064554012343')!.kid;
    const reading = await pdfInspector.readSignature(pdf);
    if (!reading.ok) throw new Error(reading.detail);
    const signedAt = reading.timestamp!.genTime.getTime();
    register.revoke(kid, new Date(signedAt + 1000).toISOString(), 'test: revoked after signing');
    const after = await verifyAt(pdf, new Date(signedAt + 2 * YEAR_MS));
    expect(after.checks.find((check) => check.name === 'pdf')).toEqual({ name: 'pdf', result: 'pass' });
    // The e-licence inside is judged by its own signing time, which precedes the revocation too.
    expect(after.valid).toBe(true);
  });
});

describe('the root’s CRL and the timestamp authority over HTTP', () => {
  it('serves a DER CRL that lists a revocation as soon as it is made', async () => {
    const res = await fetch(`${svc.url}/api/v1/pki/root.crl`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pkix-crl');
    const crl = new x509.X509Crl(Buffer.from(await res.arrayBuffer()));
    // The two institution keys revoked above, each from the instant the register revokes it.
    expect(crl.entries).toHaveLength(2);
    expect(crl.nextUpdate!.getTime() - crl.thisUpdate.getTime()).toBe(7 * 24 * 3600 * 1000);
  });

  it('refuses a body that is no TimeStampReq with a 400 naming the body', async () => {
    const res = await svc.request('POST', '/api/v1/timestamps', {
      body: Buffer.from('not a query'),
      headers: { 'content-type': 'application/timestamp-query' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'body', message: 'is not a DER TimeStampReq (RFC 3161)' }]);
  });

  it('refuses another media type with a 400 naming Content-Type', async () => {
    const res = await svc.request('POST', '/api/v1/timestamps', {
      body: Buffer.from('x'),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('Content-Type');
  });
});
