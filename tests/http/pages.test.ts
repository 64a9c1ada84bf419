import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './harness.ts';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
});
afterAll(async () => {
  await svc?.stop();
});

const page = async (route: string, init: RequestInit = {}) => {
  const res = await fetch(`${svc.url}${route}`, { redirect: 'manual', ...init });
  return { status: res.status, headers: res.headers, html: await res.text() };
};

describe('the pages', () => {
  it('are Chinese first, English by Accept-Language, with a strict CSP naming no other host', async () => {
    for (const route of ['/', '/verify', '/my', '/apply']) {
      const zh = await page(route);
      expect(zh.status).toBe(200);
      expect(zh.html).toMatch(/^<!doctype html><html lang="zh-CN">/);
      expect(zh.headers.get('content-security-policy')).toBe(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; " +
          "connect-src 'self'; manifest-src 'self'; worker-src 'self'; media-src 'self' blob:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      );
      expect(zh.html).not.toMatch(/<script>|https?:\/\//);
      const en = await page(route, { headers: { 'accept-language': 'en-US,en;q=0.9' } });
      expect(en.html).toMatch(/^<!doctype html><html lang="en">/);
    }
  });

  it('serve htmx 2.0, the scanner ponyfill and its wasm from the service itself', async () => {
    const htmx = await page('/static/vendor/htmx.min.js');
    expect(htmx.status).toBe(200);
    expect(htmx.html).toContain('version:"2.0.');
    const wasm = await fetch(`${svc.url}/static/vendor/zxing_reader.wasm`);
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(Buffer.from(await wasm.arrayBuffer()).subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
  });

  it('an empty QR field re-renders the form with the error beside it, without JavaScript', async () => {
    const res = await page('/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'qr=',
    });
    expect(res.status).toBe(400);
    expect(res.html).toContain(
      '<input id="f-qr" name="qr" type="text" value="" autocomplete="off" autofocus="" spellcheck="false" aria-invalid="true" aria-describedby="f-qr-error"/><p class="error" id="f-qr-error">请输入或扫描二维码文字。</p>',
    );
  });

  it('junk QR text is a verdict, not an error; a junk multipart body is a clear 400, never a 5xx', async () => {
    const junk = await page('/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'qr=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    });
    expect(junk.status).toBe(200);
    expect(junk.html).toContain('<h2 id="verdict-heading">无法识别为出生医学证明电子证照</h2>');
    expect(junk.html).not.toContain('<script>alert');
    // Without an answer the field has the focus (a scanner types into it); after one it does not.
    expect(junk.html).toContain(
      '<input id="f-qr" name="qr" type="text" value="" autocomplete="off" spellcheck="false"/>',
    );
    const broken = await page('/verify/file', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc',
    });
    expect(broken.status).toBe(400);
  });

  it('a wrong claim on /my says so beside the form and keeps the ID number out of the address', async () => {
    const res = await page('/my', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'certificateNo=Q440000001&motherIdNumber=440106199305121249&claimCode=ABCDEFGHJK',
    });
    expect(res.status).toBe(401);
    expect(res.html).toContain('<p class="alert" role="alert">编号、身份证件号码或领取码不正确。');
    expect(res.headers.get('location')).toBeNull();
  });
});
