import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBody } from '../../src/http/error-status.ts';
import { startTestService, type TestService } from './harness.ts';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc?.stop();
});

const unprintable = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

describe('path parameters with control or bidi characters', () => {
  const cases: [string, string, string][] = [
    ['a right-to-left override', 'GET', `/api/v1/certificates/${encodeURIComponent('\u202eQ440000001')}`],
    ['a zero-width space', 'GET', `/api/v1/certificates/${encodeURIComponent('Q4400\u200b00001')}/pdf`],
    ['a line feed', 'GET', `/api/v1/certificates/${encodeURIComponent('Q440000001\n')}/signed.json`],
    ['an escape character', 'POST', `/api/v1/signing-keys/${encodeURIComponent('\u001b[31mkid')}/revoke`],
  ];
  it.each(cases)('answers %s with a 400 naming the parameter, never echoing it', async (_name, method, route) => {
    const token = route.includes('signing-keys') ? await svc.token('admin') : await svc.token('issuer', 'gz');
    const res = await svc.request(method, route, { token, json: method === 'POST' ? { reason: '测试' } : undefined });
    expect(res.status).toBe(400);
    const name = route.includes('signing-keys') ? 'kid' : 'no';
    expect(res.body).toEqual({
      error: {
        code: 'INVALID_REQUEST',
        message: 'A path parameter is not a valid identifier',
        details: [{ path: name, message: 'must not contain control or format characters' }],
      },
    });
  });

  it('writes any unprintable character an error message quotes as an escape, never raw', () => {
    const body = errorBody('NOT_FOUND', 'No certificate \u202eQ44\u0000', [{ path: 'no\u200b', message: 'x\u2028' }]);
    expect(body).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: 'No certificate \\u{202E}Q44\\u{0}',
        details: [{ path: 'no\\u{200B}', message: 'x\\u{2028}' }],
      },
    });
    expect(JSON.stringify(body)).not.toMatch(unprintable);
  });
});
