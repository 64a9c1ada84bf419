import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords, withAnotherMother } from '../fixtures/records.ts';
import { startTestService, type TestService } from './harness.ts';
import {
  bornBefore,
  demo,
  frozenClock,
  issueApplication,
  recordDelivery,
  type Staff,
  staffOf,
} from './lifecycle-helpers.ts';

/** 预约取证 on /apply: the online application's session books once the application is issued. */

const { clock, now: NOW } = frozenClock();
let svc: TestService;
let gz: Staff;
const record = withAnotherMother(bornBefore(fixtureRecords[0]!, NOW, 2), 9);
const state = {} as { id: string; cookie: string; slot: string };

/**
 * `hour`:00 China time on the day after NOW's China day: a slot from 10:00 to 11:00 never runs over
 * midnight, whatever the time of day the test runs (one 30 hours on, at 17:00 China time, did: its
 * end was then shown with its own date).
 */
const tomorrowAt = (hour: number) =>
  `${new Date(NOW.getTime() + 8 * 3_600_000 + 24 * 3_600_000).toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00+08:00`;
const page = (method: string, path: string, form?: Record<string, string>) =>
  fetch(`${svc.url}${path}`, {
    method,
    redirect: 'manual',
    headers: {
      cookie: state.cookie,
      ...(form && { 'content-type': 'application/x-www-form-urlencoded' }),
    },
    ...(form && { body: new URLSearchParams(form).toString() }),
  });

beforeAll(async () => {
  svc = await startTestService({ clock, env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  gz = await staffOf(svc, 'gz');
  const delivery = await recordDelivery(svc, gz.midwife, record);
  const applied = await svc.request('POST', '/api/v1/citizen/applications', {
    json: {
      applicationCode: delivery.applicationCode,
      motherIdNumber: record.mother.idNumber,
      newborn: { name: record.newborn.name },
      father: record.father,
      applicant: {
        name: record.mother.name,
        relation: 'mother',
        idType: record.mother.idType,
        idNumber: record.mother.idNumber,
      },
    },
  });
  expect(applied.status, JSON.stringify(applied.body)).toBe(201);
  state.id = applied.body.id;
  state.cookie = `apply_session=${applied.body.id}.${applied.body.accessToken}`;
  const slot = await svc.request('POST', `/api/v1/institutions/${demo.gz.creditCode}/collection-slots`, {
    token: gz.issuer,
    json: {
      startsAt: tomorrowAt(10),
      endsAt: tomorrowAt(11),
      capacity: 2,
    },
  });
  state.slot = slot.body.id;
});
afterAll(async () => {
  await svc?.stop();
});

describe('collection appointments on /apply', () => {
  it('before the issue there is nothing to book: the booking page sends the parents back to the status', async () => {
    const res = await page('GET', '/apply/appointment');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/apply/status');
    expect(await (await page('GET', '/apply/status')).text()).not.toContain('预约取证');
  });

  it('once issued the status page offers it, and the application session books, refusing a missing choice', async () => {
    await issueApplication(svc, gz.issuer, state.id);
    const status = await (await page('GET', '/apply/status')).text();
    expect(status).toContain('尚未预约领取纸质证书。');
    expect(status).toContain('href="/apply/appointment"');

    const missing = await page('POST', '/apply/appointment', { action: 'book' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('<p class="error" id="f-slotId-error">请选择一个时段。</p>');

    const malformed = await page('POST', '/apply/appointment', { action: 'book', slotId: 'S1' });
    expect(malformed.status).toBe(400);

    const booked = await page('POST', '/apply/appointment', { action: 'book', slotId: state.slot });
    expect(booked.status).toBe(303);
    expect(booked.headers.get('location')).toBe('/apply/appointment');
    const shown = await (await page('GET', '/apply/appointment')).text();
    expect(shown).toMatch(/已预约：\d{4}-\d{2}-\d{2} \d{2}:\d{2} 至 \d{2}:\d{2}（北京时间）/);
    const again = await page('POST', '/apply/appointment', { action: 'book', slotId: state.slot });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('已有预约；如需更换时间，请改约。');
  });

  it('without a session /my/appointment leads to the claim form', async () => {
    const res = await fetch(`${svc.url}/my/appointment`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/my');
  });
});
