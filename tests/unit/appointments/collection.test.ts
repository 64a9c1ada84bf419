import { describe, expect, it } from 'vitest';
import {
  appointmentsOf,
  type Booker,
  bookAppointment,
  cancelAppointment,
  moveAppointment,
} from '../../../src/domain/appointments/bookings.ts';
import { closeSlot, dayList, handOver, openSlotsOf, publishSlot } from '../../../src/domain/appointments/slots.ts';
import { reissueCertificate } from '../../../src/domain/lifecycle/amend.ts';
import { voidCertificate } from '../../../src/domain/lifecycle/void.ts';
import { TEST_NOW } from '../../fixtures/records.ts';
import { actors, BJ, birth, failureOf, GZ } from '../lifecycle/world.ts';
import { appointmentWorld } from './in-memory-collection.ts';

const HOUR = 3_600_000;
/** `2026-11-26T09:00+08:00` style, `hours` after TEST_NOW. */
const at = (hours: number) => `${new Date(TEST_NOW.getTime() + (hours + 8) * HOUR).toISOString().slice(0, 16)}+08:00`;
const slotBody = (startHours: number, capacity: number, lengthHours = 1) => ({
  startsAt: at(startHours),
  endsAt: at(startHours + lengthHours),
  capacity,
});
const claim = (certificateNo: string): Booker => ({ via: 'claim', certificateNo });

async function setting() {
  const w = appointmentWorld();
  const p = w.appointmentPorts;
  const first = await w.issueBirth(birth(0));
  const second = await w.issueBirth(birth(1, 3));
  return { w, p, first, second };
}

