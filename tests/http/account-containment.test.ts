import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './harness.ts';

/**
 * Sign-in throttling per account and source, and containing a compromised account. The service
 * trusts the loopback proxy, so each request names its client address in X-Forwarded-For, as a
 * hospital's reverse proxy would.
 */
let svc: TestService;
const STRONG = 'amber lighthouse keeps seven quiet owls';

beforeAll(async () => {
  svc = await startTestService({ env: { TRUST_PROXY: 'loopback', RATE_LIMIT_PER_MINUTE: '100000' } });
});
afterAll(async () => {
  await svc?.stop();
});

const account = (role: string) => svc.accounts.find((a) => a.role === role && !a.username.endsWith('-bj'))!;

function signIn(username: string, password: string, from: string) {
  return svc.request('POST', '/api/v1/auth/token', {
    json: { username, password },
    headers: { 'x-forwarded-for': from },
  });
}

async function adminToken(): Promise<string> {
  const admin = account('admin');
  const res = await signIn(admin.username, admin.password, '192.0.2.1');
  expect(res.status).toBe(200);
  return res.body.accessToken as string;
}

const invalidCredentials = {
  error: { code: 'INVALID_CREDENTIALS', message: 'The username or password is wrong', details: [] },
};

describe('sign-in throttling', () => {
  it('locks after 19 parallel wrong guesses and then refuses even the right password from that address', async () => {
    const { username, password } = account('auditor');
    const guesses = await Promise.all(
      Array.from({ length: 19 }, (_, i) => signIn(username, `wrong guess ${i}`, '198.51.100.19')),
    );
    expect(guesses.map((g) => g.status)).toEqual(Array(19).fill(401));
    const right = await signIn(username, password, '198.51.100.19');
    expect(right.status).toBe(401);
    expect(right.body).toEqual(invalidCredentials);

    const token = await adminToken();
    const locks = await svc.request('GET', '/api/v1/accounts/locks', { token });
    const mine = locks.body.locks.filter((l: { username: string }) => l.username === username);
    // Each failure was counted (atomically) until the fifth locked the address; the guesses that
    // finished hashing after that met the lock and were refused uncounted. The account-wide count
    // (5 of 20) locks nothing: only this address is locked, for a minute.
    expect(mine).toEqual([
      expect.objectContaining({ scope: 'source', failures: 5, sourceFingerprint: expect.stringMatching(/^.{8}$/) }),
    ]);
    expect(Date.parse(mine[0].lockedUntil) - Date.now()).toBeGreaterThan(50_000);

    const cleared = await svc.request('POST', `/api/v1/accounts/${username}/unlock`, { token });
    expect(cleared).toMatchObject({ status: 200, body: { cleared: 2 } });
    expect((await signIn(username, password, '198.51.100.19')).status).toBe(200);
  });

  it("locks a stranger's address for the account, not the owner signing in from elsewhere", async () => {
    const { username, password } = account('statistician');
    expect((await signIn(username, password, '198.51.100.7')).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await signIn(username, `guess ${i}`, '203.0.113.9')).status).toBe(401);
    // The stranger's address is locked for this account, even with the right password …
    expect((await signIn(username, password, '203.0.113.9')).status).toBe(401);
    // … the owner, from a place they signed in from before or a new one, is not.
    expect((await signIn(username, password, '198.51.100.7')).status).toBe(200);
    expect((await signIn(username, password, '198.51.100.8')).status).toBe(200);
  });

  it('stops guesses spread over many addresses, but not the owner from an address they used before', async () => {
    const { username, password } = account('agency');
    expect((await signIn(username, password, '198.51.100.70')).status).toBe(200);
    for (let i = 0; i < 20; i++) {
      expect((await signIn(username, `guess ${i}`, `203.0.113.${100 + i}`)).status).toBe(401);
    }
    expect((await signIn(username, password, '192.0.2.50')).status).toBe(401);
    expect((await signIn(username, password, '198.51.100.70')).status).toBe(200);
    const token = await adminToken();
    const accounts = await svc.request('GET', '/api/v1/accounts', { token });
    const agency = accounts.body.accounts.find((a: { username: string }) => a.username === username);
    expect(agency).toMatchObject({ disabled: false, locks: [expect.objectContaining({ scope: 'unknown-sources' })] });
    expect(JSON.stringify(accounts.body)).not.toMatch(/scrypt|passwordHash|203\.0\.113/);
  });
});

