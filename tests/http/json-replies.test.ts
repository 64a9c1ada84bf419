import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './harness.ts';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc?.stop();
});

/** One raw request: status, headers and the body's exact bytes. */
function rawRequest(
  method: string,
  route: string,
  body?: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: Buffer }> {
  const url = new URL(route, svc.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, bytes: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('JSON replies of the route table', () => {
  it('send the JSON text with its UTF-8 type and byte length, security headers and a request id', async () => {
    // Over 1,000 characters with Chinese text: the size where express's own path switched to a Buffer.
    const res = await rawRequest('GET', '/api/v1/trust-list');
    expect(res.status).toBe(200);
    const text = res.bytes.toString('utf8');
    expect(text.length).toBeGreaterThan(1000);
    expect(text).toMatch(/[\u4e00-\u9fff]/);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-length']).toBe(String(res.bytes.length));
    expect(res.headers['content-length']).not.toBe(String(text.length));
    expect(res.headers['transfer-encoding']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.etag).toBeUndefined();
    expect(JSON.parse(text)).toMatchObject({ version: 1, issuedAt: expect.any(String) });
  });

  it('answer a verification with the result as JSON and Cache-Control: no-store', async () => {
    const res = await rawRequest('POST', '/api/v1/verifications', JSON.stringify({ qr: 'BC1:not-a-qr' }));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(res.bytes.toString('utf8'))).toEqual({
      valid: false,
      status: 'unknown',
      reason: 'MALFORMED',
      householdRegistered: false,
      checks: [{ name: 'format', result: 'fail' }],
    });
  });

  it('answer HEAD with the headers of GET and no body', async () => {
    const get = await rawRequest('GET', '/healthz');
    const head = await rawRequest('HEAD', '/healthz');
    expect(head.status).toBe(200);
    expect(head.bytes.length).toBe(0);
    expect(head.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(head.headers['content-length']).toBe(String(get.bytes.length));
  });
});

describe('request bodies', () => {
  it('survive a client that sends half a body and goes away: the next request is answered', async () => {
    const url = new URL(svc.url);
    await new Promise<void>((resolve, reject) => {
      const req = http.request({
        host: url.hostname,
        port: url.port,
        path: '/api/v1/verifications',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': '100' },
      });
      req.on('error', () => resolve());
      req.on('response', () => reject(new Error('answered a request whose body never came')));
      req.write('{"qr":"BC1:');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 100);
    });
    const after = await svc.request('POST', '/api/v1/verifications', { json: { qr: 'BC1:' } });
    expect(after.status).toBe(200);
    expect(after.body.reason).toBe('MALFORMED');
  });

  it('refuse a body over the limit with a 400 naming the body, also when it is sent in many chunks', async () => {
    const big = JSON.stringify({ qr: 'x'.repeat(300 * 1024) });
    const res = await rawRequest('POST', '/api/v1/verifications', big);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.bytes.toString('utf8')).error.details).toEqual([
      { path: 'body', message: `the body exceeds ${256 * 1024} bytes` },
    ]);
  });
});
