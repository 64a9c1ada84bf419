import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badInputCases, type RequestSchemaId, validBodies } from '../fixtures/bad-input.ts';
import { startTestService, type TestService } from './harness.ts';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
});
afterAll(async () => {
  await svc?.stop();
});

/** Every route that takes a JSON body, with the role that may call it. */
const routes: Record<RequestSchemaId, { path: string; role?: string; institution?: 'gz' }> = {
  'auth-token': { path: '/api/v1/auth/token' },
  delivery: { path: '/api/v1/deliveries', role: 'midwife', institution: 'gz' },
  application: { path: '/api/v1/applications', role: 'issuer', institution: 'gz' },
  replacement: { path: '/api/v1/certificates/Q440000001/replacements', role: 'issuer', institution: 'gz' },
  reissue: { path: '/api/v1/certificates/Q440000001/reissues', role: 'issuer', institution: 'gz' },
  void: { path: '/api/v1/certificates/Q440000001/void', role: 'issuer', institution: 'gz' },
  'household-registration': { path: '/api/v1/certificates/Q440000001/household-registration', role: 'police' },
  'citizen-claim': { path: '/api/v1/citizen/claims' },
  verification: { path: '/api/v1/verifications' },
};

async function post(
  schemaId: RequestSchemaId,
  init: { body?: string | Uint8Array; json?: unknown; headers?: Record<string, string> },
) {
  const route = routes[schemaId];
  const token = route.role ? await svc.token(route.role, route.institution) : undefined;
  return svc.request('POST', route.path, { ...init, token });
}

for (const schemaId of Object.keys(routes) as RequestSchemaId[]) {
  describe(`POST ${routes[schemaId].path}`, () => {
    it.each(badInputCases[schemaId].map((c) => [c.name, c] as const))(
      'refuses %s with a 400 naming the field',
      async (_name, c) => {
        const res = await post(schemaId, { json: c.body });
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('INVALID_REQUEST');
        expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(c.expectedPath);
      },
    );

    const generic: [
      string,
      { body?: string | Uint8Array; json?: unknown; headers?: Record<string, string> },
      string,
    ][] = [
      ['malformed JSON', { body: '{"a":', headers: { 'content-type': 'application/json' } }, 'body'],
      [
        'a wrong content type',
        { body: JSON.stringify(validBodies[schemaId]), headers: { 'content-type': 'text/plain' } },
        'Content-Type',
      ],
      ['no content type', { body: JSON.stringify(validBodies[schemaId]) }, 'Content-Type'],
      [
        'a 10 MB body',
        { body: `{"x":"${'a'.repeat(10 * 1024 * 1024)}"}`, headers: { 'content-type': 'application/json' } },
        'body',
      ],
      [
        'invalid UTF-8',
        {
          body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
          headers: { 'content-type': 'application/json' },
        },
        'body',
      ],
      [
        'JSON nested 10,000 deep',
        { body: `${'['.repeat(10_000)}${']'.repeat(10_000)}`, headers: { 'content-type': 'application/json' } },
        'body',
      ],
      ['a JSON array', { json: [validBodies[schemaId]] }, ''],
      ['a JSON string', { json: 'hello' }, ''],
      ['null', { json: null }, ''],
    ];
    it.each(generic)('refuses %s with a 400', async (_name, init, path) => {
      const res = await post(schemaId, init);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_REQUEST');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    });
  });
}

it('is still healthy after the whole corpus', async () => {
  expect((await svc.request('GET', '/healthz')).status).toBe(200);
});
