import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './harness.ts';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '2', PDF_VERIFICATIONS_PER_MINUTE: '1' } });
});
afterAll(async () => {
  await svc?.stop();
});

const attempt = (path: string, applicationCode: string) =>
  svc.request('POST', path, { json: { applicationCode, motherIdNumber: '440106199305121249' } });

describe('the limits of the public online-application routes and pages', () => {
  // The application body lacks the parents' items (400); the session body is whole but wrong (401).
  for (const [path, refused] of [
    ['/api/v1/citizen/applications', 400],
    ['/api/v1/citizen/application-sessions', 401],
  ] as const) {
    it(`${path} counts tries per application code: a third try at one code is 429, another code still answers`, async () => {
      const statuses = [(await attempt(path, 'ABCDEFGHJK')).status, (await attempt(path, 'ABCDEFGHJK')).status];
      const third = await attempt(path, 'ABCDEFGHJK');
      expect(third.body).toEqual({
        error: { code: 'RATE_LIMITED', message: 'Too many attempts; wait a minute and try again', details: [] },
      });
      // Codes are counted apart: another code from the same address is not refused for the first one's tries.
      const other = await attempt(path, 'BCDEFGHJKM');
      expect([...statuses, third.status, other.status]).toEqual([refused, refused, 429, refused]);
    });
  }

  it('the verify page counts uploaded PDFs per address like the API: the second in a minute is 429', async () => {
    const upload = async () => {
      const body = new FormData();
      body.append('file', new Blob([Buffer.from('%PDF-1.7\nnot a certificate\n%%EOF\n')]), 'a.pdf');
      const res = await fetch(`${svc.url}/verify/file`, { method: 'POST', body });
      return { status: res.status, html: await res.text() };
    };
    const first = await upload();
    const second = await upload();
    expect(first.status).toBe(200);
    expect(second.status).toBe(429);
    expect(second.html).toContain('本机一分钟内上传核验的 PDF 过多，请稍候一分钟再试。');
  });
});
