import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { demoInstitutions } from '../../src/setup/demo-trust-domain.ts';
import {
  applicationBodyFor,
  chinaTime,
  deliveryBodyFor,
  fixtureRecords,
  isInstitutionalBirth,
  withAnotherMother,
  withBirthTime,
} from '../fixtures/records.ts';

const guangzhou = demoInstitutions.find((institution) => institution.key === 'gz')!;

import { type Receiver, startReceiver } from '../http/webhook-receiver.ts';
import { killHard, launchService } from './service-process.ts';

/**
 * The service process killed with SIGKILL while its events are committed but not yet delivered
 * (the agency's endpoint holds every request open), then restarted on the same data directory:
 * every committed event reaches the agency afterwards, once, and each birth's in order.
 */

const dataDir = mkdtempSync(path.join(tmpdir(), 'bc-events-crash-'));
let current: ChildProcess | null = null;
let receiver: Receiver | null = null;

afterAll(async () => {
  if (current && current.exitCode === null) current.kill('SIGKILL');
  await receiver?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const launch = () =>
  launchService({
    dataDir,
    passphrase: 'events-crash-passphrase',
    spawned: (child) => {
      current = child;
    },
  });

function client(url: string) {
  return async (method: string, route: string, token?: string, json?: unknown) => {
    const res = await fetch(`${url}${route}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
}

it('delivers every event committed before a kill -9, once, each birth in order', { timeout: 120_000 }, async () => {
  receiver = await startReceiver();
  receiver.answer = () => 'hang';
  let service = await launch();
  let call = client(service.url);
  const accounts = (
    JSON.parse(readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8')) as {
      accounts: { username: string; password: string }[];
    }
  ).accounts;
  const signIn = async (username: string) => {
    const account = accounts.find((a) => a.username === username)!;
    const { password } = account;
    return (await call('POST', '/api/v1/auth/token', undefined, { username, password })).body.accessToken as string;
  };
  const subscribed = await call('POST', '/api/v1/subscriptions', await signIn('demo-admin'), {
    url: receiver.url,
    eventTypes: [
      'cn.birth-certificate.application.submitted',
      'cn.birth-certificate.issued',
      'cn.birth-certificate.reissued',
    ],
  });
  expect(subscribed.status).toBe(201);
  receiver.secrets = [subscribed.body.secret];

  const midwife = await signIn('demo-midwife-gz');
  const issuer = await signIn('demo-issuer-gz');
  const answered: string[] = [];
  for (let k = 0; k < 6; k++) {
    // Each birth its own mother (one mother's births an hour apart would be one pregnancy), and a
    // delivery at the Guangzhou institution happened in its division.
    const record = withAnotherMother(
      withBirthTime(fixtureRecords[k]!, chinaTime(new Date(Date.now() - (60 + k) * 60_000))),
      k + 1,
    );
    if (isInstitutionalBirth(record)) record.birthPlace = { divisionCode: guangzhou.divisionCode };
    let body = applicationBodyFor(record);
    if (isInstitutionalBirth(record)) {
      const delivery = await call('POST', '/api/v1/deliveries', midwife, deliveryBodyFor(record));
      expect(delivery.status).toBe(201);
      body = applicationBodyFor(record, delivery.body.id);
    }
    const application = await call('POST', '/api/v1/applications', issuer, body);
    const issued = await call('POST', `/api/v1/applications/${application.body.id}/issue`, issuer);
    expect(issued.status).toBe(201);
    const reissued = await call('POST', `/api/v1/certificates/${issued.body.certificateNo}/reissues`, issuer, {
      reason: '原证遗失',
    });
    expect(reissued.status).toBe(201);
    answered.push(issued.body.certificateNo, reissued.body.certificateNo);
  }
  // Committed, attempted, never answered: the endpoint holds every request open.
  expect(receiver.arrivals.length).toBeGreaterThan(0);
  await killHard(service.child);
  expect(receiver.processed).toEqual([]);

  const db = new Database(path.join(dataDir, 'service.sqlite'), { readonly: true });
  const committed = db
    .prepare<[], { id: string; ordering_key: string }>('SELECT id, ordering_key FROM events ORDER BY seq')
    .all();
  db.close();
  expect(committed).toHaveLength(18);

  receiver.answer = () => 'ok';
  service = await launch();
  call = client(service.url);
  const deadline = Date.now() + 60_000;
  while (receiver.processed.length < committed.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(receiver.processed.map((p) => p.id).sort()).toEqual(committed.map((e) => e.id).sort());
  // Each birth's events in the order they were committed.
  const arrivalOrder = new Map(receiver.processed.map((p, i) => [p.id, i]));
  const byBirth = new Map<string, number[]>();
  for (const event of committed) {
    byBirth.set(event.ordering_key, [...(byBirth.get(event.ordering_key) ?? []), arrivalOrder.get(event.id)!]);
  }
  for (const order of byBirth.values()) expect(order).toEqual([...order].sort((a, b) => a - b));
  const subjects = receiver.processed.filter((p) => p.event.type !== 'cn.birth-certificate.application.submitted');
  expect(subjects.map((p) => p.event.subject).sort()).toEqual([...answered].sort());
  await killHard(service.child);
});
