import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords, withAnotherMother } from '../fixtures/records.ts';
import { statements } from '../storage-kit.ts';
import { startTestService, type TestService } from './harness.ts';
import {
  auditTrail,
  bornBefore,
  claimToken,
  demo,
  errorOf,
  frozenClock,
  type Issued,
  issueApplication,
  issueBirth,
  recordDelivery,
  type Staff,
  staffOf,
} from './lifecycle-helpers.ts';

/** 预约取证 over HTTP: slots, booking rules, the last seat under concurrent bookings, handover. */

const { now: NOW } = frozenClock();
let t = NOW.getTime();
const clock = { now: () => new Date(t) };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let svc: TestService;
let gz: Staff;
let bj: Staff;
let births = 0;

/** `2026-12-01T09:00+08:00` for an instant (minute precision, China time). */
const chinaText = (ms: number) => `${new Date(ms + 8 * HOUR).toISOString().slice(0, 16)}+08:00`;

interface Family {
  issued: Issued;
  mother: string;
  token: string;
}

async function newFamily(at: 'gz' | 'bj' = 'gz'): Promise<Family> {
  const k = births++;
  const record = bornBefore(withAnotherMother(fixtureRecords[k % 4]!, 1 + k), new Date(t), 1 + k, at);
  const issued = await issueBirth(svc, at === 'gz' ? gz : bj, record);
  return { issued, mother: record.mother.idNumber, token: await claimToken(svc, issued, record.mother.idNumber) };
}