describe('rate limits behind a proxy', () => {
  it("keys sign-in limits by account and client address: one stranger's junk does not refuse a colleague", async () => {
    const limited = await startTestService({ env: { TRUST_PROXY: 'loopback', RATE_LIMIT_PER_MINUTE: '20' } });
    try {
      const junk = (from: string) =>
        limited.request('POST', '/api/v1/auth/token', {
          json: { username: 'nobody', password: 'x' },
          headers: { 'x-forwarded-for': from },
        });
      for (let i = 0; i < 20; i++) expect((await junk('10.20.30.40')).status).toBe(401);
      const refused = await junk('10.20.30.40');
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('RATE_LIMITED');
      // The same junk from another client behind the proxy is counted on its own.
      expect((await junk('10.20.30.41')).status).toBe(401);
      const colleague = limited.accounts.find((a) => a.role === 'police')!;
      const ok = await limited.request('POST', '/api/v1/auth/token', {
        json: { username: colleague.username, password: colleague.password },
        headers: { 'x-forwarded-for': '10.20.30.40' },
      });
      expect(ok.status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});

describe('containing a compromised account', () => {
  it('signs out: the token stops working at once', async () => {
    const { username, password } = account('auditor');
    const token = (await signIn(username, password, '192.0.2.7')).body.accessToken;
    expect((await svc.request('GET', '/api/v1/audit-events/head', { token })).status).toBe(200);
    expect((await svc.request('POST', '/api/v1/auth/sign-out', { token })).status).toBe(204);
    const after = await svc.request('GET', '/api/v1/audit-events/head', { token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('revokes every token of an account, and disabling revokes them and refuses sign-in until enabled', async () => {
    const admin = await adminToken();
    const { username, password } = account('police');
    const first = (await signIn(username, password, '192.0.2.8')).body.accessToken;
    const second = (await signIn(username, password, '192.0.2.9')).body.accessToken;
    const revoked = await svc.request('POST', `/api/v1/accounts/${username}/revoke-tokens`, { token: admin });
    expect(revoked).toMatchObject({ status: 200, body: { revokedTokens: 2 } });
    expect((await svc.request('GET', '/api/v1/trust-bundle', { token: first })).status).toBe(401);
    expect((await svc.request('GET', '/api/v1/trust-bundle', { token: second })).status).toBe(401);

    const third = (await signIn(username, password, '192.0.2.8')).body.accessToken;
    const disabled = await svc.request('POST', `/api/v1/accounts/${username}/disable`, { token: admin });
    expect(disabled).toMatchObject({ status: 200, body: { disabled: true, revokedTokens: 1 } });
    expect((await svc.request('GET', '/api/v1/trust-bundle', { token: third })).status).toBe(401);
    expect(await signIn(username, password, '192.0.2.8')).toMatchObject({ status: 401, body: invalidCredentials });

    expect((await svc.request('POST', `/api/v1/accounts/${username}/enable`, { token: admin })).status).toBe(200);
    expect((await signIn(username, password, '192.0.2.8')).status).toBe(200);
  });

  it('refuses to let an administrator disable their own account, and names unknown accounts 404', async () => {
    const token = await adminToken();
    const self = await svc.request('POST', `/api/v1/accounts/${account('admin').username}/disable`, { token });
    expect(self.status).toBe(409);
    const unknown = await svc.request('POST', '/api/v1/accounts/no-such-user/disable', { token });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  });

  it('resets a password: weak ones are refused naming the field; a strong one revokes the old tokens', async () => {
    const admin = await adminToken();
    const { username, password } = account('agency');
    await svc.request('POST', `/api/v1/accounts/${username}/revoke-tokens`, { token: admin });
    const old = (await signIn(username, password, '198.51.100.70')).body.accessToken;
    const reset = (body: unknown) =>
      svc.request('POST', `/api/v1/accounts/${username}/password`, { token: admin, json: body });

    for (const [weak, message] of [
      [' '.repeat(12), 'password must not be one character repeated or only spaces'],
      [`${username}-2026`, 'password must not contain the username or the display name'],
      [
        'password1234',
        'password is too easy to guess (common words, names, dates or keyboard patterns); use a longer passphrase',
      ],
      ['short', 'password must have at least 12 characters'],
    ] as const) {
      const res = await reset({ password: weak });
      expect(res.status, weak).toBe(400);
      expect(res.body).toEqual({
        error: {
          code: 'WEAK_PASSWORD',
          message: `The password is refused: ${message}`,
          details: [{ path: 'password', message }],
        },
      });
    }
    expect((await reset({})).body.error).toMatchObject({ code: 'INVALID_REQUEST', details: [{ path: 'password' }] });

    const done = await reset({ password: STRONG });
    expect(done).toMatchObject({ status: 200, body: { revokedTokens: 1 } });
    expect((await svc.request('GET', '/api/v1/trust-bundle', { token: old })).status).toBe(401);
    expect((await signIn(username, password, '198.51.100.70')).status).toBe(401);
    expect((await signIn(username, STRONG, '198.51.100.70')).status).toBe(200);
  });
});
