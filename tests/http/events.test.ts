import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationChangedEvent } from '../../src/domain/events/lifecycle-events.ts';
import { fixtureRecords, withAnotherMother } from '../fixtures/records.ts';
import { statements } from '../storage-kit.ts';
import { startTestService, type TestService } from './harness.ts';
import {
  bornBefore,
  childIdNumber,
  chinaDateOf,
  demo,
  errorOf,
  forbiddenRole,
  frozenClock,
  type Issued,
  issueBirth,
  type Staff,
  staffOf,
} from './lifecycle-helpers.ts';
import { type Receiver, startReceiver } from './webhook-receiver.ts';

/*
 * Events to agencies end to end: the real service, real subscriptions, and real receivers on
 * loopback verifying every delivery with the independent `standardwebhooks` package. The clock
 * is the test's: retries and a long outage are days of service time in a second of test time.
 */

const START = frozenClock().now;
let t = START.getTime();
const clock = { now: () => new Date(t) };
const advance = (ms: number) => {
  t += ms;
};
const MINUTE = 60_000;
v8.setFlagsFromString('--expose_gc');
/** A full collection now (the flag above exposes `gc` to contexts made from here on). */
const collectGarbage = vm.runInNewContext('gc') as () => void;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const ALL_TYPES = [
  'cn.birth-certificate.issued',
  'cn.birth-certificate.replaced',
  'cn.birth-certificate.reissued',
  'cn.birth-certificate.voided',
  'cn.birth-certificate.revoked',
  'cn.birth-certificate.household-registered',
  'cn.birth-certificate.application.submitted',
  'cn.birth-certificate.application.returned',
];

let svc: TestService;
let gz: Staff;
let bj: Staff;
const receivers: Receiver[] = [];
let births = 0;

/** A fresh sign-in: tokens expire as the test clock runs ahead. */
async function tokenOf(role: string, at?: 'gz' | 'bj') {
  const account = svc.accounts.find((a) => a.role === role && (at === undefined || a.username.endsWith(`-${at}`)))!;
  const res = await svc.request('POST', '/api/v1/auth/token', {
    json: { username: account.username, password: account.password },
  });
  return res.body.accessToken as string;
}