describe('collection slots', () => {
  it('publishes a future slot with its times in UTC, audited; refuses a past or reversed one by field', async () => {
    const { w, p } = await setting();
    const slot = publishSlot(p, actors.issuer, GZ.creditCode, slotBody(25, 3));
    expect(slot).toEqual({
      id: 'S0000000000000001',
      startsAt: new Date(TEST_NOW.getTime() + 25 * HOUR).toISOString(),
      endsAt: new Date(TEST_NOW.getTime() + 26 * HOUR).toISOString(),
      capacity: 3,
      remaining: 3,
      closed: false,
    });
    expect(w.state().audit.at(-1)).toMatchObject({ action: 'collection-slot.published', target: slot.id });
    const past = await failureOf(() => publishSlot(p, actors.issuer, GZ.creditCode, slotBody(-1, 3)));
    expect(past).toEqual({ code: 'INVALID_REQUEST', message: 'The request is invalid' });
    const reversed = (() => {
      try {
        publishSlot(p, actors.issuer, GZ.creditCode, { startsAt: at(5), endsAt: at(4), capacity: 1 });
        return null;
      } catch (error) {
        return (error as { details: unknown }).details;
      }
    })();
    expect(reversed).toEqual([{ path: 'endsAt', message: 'endsAt must be after startsAt' }]);
    expect(await failureOf(() => publishSlot(p, actors.issuerBj, GZ.creditCode, slotBody(25, 3)))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(publishSlot(p, actors.admin, BJ.creditCode, slotBody(25, 3)).remaining).toBe(3);
  });

  it('lists only open slots that have not ended and have a seat left', async () => {
    const { w, p, first } = await setting();
    const full = publishSlot(p, actors.issuer, GZ.creditCode, slotBody(2, 1));
    const closed = publishSlot(p, actors.issuer, GZ.creditCode, slotBody(3, 2));
    const ending = publishSlot(p, actors.issuer, GZ.creditCode, slotBody(1, 2));
    const open = publishSlot(p, actors.issuer, GZ.creditCode, slotBody(4, 2));
    bookAppointment(p, claim(first.certificateNo), full.id);
    closeSlot(p, actors.issuer, closed.id);
    w.clock.advance(2 * HOUR);
    expect(openSlotsOf(p, GZ.creditCode).slots.map((s) => s.id)).toEqual([open.id]);
    expect(ending.id).not.toBe(open.id);
  });
});

describe('booking', () => {
  it('never overbooks: the seat is taken in the unit of work, a full slot writes nothing', async () => {
    const { w, p, first, second } = await setting();
    const slot = publishSlot(p, actors.issuer, GZ.creditCode, slotBody(25, 1));
    const booked = bookAppointment(p, claim(first.certificateNo), slot.id);
    expect(booked).toMatchObject({ status: 'booked', certificateNo: first.certificateNo, slot: { id: slot.id } });
    expect(await failureOf(() => bookAppointment(p, claim(second.certificateNo), slot.id))).toEqual({
      code: 'SLOT_FULL',
      message: 'The slot has no seat left',
    });
    expect(w.collection().slots.get(slot.id)!.booked).toBe(1);
    expect([...w.collection().appointments.values()].map((a) => a.certificateNo)).toEqual([first.certificateNo]);
    expect(await failureOf(() => bookAppointment(p, claim(first.certificateNo), slot.id))).toMatchObject({
      code: 'ALREADY_BOOKED',
    });
  });

  it('a move into a full slot keeps the old appointment and its seat', async () => {
    const { w, p, first, second } = await setting();
    const a = publishSlot(p, actors.issuer, GZ.creditCode, slotBody(25, 1));
    const b = publishSlot(p, actors.issuer, GZ.creditCode, slotBody(27, 1));
    const mine = bookAppointment(p, claim(first.certificateNo), a.id);
    bookAppointment(p, claim(second.certificateNo), b.id);
    expect(await failureOf(() => moveAppointment(p, claim(first.certificateNo), mine.id, b.id))).toMatchObject({
      code: 'SLOT_FULL',
    });
    expect(w.collection().slots.get(a.id)!.booked).toBe(1);
    expect(w.collection().slots.get(b.id)!.booked).toBe(1);
    expect(w.collection().appointments.get(mine.id)!.slotId).toBe(a.id);
    const c = publishSlot(p, actors.issuer, GZ.creditCode, slotBody(29, 1));
    expect(moveAppointment(p, claim(first.certificateNo), mine.id, c.id).slot.id).toBe(c.id);
    expect(w.collection().slots.get(a.id)!.booked).toBe(0);
    expect(w.state().audit.at(-1)).toMatchObject({
      action: 'appointment.moved',
      details: { appointmentId: mine.id, fromSlotId: a.id, slotId: c.id },
    });
  });

  it('refuses a closed, ended or foreign slot, and another certificate’s appointment', async () => {
    const { w, p, first, second } = await setting();
    const closed = publishSlot(p, actors.issuer, GZ.creditCode, slotBody(5, 2));
    closeSlot(p, actors.issuer, closed.id);
    expect(await failureOf(() => bookAppointment(p, claim(first.certificateNo), closed.id))).toMatchObject({
      code: 'SLOT_CLOSED',
    });
    const foreign = publishSlot(p, actors.issuerBj, BJ.creditCode, slotBody(5, 2));
    expect(await failureOf(() => bookAppointment(p, claim(first.certificateNo), foreign.id))).toEqual({
      code: 'INVALID_REQUEST',
      message: 'The slot is at another institution',
    });
    const soon = publishSlot(p, actors.issuer, GZ.creditCode, slotBody(1, 1));
    const mine = bookAppointment(p, claim(first.certificateNo), soon.id);
    expect(await failureOf(() => cancelAppointment(p, claim(second.certificateNo), mine.id))).toEqual({
      code: 'FORBIDDEN',
      message: 'The token opens another certificate',
    });
    w.clock.advance(2 * HOUR);
    expect(await failureOf(() => bookAppointment(p, claim(second.certificateNo), soon.id))).toMatchObject({
      code: 'SLOT_PAST',
    });
  });
});

describe('handover and later versions', () => {
  it('hands over the current paper once, with who and when; nothing moves or cancels after', async () => {
    const { w, p, first } = await setting();
    const slot = publishSlot(p, actors.issuer, GZ.creditCode, slotBody(25, 2));
    const mine = bookAppointment(p, claim(first.certificateNo), slot.id);
    expect(await failureOf(() => handOver(p, actors.issuerBj, mine.id))).toMatchObject({ code: 'FORBIDDEN' });
    w.clock.advance(25 * HOUR);
    const handed = handOver(p, actors.issuer, mine.id);
    expect(handed).toMatchObject({
      status: 'handed-over',
      certificateNo: first.certificateNo,
      handedOverBy: 'issuer-gz',
      handedOverAt: w.clock.now().toISOString(),
    });
    expect(w.state().audit.at(-1)).toMatchObject({
      action: 'appointment.handed-over',
      actor: 'issuer-gz',
      target: first.certificateNo,
    });
    for (const act of [
      () => handOver(p, actors.issuer, mine.id),
      () => cancelAppointment(p, claim(first.certificateNo), mine.id),
      () => moveAppointment(p, claim(first.certificateNo), mine.id, slot.id),
      () => bookAppointment(p, claim(first.certificateNo), slot.id),
    ]) {
      expect((await failureOf(act))?.code).toBe('ALREADY_COLLECTED');
    }
  });

  it('after a 补发 the appointment follows the new certificate; a lost paper’s successor can be booked again', async () => {
    const { w, p, first } = await setting();
    const slot = publishSlot(p, actors.issuer, GZ.creditCode, slotBody(25, 3));
    const mine = bookAppointment(p, claim(first.certificateNo), slot.id);
    const reissued = await reissueCertificate(w.ports, actors.issuer, first.certificateNo, { reason: '原证遗失' });
    expect(appointmentsOf(p, claim(first.certificateNo)).appointments[0]).toMatchObject({
      id: mine.id,
      certificateNo: reissued.certificateNo,
    });
    expect(await failureOf(() => cancelAppointment(p, claim(first.certificateNo), mine.id))).toMatchObject({
      code: 'INVALID_STATE',
    });
    // The online application's token acts on the birth's current certificate.
    const viaApplication: Booker = { via: 'application', certificateNo: first.certificateNo };
    const handed = handOver(p, actors.issuer, mine.id);
    expect(handed.certificateNo).toBe(reissued.certificateNo);
    expect((await failureOf(() => bookAppointment(p, viaApplication, slot.id)))?.code).toBe('ALREADY_COLLECTED');
    // Lost again: a second 补发 is a new paper, and it can be collected.
    const again = await reissueCertificate(w.ports, actors.issuer, reissued.certificateNo, { reason: '再次遗失' });
    const next = bookAppointment(p, viaApplication, slot.id);
    expect(next.certificateNo).toBe(again.certificateNo);
  });

  it('no paper is handed over for a void certificate', async () => {
    const { w, p, first } = await setting();
    const slot = publishSlot(p, actors.issuer, GZ.creditCode, slotBody(25, 3));
    const mine = bookAppointment(p, claim(first.certificateNo), slot.id);
    voidCertificate(w.ports, actors.issuer, first.certificateNo, { reason: 'PRINT_ERROR' });
    expect(await failureOf(() => handOver(p, actors.issuer, mine.id))).toEqual({
      code: 'INVALID_STATE',
      message: `Certificate ${first.certificateNo} is void`,
    });
  });

  it('lists a day by China date: a slot at 23:30 UTC belongs to the next China day', async () => {
    const { p, first } = await setting();
    // TEST_NOW is 2026-11-25 00:00 China time; 31.5 hours later is 2026-11-26 07:30 China (25 23:30 UTC).
    const slot = publishSlot(p, actors.issuer, GZ.creditCode, slotBody(31.5, 3));
    bookAppointment(p, claim(first.certificateNo), slot.id);
    const day = dayList(p, actors.issuer, GZ.creditCode, '2026-11-26');
    expect(day.slots.map((s) => [s.id, s.appointments.length])).toEqual([[slot.id, 1]]);
    expect(dayList(p, actors.issuer, GZ.creditCode, '2026-11-25').slots).toEqual([]);
    expect(dayList(p, actors.issuer, GZ.creditCode, undefined).date).toBe('2026-11-25');
    expect(await failureOf(() => dayList(p, actors.issuer, GZ.creditCode, '2026-13-01'))).toMatchObject({
      code: 'INVALID_REQUEST',
    });
  });
});
