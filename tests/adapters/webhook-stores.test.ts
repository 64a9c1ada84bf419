import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqlEventOutbox } from '../../src/adapters/sql/event-outbox.ts';
import type { Sql } from '../../src/adapters/sql/sql.ts';
import { createSqlSubscriptionStore } from '../../src/adapters/sql/subscription-store.ts';
import { createSqlWebhookDeliveryQueue } from '../../src/adapters/sql/webhook-delivery-queue.ts';
import type { BirthEvent, EventType } from '../../src/domain/events/birth-event.ts';
import type { Subscription } from '../../src/domain/events/subscriptions.ts';
import { openTestSql, testEngine } from '../storage-kit.ts';
import { sharedDatabase } from './store-race.ts';

const institution = '12440000455862437X';
const t0 = Date.parse('2026-11-29T08:00:00.000Z');
const minute = 60_000;

const birthEvent = (
  type: EventType,
  certificateNo: string,
  lineage: string,
  division = '440106',
  at = t0,
): BirthEvent => ({
  orderingKey: `L:${lineage}`,
  event: {
    specversion: '1.0',
    type,
    source: `/institutions/${institution}`,
    subject: certificateNo,
    time: new Date(at).toISOString(),
    datacontenttype: 'application/json',
    institutioncode: institution,
    divisioncode: division,
    data: { certificateNo },
  },
});

const subscription = (
  id: string,
  eventTypes: EventType[],
  divisions: string[] | null,
  createdAt: string,
): Subscription => ({
  id,
  url: `https://${id}.example.cn/hooks`,
  description: id === 'sub_police' ? '公安户籍' : null,
  eventTypes,
  divisions,
  createdAt,
  createdBy: 'demo-admin',
  previousSecretValidUntil: null,
});

/** A database with two subscriptions and the outbox, queue and store over it. */
function storesOver(sql: Sql) {
  let ids = 0;
  let wakes = 0;
  const outbox = createSqlEventOutbox(sql, { newId: (prefix) => `${prefix}${++ids}`, committed: () => wakes++ });
  const subscriptions = createSqlSubscriptionStore(sql);
  const queue = createSqlWebhookDeliveryQueue(sql);
  return { outbox, subscriptions, queue, wakes: () => wakes };
}

