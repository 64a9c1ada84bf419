import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfInspector } from '../../src/adapters/pdf/index.ts';
import { loadConfig } from '../../src/config.ts';
import { verifyPdf } from '../../src/domain/verification/verify-pdf.ts';
import { fixtureRecords } from '../fixtures/records.ts';
import { startTestService, type TestService } from './harness.ts';
import { bornBefore, issueBirth, staffOf } from './lifecycle-helpers.ts';

let svc: TestService;

beforeAll(async () => {
  svc = await startTestService({ env: { PDF_RENDER_THREADS: '2' } });
});
afterAll(async () => {
  await svc?.stop();
});

describe('certificate PDFs rendered in worker threads', () => {
  it('runs the configured number of render workers', () => {
    expect(svc.running.service.pdfRenderThreads).toBe(2);
  });

  it('issues PAdES B-LTA PDFs that verify, page check included, several at once', async () => {
    const staff = await staffOf(svc, 'gz');
    const issued = await Promise.all(
      [0, 2, 3].map((i, n) => issueBirth(svc, staff, bornBefore(fixtureRecords[i]!, new Date(), 1 + n))),
    );
    const token = await svc.token('issuer', 'gz');
    for (const { certificateNo } of issued) {
      const res = await svc.request('GET', `/api/v1/certificates/${certificateNo}/pdf`, { token });
      expect(res.status).toBe(200);
      const pdf = new Uint8Array(res.body as Buffer);
      const reading = await pdfInspector.readSignature(pdf);
      if (!reading.ok) throw new Error(reading.detail);
      expect(reading.timestamp).not.toBeNull();
      expect(reading.documentTimestamps).toHaveLength(1);
      const result = await verifyPdf(pdf, pdfInspector, svc.running.service.verification);
      expect({
        valid: result.valid,
        reason: result.reason,
        checks: result.checks.filter((c) => c.result !== 'pass'),
      }).toEqual({
        valid: true,
        reason: undefined,
        checks: [],
      });
    }
  });
});

describe('PDF_RENDER_THREADS', () => {
  it('defaults to none under NODE_ENV=test and takes 0–64', async () => {
    expect((await loadConfig({ NODE_ENV: 'test' })).pdfRenderThreads).toBe(0);
    expect((await loadConfig({ NODE_ENV: 'test', PDF_RENDER_THREADS: '3' })).pdfRenderThreads).toBe(3);
    await expect(loadConfig({ PDF_RENDER_THREADS: 'two' })).rejects.toThrow(
      'PDF_RENDER_THREADS must be an integer 0–64',
    );
  });
});