async function publish(startsInMs: number, capacity: number, at: 'gz' | 'bj' = 'gz', lengthMs = HOUR) {
  const res = await svc.request('POST', `/api/v1/institutions/${demo[at].creditCode}/collection-slots`, {
    token: at === 'gz' ? gz.issuer : bj.issuer,
    json: { startsAt: chinaText(t + startsInMs), endsAt: chinaText(t + startsInMs + lengthMs), capacity },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; startsAt: string; endsAt: string; capacity: number; remaining: number };
}

const book = (token: string, slotId: unknown) =>
  svc.request('POST', '/api/v1/citizen/appointments', { token, json: { slotId } });
const move = (token: string, id: string, slotId: string) =>
  svc.request('PUT', `/api/v1/citizen/appointments/${id}`, { token, json: { slotId } });
const cancel = (token: string, id: string) => svc.request('DELETE', `/api/v1/citizen/appointments/${id}`, { token });
const slotsOf = async (at: 'gz' | 'bj' = 'gz') =>
  (await svc.request('GET', `/api/v1/institutions/${demo[at].creditCode}/collection-slots`)).body.slots as {
    id: string;
    remaining: number;
  }[];

const full = errorOf('SLOT_FULL', 'The slot has no seat left', [
  { path: 'slotId', message: 'full; choose another slot' },
]);

beforeAll(async () => {
  svc = await startTestService({
    clock,
    env: { RATE_LIMIT_PER_MINUTE: '100000', TOKEN_TTL_SECONDS: String(30 * 24 * 3600) },
  });
  gz = await staffOf(svc, 'gz');
  bj = await staffOf(svc, 'bj');
});
afterAll(async () => {
  await svc?.stop();
});

describe('collection slots', () => {
  it('an issuer publishes a slot of their institution; anyone lists it with the seats left', async () => {
    const startsAt = t + DAY;
    const res = await svc.request('POST', `/api/v1/institutions/${demo.gz.creditCode}/collection-slots`, {
      token: gz.issuer,
      json: { startsAt: chinaText(startsAt), endsAt: chinaText(startsAt + HOUR), capacity: 4 },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^S[A-Za-z0-9_-]{16}$/),
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + HOUR).toISOString(),
      capacity: 4,
      remaining: 4,
      closed: false,
    });
    const listed = await svc.request('GET', `/api/v1/institutions/${demo.gz.creditCode}/collection-slots`);
    expect(listed.status).toBe(200);
    expect(listed.body.institution).toEqual({ creditCode: demo.gz.creditCode, name: demo.gz.name });
    expect(listed.body.slots).toContainEqual(res.body);
    expect(auditTrail(svc).at(-1)).toEqual({ action: 'collection-slot.published', target: res.body.id, purpose: null });
  });

  it('refuses times that are not real, past, reversed or too long, naming the field', async () => {
    const at = (json: unknown) =>
      svc.request('POST', `/api/v1/institutions/${demo.gz.creditCode}/collection-slots`, { token: gz.issuer, json });
    const past = await at({ startsAt: chinaText(t - HOUR), endsAt: chinaText(t + HOUR), capacity: 2 });
    expect(past.status).toBe(400);
    expect(past.body).toEqual(
      errorOf('INVALID_REQUEST', 'The request is invalid', [
        { path: 'startsAt', message: 'startsAt must be in the future' },
      ]),
    );
    const reversed = await at({ startsAt: chinaText(t + 2 * HOUR), endsAt: chinaText(t + HOUR), capacity: 2 });
    expect(reversed.body.error.details).toEqual([{ path: 'endsAt', message: 'endsAt must be after startsAt' }]);
    const long = await at({ startsAt: chinaText(t + HOUR), endsAt: chinaText(t + 14 * HOUR), capacity: 2 });
    expect(long.body.error.details).toEqual([{ path: 'endsAt', message: 'a slot lasts at most 12 hours' }]);
    const unreal = await at({ startsAt: '2030-02-30T09:00+08:00', endsAt: '2030-03-01T09:00+08:00', capacity: 2 });
    expect(unreal.body.error.details).toEqual([{ path: 'startsAt', message: 'startsAt is not a real date and time' }]);
    const noSeats = await at({ startsAt: chinaText(t + HOUR), endsAt: chinaText(t + 2 * HOUR), capacity: 0 });
    expect(noSeats.status).toBe(400);
    expect(noSeats.body.error.details.map((d: { path: string }) => d.path)).toEqual(['capacity']);
    const text = await at({ startsAt: 'tomorrow', endsAt: chinaText(t + 2 * HOUR), capacity: 2 });
    expect(text.status).toBe(400);
    expect(text.body.error.details.map((d: { path: string }) => d.path)).toEqual(['startsAt']);
  });

  it('an issuer cannot publish or close for another institution; an admin can publish for any', async () => {
    const json = { startsAt: chinaText(t + DAY), endsAt: chinaText(t + DAY + HOUR), capacity: 2 };
    const other = await svc.request('POST', `/api/v1/institutions/${demo.gz.creditCode}/collection-slots`, {
      token: bj.issuer,
      json,
    });
    expect(other.status).toBe(403);
    expect(other.body).toEqual(errorOf('FORBIDDEN', 'The slots belong to another institution'));
    const admin = await svc.request('POST', `/api/v1/institutions/${demo.bj.creditCode}/collection-slots`, {
      token: await svc.token('admin'),
      json,
    });
    expect(admin.status).toBe(201);
    const close = await svc.request('POST', `/api/v1/collection-slots/${admin.body.id}/close`, { token: gz.issuer });
    expect(close.status).toBe(403);
    const midwife = await svc.request('POST', `/api/v1/institutions/${demo.gz.creditCode}/collection-slots`, {
      token: gz.midwife,
      json,
    });
    expect(midwife.status).toBe(403);
    const unknown = await svc.request('GET', '/api/v1/institutions/12440106000000000X/collection-slots');
    expect(unknown.status).toBe(404);
  });
});

