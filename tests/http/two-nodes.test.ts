import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TOUCH_INTERVAL_MS } from '../../src/web/console-session.ts';
import { fixtureRecords, withAnotherMother } from '../fixtures/records.ts';
import { databaseEnvFor, statements } from '../storage-kit.ts';
import { startTestService, type TestService } from './harness.ts';
import { bornBefore, issueBirth, staffOf } from './lifecycle-helpers.ts';
import { startReceiver } from './webhook-receiver.ts';

/**
 * Two services on one database (in this process; tests/slow/two-nodes.test.ts runs two
 * processes): what one node remembers, the other knows — console sessions, their idle clocks and
 * CSRF tokens, the per-minute limits' counts, the signing keys.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), 'bc-two-nodes-'));
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
let a: TestService;
let b: TestService;
const env = { RATE_LIMIT_PER_MINUTE: '3', PDF_VERIFICATIONS_PER_MINUTE: '2' };
const webhooks = { timeoutMs: 2_000, random: () => 0.5 };

beforeAll(async () => {
  cpSync(inject('demoDataDir'), dataDir, { recursive: true });
  // On PostgreSQL the demo seed is a database: this directory gets a copy of it.
  await databaseEnvFor(dataDir, true);
  a = await startTestService({ dataDir, clock, env, webhooks });
  b = await startTestService({ dataDir, clock, env, webhooks });
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function signIn(node: TestService, role: string): Promise<string> {
  const account = node.accounts.find((x) => x.role === role && (x.institution === null || x.username.endsWith('-gz')))!;
  const res = await fetch(`${node.url}/console/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: node.url },
    body: new URLSearchParams({ username: account.username, password: account.password }),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}
const page = (node: TestService, cookie: string, route = '/console/home') =>
  fetch(`${node.url}${route}`, { headers: { cookie }, redirect: 'manual' });
const csrfOf = async (node: TestService, cookie: string) =>
  /name="_csrf" value="([^"]+)"/.exec(await (await page(node, cookie)).text())![1]!;
const lastSeen = () =>
  statements(a.running.service.sql).prepare('SELECT last_seen_ms FROM console_sessions').pluck().all() as number[];

describe('two nodes on one database', () => {
  it('share a console session: signed in on A, used on B with A’s CSRF token, signed out on B, over on A', async () => {
    const cookie = await signIn(a, 'issuer');
    expect((await page(b, cookie)).status).toBe(200);
    const fromA = await csrfOf(a, cookie);
    expect(await csrfOf(b, cookie)).toBe(fromA);
    const out = await fetch(`${b.url}/console/sign-out`, {
      method: 'POST',
      headers: { cookie, origin: b.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: fromA }),
      redirect: 'manual',
    });
    expect([out.status, out.headers.get('location')]).toEqual([303, '/console/sign-in']);
    const after = await page(a, cookie);
    expect([after.status, after.headers.get('location')]).toEqual([303, '/console/sign-in']);
  });

  it('share the idle clock, written at most once a minute, and end an idle session on both', async () => {
    const cookie = await signIn(a, 'midwife');
    const [begun] = lastSeen().slice(-1);
    offsetMs += TOUCH_INTERVAL_MS / 2;
    expect((await page(b, cookie)).status).toBe(200);
    expect(lastSeen().slice(-1)).toEqual([begun]);
    offsetMs += TOUCH_INTERVAL_MS;
    expect((await page(b, cookie)).status).toBe(200);
    const [touched] = lastSeen().slice(-1);
    expect(touched! - begun!).toBeGreaterThanOrEqual(TOUCH_INTERVAL_MS * 1.5);
    // 30 minutes without use, counted from B's use: A ends it.
    offsetMs += 30 * 60_000 + 1_000;
    const idle = await page(a, cookie);
    expect([idle.status, idle.headers.get('location')]).toEqual([303, '/console/sign-in']);
    expect((await page(b, cookie)).status).toBe(303);
  });

  it('count a per-minute limit across both nodes', async () => {
    const claim = (node: TestService) =>
      node.request('POST', '/api/v1/citizen/claims', {
        json: { certificateNo: 'Q440000999', motherIdNumber: '440106199305121249', claimCode: 'WRONG-CODE-1' },
      });
    const statuses = [];
    for (const node of [a, b, a, b, a]) statuses.push((await claim(node)).status);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(statuses.slice(0, 3)).not.toContain(429);
  });

  it('count the PDF verifications of an address across both nodes', async () => {
    const verifyPdf = (node: TestService) =>
      node.request('POST', '/api/v1/verifications', {
        body: new TextEncoder().encode('%PDF-1.7\n%%EOF\n'),
        headers: { 'content-type': 'application/pdf' },
      });
    const statuses = [];
    for (const node of [b, a, b]) statuses.push((await verifyPdf(node)).status);
    expect(statuses[2]).toBe(429);
    expect(statuses.slice(0, 2)).not.toContain(429);
  });

  it('send a webhook delivery from one node only while its attempt runs', async () => {
    const receiver = await startReceiver();
    try {
      receiver.now = clock.now;
      receiver.answer = () => 'hang';
      const admin = await a.token('admin');
      const subscribed = await a.request('POST', '/api/v1/subscriptions', {
        token: admin,
        json: { url: receiver.url, eventTypes: ['cn.birth-certificate.issued'] },
      });
      expect(subscribed.status).toBe(201);
      receiver.secrets = [subscribed.body.secret];
      const staff = await staffOf(b, 'gz');
      await issueBirth(b, staff, bornBefore(withAnotherMother(fixtureRecords[0]!, 77), clock.now(), 1, 'gz'));
      await expect.poll(() => receiver.arrivals.length, { timeout: 5_000 }).toBe(1);
      // Both dispatchers poll every 500 ms: while the first attempt hangs, the other node must not send it too.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(receiver.arrivals.length).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it('sign with a key the other node made: rotated on A, active and usable on B', async () => {
    const admin = await a.token('admin');
    const gz = a.accounts.find((x) => x.role === 'issuer' && x.username.endsWith('-gz'))!.institution!;
    const rotated = await a.request('POST', `/api/v1/institutions/${gz}/signing-keys`, { token: admin, json: {} });
    expect(rotated.status).toBe(201);
    const kid = rotated.body.kid as string;
    const onB = b.running.service.keyStore;
    expect(onB.activeKey(gz).kid).toBe(kid);
    expect(await onB.sign(kid, new Uint8Array([1, 2, 3]))).toHaveLength(64);
  });
});
