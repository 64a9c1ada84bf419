import { statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './harness.ts';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc?.stop();
});

describe('a fresh demo service', () => {
  it('answers /healthz once it can serve', async () => {
    const res = await svc.request('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('writes demo-credentials.json readable by its owner only', () => {
    const mode = statSync(path.join(svc.dataDir, 'demo-credentials.json')).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it('has one demo account per role, and a midwife and an issuer in each of two institutions', () => {
    const byRole = (role: string) => svc.accounts.filter((a) => a.role === role);
    for (const role of ['admin', 'police', 'agency', 'auditor', 'statistician']) {
      expect(byRole(role)).toHaveLength(1);
      expect(byRole(role)[0]!.institution).toBeNull();
    }
    for (const role of ['midwife', 'issuer']) {
      const staff = byRole(role);
      expect(staff).toHaveLength(2);
      expect(new Set(staff.map((a) => a.institution)).size).toBe(2);
      for (const a of staff) expect(a.institution).toMatch(/^[0-9A-HJ-NPQRTUWXY]{18}$/);
    }
  });

  it('gives every demo account a bearer token carrying its role', async () => {
    for (const account of svc.accounts) {
      const res = await svc.request('POST', '/api/v1/auth/token', {
        json: { username: account.username, password: account.password },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        accessToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        tokenType: 'Bearer',
        expiresIn: 900,
        role: account.role,
      });
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('serves on a server that makes each request with the app’s prototypes (src/http/server.ts)', async () => {
    const { server, service } = svc.running;
    const arrived: boolean[] = [];
    const listener = (req: object, res: object) =>
      arrived.push(
        Object.getPrototypeOf(req) === service.app.request && Object.getPrototypeOf(res) === service.app.response,
      );
    server.prependListener('request', listener);
    try {
      expect((await svc.request('GET', '/healthz')).status).toBe(200);
    } finally {
      server.off('request', listener);
    }
    expect(arrived).toEqual([true]);
  });

  it('sends security headers and no x-powered-by', async () => {
    const res = await svc.request('GET', '/healthz');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it("answers the API with helmet's headers for a body that is not a page, and pages with all of them", async () => {
    const securityHeaders = (headers: Headers) =>
      [...headers.keys()].filter(
        (name) =>
          ![
            'content-type',
            'content-length',
            'date',
            'connection',
            'keep-alive',
            'cache-control',
            'x-request-id',
          ].includes(name),
      );
    const api = await svc.request('GET', '/api/v1/trust-list');
    expect(api.status).toBe(200);
    expect(securityHeaders(api.headers).sort()).toEqual([
      'content-security-policy',
      'cross-origin-resource-policy',
      'referrer-policy',
      'strict-transport-security',
      'x-content-type-options',
      'x-frame-options',
      'x-permitted-cross-domain-policies',
    ]);
    const page = await svc.request('GET', '/');
    expect(page.status).toBe(200);
    const documentOnly = [
      'cross-origin-opener-policy',
      'origin-agent-cluster',
      'x-dns-prefetch-control',
      'x-download-options',
      'x-xss-protection',
    ];
    expect(securityHeaders(page.headers)).toEqual(
      expect.arrayContaining([...securityHeaders(api.headers), ...documentOnly]),
    );
    // The same values as helmet gives an answer outside the API (pages set a CSP of their own).
    const health = await svc.request('GET', '/healthz');
    for (const name of securityHeaders(api.headers)) expect(api.headers.get(name)).toBe(health.headers.get(name));
  });

  it('ignores a stale or foreign Authorization header on public routes', async () => {
    for (const authorization of [`Bearer ${'A'.repeat(43)}`, 'Basic dXNlcjpwYXNz']) {
      const res = await svc.request('GET', '/healthz', { headers: { authorization } });
      expect(res.status).toBe(200);
    }
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await svc.request('GET', '/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});

describe('sign-in', () => {
  it('refuses a wrong password and an unknown user with the same 401', async () => {
    const wrong = await svc.request('POST', '/api/v1/auth/token', {
      json: { username: 'demo-police', password: 'not-the-password' },
    });
    const unknown = await svc.request('POST', '/api/v1/auth/token', {
      json: { username: 'nobody-here', password: 'not-the-password' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual({
      error: { code: 'INVALID_CREDENTIALS', message: 'The username or password is wrong', details: [] },
    });
    expect(unknown.body).toEqual(wrong.body);
  });

  it('locks an account after five wrong passwords, even against the right one', async () => {
    const agency = svc.accounts.find((a) => a.role === 'statistician')!;
    for (let i = 0; i < 5; i++) {
      const res = await svc.request('POST', '/api/v1/auth/token', {
        json: { username: agency.username, password: `wrong-${i}` },
      });
      expect(res.status).toBe(401);
    }
    const locked = await svc.request('POST', '/api/v1/auth/token', {
      json: { username: agency.username, password: agency.password },
    });
    expect(locked.status).toBe(401);
    expect(locked.body.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('refuses a missing, malformed or unknown bearer token with 401 and a wrong role with 403', async () => {
    const none = await svc.request('GET', '/api/v1/audit-events/verify');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHENTICATED');
    const bogus = await svc.request('GET', '/api/v1/audit-events/verify', { token: 'A'.repeat(43) });
    expect(bogus.status).toBe(401);
    const malformed = await svc.request('GET', '/api/v1/audit-events/verify', {
      headers: { authorization: 'Basic abc' },
    });
    expect(malformed.status).toBe(401);
    const police = await svc.request('GET', '/api/v1/audit-events/verify', { token: await svc.token('police') });
    expect(police.status).toBe(403);
    expect(police.body.error.code).toBe('FORBIDDEN');
  });

  it('checks the chain against an anchor the auditor kept, and names a malformed one', async () => {
    const token = await svc.token('auditor');
    const head = (await svc.request('GET', '/api/v1/audit-events/head', { token })).body;
    expect(head).toEqual({ seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const anchored = await svc.request('GET', `/api/v1/audit-events/verify?seq=${head.seq}&hash=${head.hash}`, {
      token,
    });
    expect(anchored.body.intact).toBe(true);
    const bad = await svc.request('GET', '/api/v1/audit-events/verify?seq=0&hash=xyz', { token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['seq', 'hash']);
  });

  it('records sign-in failures in an intact audit chain', async () => {
    const res = await svc.request('GET', '/api/v1/audit-events/verify', { token: await svc.token('auditor') });
    expect(res.status).toBe(200);
    expect(res.body.intact).toBe(true);
    expect(res.body.events).toBeGreaterThanOrEqual(8);
  });
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and describes every served route', async () => {
    const res = await svc.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/healthz', '/openapi.json', '/api/v1/auth/token', '/api/v1/audit-events/verify']),
    );
    expect(res.body.paths['/api/v1/auth/token'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/auth-token',
    });
    expect(res.body.components.schemas['auth-token']).toBeDefined();
  });

  it('documents 401 and 403 on every protected operation and the media type of every success', async () => {
    const { paths } = (await svc.request('GET', '/openapi.json')).body;
    for (const [path, operations] of Object.entries<Record<string, any>>(paths)) {
      for (const [method, operation] of Object.entries<any>(operations)) {
        if (operation.security.length > 0)
          expect(Object.keys(operation.responses), `${method} ${path}`).toEqual(expect.arrayContaining(['401', '403']));
        // 204 (sign-out) has no body to describe.
        const success = Object.entries<any>(operation.responses).find(([s]) => s.startsWith('2') && s !== '204')!;
        if (success) expect(Object.keys(success[1].content ?? {}).length, `${method} ${path}`).toBeGreaterThan(0);
      }
    }
    expect(Object.keys(paths['/api/v1/certificates/{no}/pdf'].get.responses['200'].content)).toEqual([
      'application/pdf',
    ]);
    // The export is one resource in two formats, chosen by its format parameter.
    expect(Object.keys(paths['/api/v1/exports/births'].get.responses['200'].content)).toEqual([
      'text/csv',
      'application/x-ndjson',
    ]);
  });
});