describe('booking, moving, cancelling', () => {
  it('a parent books, moves, cancels and books again; seats follow', async () => {
    const family = await newFamily();
    const a = await publish(2 * DAY, 2);
    const b = await publish(2 * DAY + 2 * HOUR, 2);
    const booked = await book(family.token, a.id);
    expect(booked.status).toBe(201);
    expect(booked.body).toEqual({
      id: expect.stringMatching(/^C[A-Za-z0-9_-]{16}$/),
      status: 'booked',
      certificateNo: family.issued.certificateNo,
      slot: { id: a.id, startsAt: a.startsAt, endsAt: a.endsAt },
      bookedAt: new Date(t).toISOString(),
    });
    const id = booked.body.id as string;
    expect((await slotsOf()).find((s) => s.id === a.id)?.remaining).toBe(1);

    const again = await book(family.token, b.id);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_BOOKED');

    const moved = await move(family.token, id, b.id);
    expect(moved.status).toBe(200);
    expect(moved.body.slot.id).toBe(b.id);
    const seats = await slotsOf();
    expect(seats.find((s) => s.id === a.id)?.remaining).toBe(2);
    expect(seats.find((s) => s.id === b.id)?.remaining).toBe(1);

    const cancelled = await cancel(family.token, id);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await slotsOf()).find((s) => s.id === b.id)?.remaining).toBe(2);
    const twice = await cancel(family.token, id);
    expect(twice.status).toBe(409);
    expect(twice.body).toEqual(
      errorOf('INVALID_STATE', 'The appointment was cancelled; book a new one', [
        { path: 'appointmentId', message: 'cancelled' },
      ]),
    );

    const rebooked = await book(family.token, a.id);
    expect(rebooked.status).toBe(201);
    const mine = await svc.request('GET', '/api/v1/citizen/appointments', { token: family.token });
    expect(mine.status).toBe(200);
    expect(mine.body.certificateNo).toBe(family.issued.certificateNo);
    expect(mine.body.appointments.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([
      [rebooked.body.id, 'booked'],
      [id, 'cancelled'],
    ]);
    const actions = auditTrail(svc)
      .filter((e) => e.target === family.issued.certificateNo && e.action.startsWith('appointment.'))
      .map((e) => e.action);
    expect(actions).toEqual(['appointment.booked', 'appointment.moved', 'appointment.cancelled', 'appointment.booked']);
  });

  it('refuses a full, closed, ended or foreign slot with a clear code', async () => {
    const [one, two] = [await newFamily(), await newFamily()];
    const single = await publish(3 * DAY, 1);
    expect((await book(one.token, single.id)).status).toBe(201);
    const second = await book(two.token, single.id);
    expect(second.status).toBe(409);
    expect(second.body).toEqual(full);
    // A full slot is no longer listed.
    expect((await slotsOf()).map((s) => s.id)).not.toContain(single.id);

    const closing = await publish(3 * DAY + HOUR, 3);
    const closed = await svc.request('POST', `/api/v1/collection-slots/${closing.id}/close`, { token: gz.issuer });
    expect(closed.status).toBe(200);
    expect(closed.body).toEqual({ ...closing, closed: true });
    expect(await book(two.token, closing.id)).toMatchObject({
      status: 409,
      body: errorOf('SLOT_CLOSED', 'The slot was closed by the institution', [
        { path: 'slotId', message: 'closed; choose another slot' },
      ]),
    });

    const foreign = await publish(3 * DAY, 3, 'bj');
    expect(await book(two.token, foreign.id)).toMatchObject({
      status: 400,
      body: errorOf('INVALID_REQUEST', 'The slot is at another institution', [
        {
          path: 'slotId',
          message: 'the paper certificate is collected where it was issued; choose a slot of that institution',
        },
      ]),
    });
    const unknown = await book(two.token, 'SAAAAAAAAAAAAAAAA');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.details).toEqual([{ path: 'slotId', message: 'no such slot' }]);

    // A slot that ends within the hour: bookable now, SLOT_PAST once it is over.
    const soon = await publish(5 * 60_000, 2, 'gz', 10 * 60_000);
    t += 16 * 60_000;
    const late = await newFamily();
    const past = await book(late.token, soon.id);
    expect(past.status).toBe(409);
    expect(past.body).toEqual(
      errorOf('SLOT_PAST', 'The slot is over', [{ path: 'slotId', message: `ended at ${soon.endsAt}` }]),
    );
  });

  it('bad input is a 400 naming slotId; no token 401; staff 403; another certificate’s appointment 403', async () => {
    const [one, two] = [await newFamily(), await newFamily()];
    const slot = await publish(4 * DAY, 3);
    for (const json of [{}, { slotId: 'x' }, { slotId: 7 }, { slotId: slot.id, extra: 1 }]) {
      const res = await svc.request('POST', '/api/v1/citizen/appointments', { token: one.token, json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.body.error.code).toBe('INVALID_REQUEST');
      expect(res.body.error.details.length).toBeGreaterThan(0);
    }
    const missing = await svc.request('POST', '/api/v1/citizen/appointments', { token: one.token, json: {} });
    expect(missing.body.error.details.map((d: { path: string }) => d.path)).toEqual(['slotId']);

    const anonymous = await svc.request('POST', '/api/v1/citizen/appointments', { json: { slotId: 'bad' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
    const staff = await svc.request('GET', '/api/v1/citizen/appointments', { token: gz.issuer });
    expect(staff.status).toBe(403);

    const mine = await book(one.token, slot.id);
    expect(mine.status).toBe(201);
    const refusal = errorOf('FORBIDDEN', 'The token opens another certificate');
    expect(await move(two.token, mine.body.id, slot.id)).toMatchObject({ status: 403, body: refusal });
    expect(await cancel(two.token, mine.body.id)).toMatchObject({ status: 403, body: refusal });
    expect((await svc.request('GET', '/api/v1/citizen/appointments', { token: two.token })).body.appointments).toEqual(
      [],
    );
  });

  it('books the last seats under concurrent bookings: exactly capacity succeed, the rest SLOT_FULL', async () => {
    const families: Family[] = [];
    for (let i = 0; i < 10; i++) families.push(await newFamily());
    const slot = await publish(5 * DAY, 3);
    const answers = await Promise.all(families.map((f) => book(f.token, slot.id)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 201, 201, 409, 409, 409, 409, 409, 409, 409]);
    for (const refused of answers.filter((a) => a.status === 409)) expect(refused.body).toEqual(full);
    const row = statements(svc.running.service.sql)
      .prepare('SELECT capacity, booked FROM collection_slots WHERE id = ?')
      .get(slot.id) as { capacity: number; booked: number };
    expect(row).toEqual({ capacity: 3, booked: 3 });
    const count = statements(svc.running.service.sql)
      .prepare("SELECT count(*) FROM collection_appointments WHERE slot_id = ? AND status = 'booked'")
      .pluck()
      .get(slot.id);
    expect(count).toBe(3);
    // Moves into the full slot race the same way.
    const others = answers.flatMap((a, i) => (a.status === 409 ? [families[i]!] : []));
    const spare = await publish(5 * DAY + 2 * HOUR, 10);
    const elsewhere = await Promise.all(others.map((f) => book(f.token, spare.id)));
    expect(elsewhere.every((a) => a.status === 201)).toBe(true);
    const cancelled = answers.find((a) => a.status === 201)!;
    const freed = families[answers.indexOf(cancelled)]!;
    expect((await cancel(freed.token, cancelled.body.id)).status).toBe(200);
    const moves = await Promise.all(others.map((f, i) => move(f.token, elsewhere[i]!.body.id, slot.id)));
    expect(moves.map((m) => m.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409]);
  });
});

describe('the issuer’s day and the handover', () => {
  it('lists the day’s families, hands over once, and then nothing moves or cancels', async () => {
    const family = await newFamily();
    const slot = await publish(DAY + 3 * HOUR, 2);
    const booked = await book(family.token, slot.id);
    const date = new Date(Date.parse(slot.startsAt) + 8 * HOUR).toISOString().slice(0, 10);
    const day = await svc.request(
      'GET',
      `/api/v1/institutions/${demo.gz.creditCode}/collection-appointments?date=${date}`,
      { token: gz.issuer },
    );
    expect(day.status).toBe(200);
    const listed = day.body.slots.find((s: { id: string }) => s.id === slot.id);
    expect(listed.appointments).toEqual([
      {
        id: booked.body.id,
        status: 'booked',
        certificateNo: family.issued.certificateNo,
        certificateStatus: 'valid',
        newbornName: expect.any(String),
        motherName: expect.any(String),
        bookedAt: new Date(t).toISOString(),
        handedOverAt: null,
        handedOverBy: null,
      },
    ]);
    expect(JSON.stringify(day.body)).not.toContain(family.mother);

    const foreign = await svc.request('POST', `/api/v1/collection-appointments/${booked.body.id}/handover`, {
      token: bj.issuer,
    });
    expect(foreign.status).toBe(403);
    const handed = await svc.request('POST', `/api/v1/collection-appointments/${booked.body.id}/handover`, {
      token: gz.issuer,
    });
    expect(handed.status).toBe(200);
    expect(handed.body).toMatchObject({
      status: 'handed-over',
      handedOverAt: new Date(t).toISOString(),
      handedOverBy: 'demo-issuer-gz',
    });
    expect(auditTrail(svc).at(-1)).toEqual({
      action: 'appointment.handed-over',
      target: family.issued.certificateNo,
      purpose: null,
    });
    const twice = await svc.request('POST', `/api/v1/collection-appointments/${booked.body.id}/handover`, {
      token: gz.issuer,
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('ALREADY_COLLECTED');

    const other = await publish(DAY + 5 * HOUR, 2);
    expect((await move(family.token, booked.body.id, other.id)).body.error.code).toBe('ALREADY_COLLECTED');
    expect((await cancel(family.token, booked.body.id)).body.error.code).toBe('ALREADY_COLLECTED');
    const rebook = await book(family.token, other.id);
    expect(rebook.status).toBe(409);
    expect(rebook.body.error.code).toBe('ALREADY_COLLECTED');
    const mine = await svc.request('GET', '/api/v1/citizen/appointments', { token: family.token });
    expect(mine.body.appointments[0]).toMatchObject({ status: 'handed-over', handedOverAt: new Date(t).toISOString() });

    const badDate = await svc.request(
      'GET',
      `/api/v1/institutions/${demo.gz.creditCode}/collection-appointments?date=2026-02-30`,
      { token: gz.issuer },
    );
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.details).toEqual([{ path: 'date', message: 'date must be a calendar date YYYY-MM-DD' }]);
  });

  it('an appointment follows the current certificate after a 补发; the old claim token can no longer change it', async () => {
    const family = await newFamily();
    const slot = await publish(DAY + 6 * HOUR, 2);
    const booked = await book(family.token, slot.id);
    const reissued = await svc.request('POST', `/api/v1/certificates/${family.issued.certificateNo}/reissues`, {
      token: gz.issuer,
      json: { reason: '原证遗失' },
    });
    expect(reissued.status, JSON.stringify(reissued.body)).toBe(201);
    const mine = await svc.request('GET', '/api/v1/citizen/appointments', { token: family.token });
    expect(mine.body.appointments[0]).toMatchObject({ id: booked.body.id, certificateNo: reissued.body.certificateNo });
    const stale = await cancel(family.token, booked.body.id);
    expect(stale.status).toBe(409);
    expect(stale.body.error.details).toEqual([
      {
        path: 'certificateNo',
        message: `superseded by ${reissued.body.certificateNo}: claim the current certificate to book`,
      },
    ]);
    const fresh = await claimToken(svc, reissued.body, family.mother);
    const date = new Date(Date.parse(slot.startsAt) + 8 * HOUR).toISOString().slice(0, 10);
    const day = await svc.request(
      'GET',
      `/api/v1/institutions/${demo.gz.creditCode}/collection-appointments?date=${date}`,
      { token: gz.issuer },
    );
    const entry = day.body.slots.find((s: { id: string }) => s.id === slot.id).appointments[0];
    expect(entry.certificateNo).toBe(reissued.body.certificateNo);
    expect((await cancel(fresh, booked.body.id)).status).toBe(200);
  });

  it('the online application’s token books once the application is issued', async () => {
    const k = births++;
    const record = bornBefore(withAnotherMother(fixtureRecords[0]!, 300 + k), new Date(t), 2);
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
    const token = applied.body.accessToken as string;
    const slot = await publish(DAY + 7 * HOUR, 2);
    const early = await book(token, slot.id);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'INVALID_STATE', message: 'The certificate is not issued yet' });
    const issued = await issueApplication(svc, gz.issuer, applied.body.id);
    const booked = await book(token, slot.id);
    expect(booked.status).toBe(201);
    expect(booked.body.certificateNo).toBe(issued.certificateNo);
  });
});
