import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords } from '../fixtures/records.ts';
import { startTestService, type TestService } from './harness.ts';
import { bornBefore, issueBirth, staffOf } from './lifecycle-helpers.ts';

let svc: TestService;
let pdf: Buffer;
let certificateNo: string;

async function issueOne(record = fixtureRecords[0]!): Promise<string> {
  const staff = await staffOf(svc, 'gz');
  return (await issueBirth(svc, staff, bornBefore(record, new Date(), 1))).certificateNo;
}

const verifyPdf = (body: Uint8Array) =>
  svc.request('POST', '/api/v1/verifications', { body, headers: { 'content-type': 'application/pdf' } });

beforeAll(async () => {
  svc = await startTestService();
  certificateNo = await issueOne();
  const res = await svc.request('GET', `/api/v1/certificates/${certificateNo}/pdf`, {
    token: await svc.token('issuer', 'gz'),
  });
  pdf = res.body as Buffer;
});
afterAll(async () => {
  await svc?.stop();
});

describe('POST /api/v1/verifications with a PDF', () => {
  it('verifies the PDF signature, the embedded e-licence and the QR on the page together', async () => {
    const res = await verifyPdf(pdf);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: true, status: 'valid', certificate: { certificateNo } });
    expect(res.body.checks.map((c: { name: string; result: string }) => `${c.name}:${c.result}`)).toEqual([
      'pdf:pass',
      'format:pass',
      'signature:pass',
      'issuer:pass',
      'status:pass',
      'consistency:pass',
    ]);
  });

  const crafted: [string, () => Uint8Array, string][] = [
    ['a truncated PDF', () => pdf.subarray(0, Math.floor(pdf.length / 2)), 'MALFORMED'],
    ['bytes that are no PDF', () => Buffer.from('not a pdf at all'), 'MALFORMED'],
    ['an empty body', () => Buffer.alloc(0), 'MALFORMED'],
    [
      'one byte changed inside the signed range',
      () => {
        const copy = Buffer.from(pdf);
        const at = Math.max(copy.indexOf('Birth Certificate'), 200);
        copy.writeUInt8(copy.readUInt8(at) ^ 0x01, at);
        return copy;
      },
      'BAD_SIGNATURE',
    ],
    [
      'an incremental update appended after signing',
      () => Buffer.concat([pdf, Buffer.from('\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n')]),
      'BAD_SIGNATURE',
    ],
  ];
  it.each(crafted)('refuses %s with a reason, never a 5xx', async (_name, make, reason) => {
    const res = await verifyPdf(make());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: false, status: 'unknown', reason });
    expect(res.body.certificate).toBeUndefined();
  });

  it('reports a superseded certificate from its PDF', async () => {
    const issuer = await svc.token('issuer', 'gz');
    const second = await issueOne(fixtureRecords[2]!);
    const oldPdf = (await svc.request('GET', `/api/v1/certificates/${second}/pdf`, { token: issuer })).body as Buffer;
    const reissue = await svc.request('POST', `/api/v1/certificates/${second}/reissues`, {
      token: issuer,
      json: { reason: '原件遗失' },
    });
    expect(reissue.status).toBe(201);
    const res = await verifyPdf(oldPdf);
    expect(res.body).toMatchObject({
      valid: false,
      status: 'superseded',
      reason: 'SUPERSEDED',
      supersededBy: reissue.body.certificateNo,
    });
  });

  it('checks one signature however many /ByteRange entries a crafted PDF repeats', async () => {
    // Each entry points at the genuine signature; checking every one would hash the file 2,000 times.
    const range = /\/ByteRange\s*\[[^\]]*\]/.exec(pdf.toString('latin1'))![0];
    const crafted = Buffer.concat([pdf, Buffer.from(`\n%${`${range} `.repeat(2000)}\n%%EOF\n`, 'latin1')]);
    const res = await verifyPdf(crafted);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });
    expect((await svc.request('GET', '/healthz')).status).toBe(200);
  });

  it('refuses a PDF over 4 MB with a 400', async () => {
    const res = await verifyPdf(Buffer.alloc(4 * 1024 * 1024 + 1, 0x20));
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'body', message: 'the body exceeds 4194304 bytes' }]);
  });
});