async function receiverFor(eventTypes = ALL_TYPES, divisions?: string[]) {
  const receiver = await startReceiver();
  receiver.now = clock.now;
  receivers.push(receiver);
  const res = await svc.request('POST', '/api/v1/subscriptions', {
    token: await tokenOf('admin'),
    json: { url: receiver.url, eventTypes, ...(divisions && { divisions }) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  receiver.secrets = [res.body.secret];
  return { receiver, subscription: res.body as { id: string; secret: string } };
}

/** A new birth (each distinct, each its own mother) issued at an institution. */
async function issueNewBirth(at: 'gz' | 'bj' = 'gz'): Promise<Issued> {
  const k = births++;
  const record = bornBefore(withAnotherMother(fixtureRecords[k % 4]!, 1 + k), new Date(t), 1 + k, at);
  return issueBirth(svc, at === 'gz' ? gz : bj, record);
}

const drain = () => svc.running.service.webhooks.drain();

beforeAll(async () => {
  svc = await startTestService({
    clock,
    env: { RATE_LIMIT_PER_MINUTE: '100000', TOKEN_TTL_SECONDS: String(30 * 24 * 3600) },
    // A short timeout so a hanging receiver costs the test little (yet long enough for a receiver
    // sharing its process with certificate signing on a busy machine); no jitter, so retry times are known.
    webhooks: { timeoutMs: 1_500, random: () => 0.5 },
  });
  gz = await staffOf(svc, 'gz');
  bj = await staffOf(svc, 'bj');
});
afterAll(async () => {
  await svc?.stop();
  for (const receiver of receivers) await receiver.close().catch(() => undefined);
});

describe('subscriptions', () => {
  it('shows the whsec_ secret once, lists subscriptions without it, and audits the change', async () => {
    const admin = await tokenOf('admin');
    const created = await svc.request('POST', '/api/v1/subscriptions', {
      token: admin,
      json: { url: 'http://127.0.0.1:9/x', eventTypes: ['cn.birth-certificate.issued'], divisions: ['440100'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.body).toMatchObject({
      url: 'http://127.0.0.1:9/x',
      eventTypes: ['cn.birth-certificate.issued'],
      divisions: ['440100'],
      createdBy: 'demo-admin',
      previousSecretValidUntil: null,
    });
    const listed = await svc.request('GET', '/api/v1/subscriptions', { token: admin });
    const mine = listed.body.subscriptions.find((s: { id: string }) => s.id === created.body.id);
    expect(mine).toEqual({ ...created.body, secret: undefined, description: null });
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');

    const removed = await svc.request('DELETE', `/api/v1/subscriptions/${created.body.id}`, { token: admin });
    expect(removed.status).toBe(204);
    const again = await svc.request('DELETE', `/api/v1/subscriptions/${created.body.id}`, { token: admin });
    expect(again.body).toEqual(errorOf('NOT_FOUND', `No subscription ${created.body.id}`));
    const actions = statements(svc.running.service.sql)
      .prepare("SELECT action, target FROM audit_events WHERE action LIKE 'subscription.%' ORDER BY seq")
      .all();
    expect(actions).toEqual([
      { action: 'subscription.created', target: created.body.id },
      { action: 'subscription.removed', target: created.body.id },
    ]);
  });

  it('refuses plain http to a non-loopback host, credentials in the url, and unknown event types: 400 naming the field', async () => {
    const admin = await tokenOf('admin');
    const post = (json: unknown) => svc.request('POST', '/api/v1/subscriptions', { token: admin, json });
    const insecure = await post({
      url: 'http://agency.example.gov.cn/hook',
      eventTypes: ['cn.birth-certificate.issued'],
    });
    expect(insecure.body).toEqual(
      errorOf('INVALID_REQUEST', 'The request is invalid', [
        { path: 'url', message: 'url must use https (plain http only to a loopback address)' },
      ]),
    );
    const withUser = await post({
      url: 'https://u:p@agency.example/hook',
      eventTypes: ['cn.birth-certificate.issued'],
    });
    expect(withUser.body.error.details).toEqual([{ path: 'url', message: 'url must not carry a user or password' }]);
    const badType = await post({ url: 'https://agency.example/hook', eventTypes: ['certificate.printed'] });
    expect(badType.status).toBe(400);
    expect(badType.body.error.details.map((d: { path: string }) => d.path)).toEqual(['eventTypes.0']);
    const badDivision = await post({
      url: 'https://agency.example/hook',
      eventTypes: ['cn.birth-certificate.issued'],
      divisions: ['44'],
    });
    expect(badDivision.body.error.details.map((d: { path: string }) => d.path)).toEqual(['divisions.0']);
  });

  it('is for the admin only', async () => {
    const res = await svc.request('GET', '/api/v1/subscriptions', { token: await tokenOf('agency') });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(forbiddenRole('agency'));
  });
});

describe('delivery', () => {
  it('delivers every event type once, signed per Standard Webhooks, thin (no names, no ID numbers)', async () => {
    const { receiver } = await receiverFor();
    const police = await tokenOf('police');
    const admin = await tokenOf('admin');
    const first = await issueNewBirth();
    const replaced = await svc.request('POST', `/api/v1/certificates/${first.certificateNo}/replacements`, {
      token: gz.issuer,
      json: { reason: '姓名录入错误', changes: { newborn: { name: '王子涵' } } },
    });
    expect(replaced.status).toBe(201);
    const reissued = await svc.request('POST', `/api/v1/certificates/${replaced.body.certificateNo}/reissues`, {
      token: gz.issuer,
      json: { reason: '原证遗失' },
    });
    expect(reissued.status).toBe(201);
    const record = (
      await svc.request('GET', `/api/v1/certificates/${reissued.body.certificateNo}`, { token: gz.issuer })
    ).body;
    const birthDate = chinaDateOf(new Date(record.certificate.newborn.birthTime));
    const registered = await svc.request(
      'POST',
      `/api/v1/certificates/${reissued.body.certificateNo}/household-registration`,
      {
        token: police,
        json: {
          childIdNumber: childIdNumber(birthDate, record.certificate.newborn.sex),
          registeredOn: chinaDateOf(clock.now()),
          policeUnit: '广州市公安局天河区分局天河南派出所',
        },
      },
    );
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const toVoid = await issueNewBirth();
    expect(
      (
        await svc.request('POST', `/api/v1/certificates/${toVoid.certificateNo}/void`, {
          token: gz.issuer,
          json: { reason: 'PRINT_ERROR' },
        })
      ).status,
    ).toBe(200);
    const toRevoke = await issueNewBirth();
    expect(
      (
        await svc.request('POST', `/api/v1/certificates/${toRevoke.certificateNo}/revoke`, {
          token: admin,
          json: { reason: '冒名申领，案件编号 GA-2026-0193' },
        })
      ).status,
    ).toBe(200);
    // Returning an online application is another route's; its event goes through the same outbox.
    const service = svc.running.service;
    const application = statements(service.sql)
      .prepare('SELECT id, institution, record FROM applications LIMIT 1')
      .get() as {
      id: string;
      institution: string;
      record: string;
    };
    const delivery = service.lifecycle.applications.findApplication(application.id)!;
    service.lifecycle.transactions.run(() =>
      service.lifecycle.events.append(
        applicationChangedEvent(
          'cn.birth-certificate.application.returned',
          delivery,
          delivery.deliveryId ? service.lifecycle.applications.findDelivery(delivery.deliveryId) : null,
          'online',
          clock.now(),
        ),
      ),
    );
    await drain();

    const types = receiver.processed.map((p) => p.event.type);
    expect([...types].sort()).toEqual(
      [
        ...Array(3).fill('cn.birth-certificate.application.submitted'),
        ...Array(3).fill('cn.birth-certificate.issued'),
        'cn.birth-certificate.replaced',
        'cn.birth-certificate.reissued',
        'cn.birth-certificate.household-registered',
        'cn.birth-certificate.voided',
        'cn.birth-certificate.revoked',
        'cn.birth-certificate.application.returned',
      ].sort(),
    );
    expect(receiver.arrivals.length).toBe(12);
    expect(new Set(receiver.arrivals.map((a) => a.id)).size).toBe(12);
    for (const arrival of receiver.arrivals) {
      expect(arrival.verifiedWith).toEqual([0]);
      expect(arrival.headers['content-type']).toBe('application/json');
      expect(JSON.parse(arrival.body).id).toBe(arrival.id);
    }
    const issued = receiver.processed.find((p) => p.event.subject === first.certificateNo)!.event;
    expect(issued).toEqual({
      specversion: '1.0',
      id: expect.stringMatching(/^evt_[A-Za-z0-9_-]{16}$/),
      type: 'cn.birth-certificate.issued',
      source: `/institutions/${demo.gz.creditCode}`,
      subject: first.certificateNo,
      time: clock.now().toISOString(),
      datacontenttype: 'application/json',
      institutioncode: demo.gz.creditCode,
      divisioncode: demo.gz.divisionCode,
      licenceid: first.licenceId,
      licenceversion: 1,
      data: { certificateNo: first.certificateNo, kind: 'first' },
    });
    const byType = (type: string) => receiver.processed.find((p) => p.event.type === type)!.event;
    expect(byType('cn.birth-certificate.replaced')).toMatchObject({
      subject: replaced.body.certificateNo,
      licenceversion: 2,
      data: { certificateNo: replaced.body.certificateNo, kind: 'replacement', supersedes: first.certificateNo },
    });
    expect(byType('cn.birth-certificate.household-registered').data).toEqual({
      certificateNo: reissued.body.certificateNo,
      registeredOn: chinaDateOf(clock.now()),
    });
    expect(byType('cn.birth-certificate.voided').data).toEqual({
      certificateNo: toVoid.certificateNo,
      reason: 'PRINT_ERROR',
    });
    expect(byType('cn.birth-certificate.revoked').data).toEqual({ certificateNo: toRevoke.certificateNo });
    expect(byType('cn.birth-certificate.application.returned')).toMatchObject({
      subject: application.id,
      data: { applicationId: application.id, channel: 'online' },
    });
    expect(byType('cn.birth-certificate.application.returned').licenceid).toBeUndefined();
    // Thin: no name and no ID number of anyone, whatever the record holds.
    const everything = receiver.arrivals.map((a) => a.body).join('\n');
    for (const no of [first, toVoid, toRevoke]) {
      const full = (await svc.request('GET', `/api/v1/certificates/${no.certificateNo}`, { token: gz.issuer })).body;
      for (const secret of [
        full.certificate.newborn.name,
        full.certificate.mother.name,
        full.certificate.mother.idNumber,
      ]) {
        expect(everything).not.toContain(secret);
      }
    }
    expect(everything).not.toContain('GA-2026-0193');
  });

  it('sends a division-scoped subscriber only the events of its division (a city covers its counties)', async () => {
    const { receiver: guangzhou } = await receiverFor(['cn.birth-certificate.issued'], ['440100']);
    const { receiver: beijing } = await receiverFor(['cn.birth-certificate.issued'], [demo.bj.divisionCode]);
    const inGz = await issueNewBirth('gz');
    const inBj = await issueNewBirth('bj');
    await drain();
    expect(guangzhou.processed.map((p) => p.event.subject)).toEqual([inGz.certificateNo]);
    expect(beijing.processed.map((p) => p.event.subject)).toEqual([inBj.certificateNo]);
  });

  it('retries after a 500 and after a timeout, on the backoff schedule, with the same webhook-id', async () => {
    const { receiver: failing, subscription } = await receiverFor(['cn.birth-certificate.issued']);
    const { receiver: slow } = await receiverFor(['cn.birth-certificate.issued']);
    failing.answer = () => (failing.arrivals.length === 1 ? 'error' : 'ok');
    slow.answer = () => (slow.arrivals.length === 1 ? 'hang' : 'ok');
    const issued = await issueNewBirth();
    await drain();
    expect(failing.arrivals.length).toBe(1);
    expect(slow.arrivals.length).toBe(1);
    expect(failing.processed).toEqual([]);
    const deliveries = await svc.request('GET', `/api/v1/subscriptions/${subscription.id}/deliveries?status=pending`, {
      token: await tokenOf('admin'),
    });
    expect(deliveries.body.deliveries).toEqual([
      {
        id: expect.stringMatching(/^dlv_/),
        eventId: failing.arrivals[0]!.id,
        eventType: 'cn.birth-certificate.issued',
        subject: issued.certificateNo,
        status: 'pending',
        attempts: 1,
        // First retry 5 s later (no jitter in this test).
        nextAttemptAt: new Date(t + 5_000).toISOString(),
        lastAttemptAt: clock.now().toISOString(),
        lastStatus: 500,
        lastError: 'HTTP 500',
        deliveredAt: null,
      },
    ]);
    advance(4_000);
    await drain();
    expect(failing.arrivals.length).toBe(1);
    advance(1_000);
    await drain();
    expect(failing.arrivals.map((a) => a.id)).toEqual([failing.arrivals[0]!.id, failing.arrivals[0]!.id]);
    expect(failing.processed.map((p) => p.event.subject)).toEqual([issued.certificateNo]);
    expect(slow.arrivals.length).toBe(2);
    expect(slow.processed.map((p) => p.event.subject)).toEqual([issued.certificateNo]);
  });

  it('times a hanging endpoint out even when memory is collected while it hangs', async () => {
    const { receiver, subscription } = await receiverFor(['cn.birth-certificate.issued']);
    receiver.answer = () => 'hang';
    await issueNewBirth();
    const drained = drain();
    // Node 20 lost AbortSignal.timeout's signal inside AbortSignal.any when a collection ran
    // meanwhile (nodejs/node#57736): the attempt then hung for good.
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      collectGarbage();
    }
    await drained;
    const pending = await svc.request('GET', `/api/v1/subscriptions/${subscription.id}/deliveries?status=pending`, {
      token: await tokenOf('admin'),
    });
    expect(pending.body.deliveries).toMatchObject([{ attempts: 1, lastStatus: null, lastError: 'timeout' }]);
    receiver.answer = () => 'ok';
  });

  it('signs with both secrets while a rotation overlaps, then with the new one only', async () => {
    const { receiver, subscription } = await receiverFor(['cn.birth-certificate.issued']);
    const admin = await tokenOf('admin');
    const rotated = await svc.request('POST', `/api/v1/subscriptions/${subscription.id}/secret-rotation`, {
      token: admin,
    });
    expect(rotated.status).toBe(201);
    expect(rotated.body).toEqual({
      id: subscription.id,
      secret: expect.stringMatching(/^whsec_/),
      previousSecretValidUntil: new Date(t + DAY).toISOString(),
    });
    receiver.secrets = [subscription.secret, rotated.body.secret];
    await issueNewBirth();
    await drain();
    expect(receiver.arrivals.at(-1)!.verifiedWith).toEqual([0, 1]);
    expect(String(receiver.arrivals.at(-1)!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    advance(DAY + 1);
    await issueNewBirth();
    await drain();
    expect(receiver.arrivals.at(-1)!.verifiedWith).toEqual([1]);
  });
});

describe('the outbox', () => {
  it('keeps no event, and queues no delivery, of a change that rolled back', async () => {
    await receiverFor(['cn.birth-certificate.application.submitted']);
    const { sql, lifecycle } = svc.running.service;
    const count = () =>
      statements(sql)
        .prepare(
          'SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM webhook_deliveries) AS deliveries',
        )
        .get();
    const before = count();
    const application = lifecycle.applications.findApplication(
      (statements(sql).prepare('SELECT id FROM applications LIMIT 1').get() as { id: string }).id,
    )!;
    expect(() =>
      lifecycle.transactions.run(() => {
        lifecycle.events.append(
          applicationChangedEvent(
            'cn.birth-certificate.application.submitted',
            application,
            null,
            'online',
            clock.now(),
          ),
        );
        throw new Error('the change failed after its event was appended');
      }),
    ).toThrow('the change failed');
    expect(count()).toEqual(before);
  });
});

describe('an agency down for two days', () => {
  it('gets everything afterwards, each birth in order, none lost, none twice', async () => {
    const { receiver } = await receiverFor([
      'cn.birth-certificate.issued',
      'cn.birth-certificate.replaced',
      'cn.birth-certificate.reissued',
    ]);
    await receiver.close();
    const expected: string[][] = [];
    for (let i = 0; i < 4; i++) {
      const issued = await issueNewBirth();
      const chain = [issued.certificateNo];
      let current = issued.certificateNo;
      for (let j = 0; j < 2; j++) {
        const res = await svc.request('POST', `/api/v1/certificates/${current}/reissues`, {
          token: gz.issuer,
          json: { reason: '原证遗失' },
        });
        expect(res.status).toBe(201);
        current = res.body.certificateNo;
        chain.push(current);
      }
      expected.push(chain);
    }
    await drain();
    for (let hour = 0; hour < 48; hour++) {
      advance(HOUR);
      await drain();
    }
    expect(receiver.processed).toEqual([]);
    await receiver.reopen();
    // The longest backoff is 6 hours: within it every birth's queue is retried and then drains.
    for (let step = 0; step < 7; step++) {
      advance(HOUR);
      await drain();
    }
    const subjects = receiver.processed.map((p) => p.event.subject);
    expect([...subjects].sort()).toEqual(expected.flat().sort());
    for (const chain of expected) {
      expect(subjects.filter((s) => chain.includes(s))).toEqual(chain);
    }
    expect(receiver.arrivals.length).toBe(receiver.processed.length);
  });

  it('dead-letters after 3 days of failures; the admin sees the failure and replays it', async () => {
    const { receiver, subscription } = await receiverFor(['cn.birth-certificate.issued']);
    receiver.answer = () => 'error';
    const issued = await issueNewBirth();
    await drain();
    for (let hour = 0; hour < 73; hour++) {
      advance(HOUR);
      await drain();
    }
    const admin = await tokenOf('admin');
    const dead = await svc.request('GET', `/api/v1/subscriptions/${subscription.id}/deliveries?status=dead`, {
      token: admin,
    });
    expect(dead.body.deliveries).toHaveLength(1);
    const [failed] = dead.body.deliveries;
    expect(failed).toMatchObject({
      subject: issued.certificateNo,
      status: 'dead',
      lastStatus: 500,
      lastError: 'HTTP 500',
    });
    expect(failed.attempts).toBe(receiver.arrivals.length);
    // 5 s ×3 per attempt up to 6 h, then every 6 h, the last exactly 3 days after the first.
    expect(failed.attempts).toBe(19);
    const attemptsBefore = receiver.arrivals.length;
    advance(DAY);
    await drain();
    expect(receiver.arrivals.length).toBe(attemptsBefore);

    receiver.answer = () => 'ok';
    const replay = await svc.request(
      'POST',
      `/api/v1/subscriptions/${subscription.id}/deliveries/${failed.id}/replay`,
      { token: admin },
    );
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ id: failed.id, status: 'pending' });
    await drain();
    expect(receiver.processed.map((p) => p.event.subject)).toEqual([issued.certificateNo]);
    const again = await svc.request('POST', `/api/v1/subscriptions/${subscription.id}/deliveries/${failed.id}/replay`, {
      token: admin,
    });
    expect(again.status).toBe(202);
    const unknown = await svc.request('POST', `/api/v1/subscriptions/${subscription.id}/deliveries/dlv_nope/replay`, {
      token: admin,
    });
    expect(unknown.body).toEqual(errorOf('NOT_FOUND', `No delivery dlv_nope of subscription ${subscription.id}`));
  });
});