describe(`the event outbox, subscriptions and webhook deliveries on ${testEngine}`, () => {
  let sql: Sql;
  let stores: ReturnType<typeof storesOver>;
  beforeEach(async () => {
    sql = await openTestSql();
    stores = storesOver(sql);
    stores.subscriptions.insert(
      subscription(
        'sub_police',
        ['cn.birth-certificate.issued', 'cn.birth-certificate.voided'],
        ['440100'],
        '2026-11-01T00:00:00.000Z',
      ),
      'secret-police',
    );
    stores.subscriptions.insert(
      subscription('sub_health', ['cn.birth-certificate.issued'], null, '2026-11-02T00:00:00.000Z'),
      'secret-health',
    );
  });
  afterEach(() => sql.close());

  /** Three events: two of one birth in Guangzhou, one in Shenzhen. */
  function appendThree() {
    return sql.transaction(() => [
      stores.outbox.append(birthEvent('cn.birth-certificate.issued', 'Q440000001', 'S1')),
      stores.outbox.append(birthEvent('cn.birth-certificate.voided', 'Q440000001', 'S1', '440106', t0 + 1)),
      stores.outbox.append(birthEvent('cn.birth-certificate.issued', 'Q440000002', 'S2', '440304', t0 + 2)),
    ]);
  }

  /** The id of the subscription's delivery of the event (the outbox names them in the order it found the subscriptions). */
  const dlv = (subscriptionId: string, eventId: string) =>
    stores.subscriptions.deliveries(subscriptionId, { limit: 100 }).find((d) => d.eventId === eventId)!.id;

  it('lists and finds subscriptions in the order they were made, with their types and divisions', () => {
    expect(stores.subscriptions.list().map((s) => s.id)).toEqual(['sub_police', 'sub_health']);
    expect(stores.subscriptions.find('sub_police')).toEqual(
      subscription(
        'sub_police',
        ['cn.birth-certificate.issued', 'cn.birth-certificate.voided'],
        ['440100'],
        '2026-11-01T00:00:00.000Z',
      ),
    );
    expect(stores.subscriptions.find('sub_none')).toBeNull();
  });

  it('appends an event with one delivery per subscription whose types and divisions match, and wakes the dispatcher once', async () => {
    expect(appendThree()).toEqual(['evt_1', 'evt_4', 'evt_6']);
    const police = stores.subscriptions.deliveries('sub_police', { limit: 10 });
    expect(police.map((d) => [d.eventId, d.eventType, d.subject])).toEqual([
      ['evt_4', 'cn.birth-certificate.voided', 'Q440000001'],
      ['evt_1', 'cn.birth-certificate.issued', 'Q440000001'],
    ]);
    const health = stores.subscriptions.deliveries('sub_health', { limit: 10 });
    expect(new Set([police[1]!.id, health[1]!.id])).toEqual(new Set(['dlv_2', 'dlv_3']));
    expect(police[0]!.id).toBe('dlv_5');
    expect(police[1]).toEqual({
      id: police[1]!.id,
      eventId: 'evt_1',
      eventType: 'cn.birth-certificate.issued',
      subject: 'Q440000001',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: '2026-11-29T08:00:00.000Z',
      lastAttemptAt: null,
      lastStatus: null,
      lastError: null,
      deliveredAt: null,
    });
    expect(health.map((d) => d.eventId)).toEqual(['evt_6', 'evt_1']);
    expect(stores.wakes()).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stores.wakes()).toBe(1);
  });

  it('keeps no event or delivery of a transaction that rolled back', () => {
    expect(() =>
      sql.transaction(() => {
        stores.outbox.append(birthEvent('cn.birth-certificate.issued', 'Q440000001', 'S1'));
        throw new Error('the issue failed');
      }),
    ).toThrow('the issue failed');
    expect(stores.subscriptions.deliveries('sub_police', { limit: 10 })).toEqual([]);
    expect(stores.queue.endpointsDue(t0 + minute)).toEqual([]);
  });

  it('offers each birth’s oldest pending delivery only, once due', () => {
    appendThree();
    const { queue } = stores;
    expect(queue.endpointsDue(t0 - 1)).toEqual([]);
    // In no particular order (the dispatcher visits each).
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    expect(queue.endpointsDue(t0 + 5).sort(byId)).toEqual([
      { id: 'sub_health', url: 'https://sub_health.example.cn/hooks', secrets: ['secret-health'] },
      { id: 'sub_police', url: 'https://sub_police.example.cn/hooks', secrets: ['secret-police'] },
    ]);
    const heads = queue.dueHeads('sub_police', t0 + 5, 10);
    expect(heads).toEqual([
      {
        id: dlv('sub_police', 'evt_1'),
        orderingKey: 'L:S1',
        eventId: 'evt_1',
        body: expect.any(String),
        attempts: 0,
        windowStartedAt: t0,
      },
    ]);
    const body = JSON.parse(heads[0]!.body) as Record<string, unknown>;
    expect(Object.keys(body).slice(0, 2)).toEqual(['specversion', 'id']);
    expect(body).toMatchObject({ id: 'evt_1', type: 'cn.birth-certificate.issued', subject: 'Q440000001' });
    expect(queue.dueHeads('sub_health', t0 + 5, 10).map((d) => d.eventId)).toEqual(['evt_1', 'evt_6']);
    expect(queue.dueHeads('sub_health', t0 + 5, 1).map((d) => d.eventId)).toEqual(['evt_1']);
  });

  it('claims a due delivery once; while claimed neither it nor its birth’s later events are due', () => {
    appendThree();
    const first = dlv('sub_police', 'evt_1');
    const { queue } = stores;
    const now = t0 + 5;
    expect(queue.claim(first, now, now + minute)).toBe(true);
    expect(queue.claim(first, now, now + minute)).toBe(false);
    expect(queue.dueHeads('sub_police', now + 1, 10)).toEqual([]);
    // The birth's next event is due too; the dispatcher asks for heads only.
    expect(
      queue
        .endpointsDue(now + 1)
        .map((e) => e.id)
        .sort(),
    ).toEqual(['sub_health', 'sub_police']);
    // The claim lapses: the delivery is due again for any node.
    expect(queue.dueHeads('sub_police', now + minute, 10).map((d) => d.id)).toEqual([first]);
    queue.release(first, now + 2);
    expect(queue.dueHeads('sub_police', now + 2, 10).map((d) => d.id)).toEqual([first]);
    expect(queue.claim(first, now + 2, now + minute)).toBe(true);
  });

  it('records a delivery, a retry and a dead letter; the birth’s next event follows its predecessor’s end', () => {
    appendThree();
    const first = dlv('sub_police', 'evt_1');
    const { queue, subscriptions } = stores;
    const now = t0 + 5;
    queue.claim(first, now, now + minute);
    queue.failed(first, { at: now + 10, status: 503, error: 'HTTP 503' }, now + 5 * minute);
    expect(subscriptions.findDelivery('sub_police', first)).toMatchObject({
      status: 'pending',
      attempts: 1,
      nextAttemptAt: new Date(now + 5 * minute).toISOString(),
      lastAttemptAt: new Date(now + 10).toISOString(),
      lastStatus: 503,
      lastError: 'HTTP 503',
      deliveredAt: null,
    });
    expect(queue.dueHeads('sub_police', now + minute, 10)).toEqual([]);
    queue.failed(first, { at: now + 20, status: null, error: 'connection refused' }, null);
    expect(subscriptions.findDelivery('sub_police', first)).toMatchObject({
      status: 'dead',
      attempts: 2,
      nextAttemptAt: null,
      lastStatus: null,
      lastError: 'connection refused',
    });
    // The dead letter no longer holds back the birth's next event.
    expect(queue.dueHeads('sub_police', now + 30, 10).map((d) => d.id)).toEqual(['dlv_5']);
    queue.delivered('dlv_5', { at: now + 40, status: 204, error: null });
    expect(subscriptions.findDelivery('sub_police', 'dlv_5')).toMatchObject({
      status: 'delivered',
      attempts: 1,
      nextAttemptAt: null,
      lastAttemptAt: new Date(now + 40).toISOString(),
      lastStatus: 204,
      lastError: null,
      deliveredAt: new Date(now + 40).toISOString(),
    });
    // An ended delivery is not changed again by a late attempt's record.
    queue.failed('dlv_5', { at: now + 50, status: 500, error: 'late' }, now + minute);
    expect(subscriptions.findDelivery('sub_police', 'dlv_5')).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(subscriptions.deliveries('sub_police', { status: 'dead', limit: 10 }).map((d) => d.id)).toEqual([first]);
    expect(subscriptions.deliveries('sub_police', { status: 'delivered', limit: 10 }).map((d) => d.id)).toEqual([
      'dlv_5',
    ]);
    expect(subscriptions.deliveries('sub_police', { status: 'pending', limit: 10 })).toEqual([]);
    expect(subscriptions.deliveries('sub_police', { limit: 1 }).map((d) => d.id)).toEqual(['dlv_5']);
    expect(subscriptions.findDelivery('sub_health', first)).toBeNull();
    expect(subscriptions.findDelivery('sub_police', 'dlv_none')).toBeNull();

    subscriptions.replay(first, new Date(now + 2 * minute));
    expect(subscriptions.findDelivery('sub_police', first)).toMatchObject({
      status: 'pending',
      attempts: 2,
      nextAttemptAt: new Date(now + 2 * minute).toISOString(),
      deliveredAt: null,
    });
    expect(queue.dueHeads('sub_police', now + 2 * minute, 10)).toMatchObject([
      { id: first, attempts: 2, windowStartedAt: now + 2 * minute },
    ]);
  });

  it('signs with the previous secret too until the rotation’s overlap ends', () => {
    appendThree();
    const { queue, subscriptions } = stores;
    const until = t0 + 10 * minute;
    subscriptions.rotateSecret('sub_police', 'secret-police-2', new Date(until));
    expect(subscriptions.find('sub_police')?.previousSecretValidUntil).toBe(new Date(until).toISOString());
    const police = (now: number) => queue.endpointsDue(now).find((e) => e.id === 'sub_police')?.secrets;
    expect(police(until - 1)).toEqual(['secret-police-2', 'secret-police']);
    expect(police(until)).toEqual(['secret-police-2']);
  });

  it('removes a subscription: gone from the lists, its pending deliveries dead-lettered, the rest kept', () => {
    appendThree();
    const first = dlv('sub_police', 'evt_1');
    const { queue, subscriptions } = stores;
    queue.delivered(first, { at: t0 + 10, status: 200, error: null });
    subscriptions.remove('sub_police', new Date(t0 + minute));
    expect(subscriptions.find('sub_police')).toBeNull();
    expect(subscriptions.list().map((s) => s.id)).toEqual(['sub_health']);
    expect(queue.endpointsDue(t0 + minute).map((e) => e.id)).toEqual(['sub_health']);
    expect(subscriptions.deliveries('sub_police', { limit: 10 }).map((d) => [d.id, d.status, d.lastError])).toEqual([
      ['dlv_5', 'dead', 'subscription removed'],
      [first, 'delivered', null],
    ]);
    // New events no longer reach it.
    sql.transaction(() => stores.outbox.append(birthEvent('cn.birth-certificate.issued', 'Q440000003', 'S3')));
    expect(subscriptions.deliveries('sub_police', { limit: 10 })).toHaveLength(2);
  });
});

describe(`webhook delivery claims by two connections to one database on ${testEngine}`, () => {
  it('gives a delivery to the first connection that claims it, and to the other once released', async () => {
    const shared = await sharedDatabase();
    try {
      const [a, b] = [shared.connect(), shared.connect()];
      const setUp = storesOver(a);
      setUp.subscriptions.insert(
        subscription('sub_health', ['cn.birth-certificate.issued'], null, '2026-11-02T00:00:00.000Z'),
        's',
      );
      a.transaction(() => setUp.outbox.append(birthEvent('cn.birth-certificate.issued', 'Q440000001', 'S1')));
      const [queueA, queueB] = [createSqlWebhookDeliveryQueue(a), createSqlWebhookDeliveryQueue(b)];
      expect(queueB.dueHeads('sub_health', t0, 10).map((d) => d.id)).toEqual(['dlv_2']);
      expect(queueA.claim('dlv_2', t0, t0 + minute)).toBe(true);
      expect(queueB.claim('dlv_2', t0, t0 + minute)).toBe(false);
      expect(queueB.dueHeads('sub_health', t0 + 1, 10)).toEqual([]);
      queueA.release('dlv_2', t0 + 1);
      expect(queueB.claim('dlv_2', t0 + 1, t0 + minute)).toBe(true);
      expect(queueA.claim('dlv_2', t0 + 1, t0 + minute)).toBe(false);
    } finally {
      shared.close();
    }
  });

  it('never lets two connections claiming the same deliveries at the same time both have one', async () => {
    const shared = await sharedDatabase();
    try {
      const sql = shared.connect();
      const setUp = storesOver(sql);
      setUp.subscriptions.insert(
        subscription('sub_health', ['cn.birth-certificate.issued'], null, '2026-11-02T00:00:00.000Z'),
        's',
      );
      const deliveries = 300;
      sql.transaction(() => {
        for (let i = 0; i < deliveries; i++) {
          setUp.outbox.append(birthEvent('cn.birth-certificate.issued', `Q44${String(i).padStart(7, '0')}`, `S${i}`));
        }
      });
      const ids = setUp.subscriptions.deliveries('sub_health', { limit: 1000 }).map((d) => d.id);
      expect(ids).toHaveLength(deliveries);
      // Both claim every delivery, in the same order, so they contend for each.
      const task = { kind: 'claim' as const, ids, now: t0, until: t0 + minute };
      const [byA, byB] = (await shared.race([task, task])) as [string[], string[]];
      expect(byA.filter((id) => byB.includes(id))).toEqual([]);
      expect([...byA, ...byB].sort()).toEqual([...ids].sort());
    } finally {
      shared.close();
    }
  });
});
