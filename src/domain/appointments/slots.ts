import type { PrincipalOf } from '../accounts/account.ts';
import { eventBy } from '../audit/audit-event.ts';
import { isCalendarDate } from '../check/calendar.ts';
import { parseOffsetDateTime } from '../check/offset-date-time.ts';
import { DomainError, type ErrorDetail, invalidRequest } from '../errors.ts';
import type { InstitutionRecord } from '../institution.ts';
import { chinaDate } from '../lifecycle/compose.ts';
import type { CollectionSlotBody } from '../rules/bodies.ts';
import type { Appointment, AppointmentPorts, CollectionSlot } from './ports.ts';

/** Who manages an institution's slots: its issuers, or an administrator for any institution. */
export type SlotManager = PrincipalOf<'issuer' | 'admin'>;

/** A slot longer than a working day is a typing mistake, not a collection time. */
export const maxSlotHours = 12;
const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

export interface SlotView {
  id: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  remaining: number;
  closed: boolean;
}

export const slotView = (slot: CollectionSlot): SlotView => ({
  id: slot.id,
  startsAt: slot.startsAt,
  endsAt: slot.endsAt,
  capacity: slot.capacity,
  remaining: slot.capacity - slot.booked,
  closed: slot.closedAt !== null,
});

/** The institution a manager acts for: an issuer only for their own, an admin for any that exists. */
export function managedInstitution(ports: Pick<AppointmentPorts, 'institutions'>, actor: SlotManager, code: string) {
  const institution = ports.institutions.find(code);
  if (!institution) throw new DomainError('NOT_FOUND', `No institution ${code}`);
  if (actor.role === 'issuer' && actor.institution !== code) {
    throw new DomainError('FORBIDDEN', 'The slots belong to another institution');
  }
  return institution;
}

function slotProblems(
  body: CollectionSlotBody,
  now: Date,
): { details: ErrorDetail[]; startsMs: number; endsMs: number } {
  const details: ErrorDetail[] = [];
  const starts = parseOffsetDateTime(body.startsAt);
  const ends = parseOffsetDateTime(body.endsAt);
  if (!starts) details.push({ path: 'startsAt', message: 'startsAt is not a real date and time' });
  else if (starts.instantMs <= now.getTime())
    details.push({ path: 'startsAt', message: 'startsAt must be in the future' });
  if (!ends) details.push({ path: 'endsAt', message: 'endsAt is not a real date and time' });
  if (starts && ends) {
    if (ends.instantMs <= starts.instantMs) details.push({ path: 'endsAt', message: 'endsAt must be after startsAt' });
    else if (ends.instantMs - starts.instantMs > maxSlotHours * 3_600_000) {
      details.push({ path: 'endsAt', message: `a slot lasts at most ${maxSlotHours} hours` });
    }
  }
  return { details, startsMs: starts?.instantMs ?? 0, endsMs: ends?.instantMs ?? 0 };
}

/** An issuer (or admin) publishes a collection slot; audited. */
export function publishSlot(ports: AppointmentPorts, actor: SlotManager, code: string, body: CollectionSlotBody) {
  const institution = managedInstitution(ports, actor, code);
  const now = ports.clock.now();
  const { details, startsMs, endsMs } = slotProblems(body, now);
  if (details.length > 0) throw invalidRequest(details);
  const slot: CollectionSlot = {
    id: ports.secrets.newId('S'),
    institution: institution.creditCode,
    startsAt: new Date(startsMs).toISOString(),
    endsAt: new Date(endsMs).toISOString(),
    capacity: body.capacity,
    booked: 0,
    closedAt: null,
    createdBy: actor.username,
    createdAt: now.toISOString(),
  };
  ports.transactions.run(() => {
    ports.collection.insertSlot(slot);
    ports.audit.record(
      eventBy(actor, 'collection-slot.published', slot.id, {
        institution: slot.institution,
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
        capacity: slot.capacity,
      }),
      now,
    );
  });
  return slotView(slot);
}

/** No new bookings of the slot; those already made stand. Closing a closed slot changes nothing. */
export function closeSlot(ports: AppointmentPorts, actor: SlotManager, slotId: string) {
  const slot = ports.collection.findSlot(slotId);
  if (!slot) throw new DomainError('NOT_FOUND', `No collection slot ${slotId}`);
  managedInstitution(ports, actor, slot.institution);
  if (slot.closedAt !== null) return slotView(slot);
  const now = ports.clock.now();
  ports.transactions.run(() => {
    ports.collection.closeSlot(slotId, now);
    ports.audit.record(eventBy(actor, 'collection-slot.closed', slotId, { booked: slot.booked }), now);
  });
  return slotView(ports.collection.findSlot(slotId)!);
}

function institutionOf(ports: Pick<AppointmentPorts, 'institutions'>, code: string): InstitutionRecord {
  const institution = ports.institutions.find(code);
  if (!institution) throw new DomainError('NOT_FOUND', `No institution ${code}`);
  return institution;
}

/** Anyone: the institution's open slots that have not ended and have a seat left. */
export function openSlotsOf(ports: AppointmentPorts, code: string) {
  const institution = institutionOf(ports, code);
  return {
    institution: { creditCode: institution.creditCode, name: institution.name },
    slots: ports.collection.openSlots(institution.creditCode, ports.clock.now()).map(slotView),
  };
}

/** `YYYY-MM-DD` as a day in China → its start as an instant. */
function chinaDayStart(date: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m || !isCalendarDate({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) })) return null;
  return new Date(Date.parse(`${date}T00:00:00Z`) - CHINA_OFFSET_MS);
}

export interface DayAppointment {
  id: string;
  status: 'booked' | 'handed-over';
  /** The birth's current certificate: the paper to hand over. */
  certificateNo: string;
  certificateStatus: string;
  newbornName: string;
  motherName: string;
  bookedAt: string;
  handedOverAt: string | null;
  handedOverBy: string | null;
}

/** The current version of a birth's certificate (the valid one, else the latest). */
export function currentOf(ports: Pick<AppointmentPorts, 'register'>, lineage: string) {
  const versions = ports.register.lineage(lineage);
  return versions.find((v) => v.status === 'valid') ?? versions.at(-1)!;
}

function dayEntry(ports: AppointmentPorts, appointment: Appointment): DayAppointment {
  const current = currentOf(ports, appointment.lineage);
  // A handed-over appointment names the paper that was handed over, whatever came after.
  const record =
    appointment.status === 'handed-over' ? (ports.register.find(appointment.certificateNo) ?? current) : current;
  return {
    id: appointment.id,
    status: appointment.status === 'handed-over' ? 'handed-over' : 'booked',
    certificateNo: record.certificateNo,
    certificateStatus: record.status,
    newbornName: record.certificate.newborn.name,
    motherName: record.certificate.mother.name,
    bookedAt: appointment.bookedAt,
    handedOverAt: appointment.handedOverAt,
    handedOverBy: appointment.handedOverBy,
  };
}

/** 今日取证: a day's slots (China time, today by default) with the families booked in each. */
export function dayList(ports: AppointmentPorts, actor: SlotManager, code: string, date: unknown) {
  const institution = managedInstitution(ports, actor, code);
  const day = date === undefined || date === '' ? chinaDate(ports.clock.now()) : date;
  const start = typeof day === 'string' ? chinaDayStart(day) : null;
  if (!start) throw invalidRequest([{ path: 'date', message: 'date must be a calendar date YYYY-MM-DD' }]);
  const slots = ports.collection.slotsBetween(institution.creditCode, start, new Date(start.getTime() + DAY_MS));
  const appointments = ports.collection.ofSlots(slots.map((s) => s.id));
  return {
    date: day as string,
    institution: { creditCode: institution.creditCode, name: institution.name },
    slots: slots.map((slot) => ({
      ...slotView(slot),
      appointments: appointments.filter((a) => a.slotId === slot.id).map((a) => dayEntry(ports, a)),
    })),
  };
}

/**
 * The issuer hands the paper certificate over: recorded with who and when, audited. It is the paper
 * of the birth's current certificate, which must be valid; afterwards the appointment is final.
 */
export function handOver(ports: AppointmentPorts, actor: PrincipalOf<'issuer'>, appointmentId: string) {
  const appointment = ports.collection.findAppointment(appointmentId);
  if (!appointment) throw new DomainError('NOT_FOUND', `No appointment ${appointmentId}`);
  const slot = ports.collection.findSlot(appointment.slotId)!;
  if (slot.institution !== actor.institution) {
    throw new DomainError('FORBIDDEN', 'The appointment is at another institution');
  }
  if (appointment.status === 'handed-over') {
    throw new DomainError('ALREADY_COLLECTED', 'The paper certificate was already handed over', [
      { path: 'appointmentId', message: `handed over at ${appointment.handedOverAt} by ${appointment.handedOverBy}` },
    ]);
  }
  if (appointment.status === 'cancelled') {
    throw new DomainError('INVALID_STATE', 'The appointment was cancelled', [
      { path: 'appointmentId', message: 'cancelled by the parents' },
    ]);
  }
  const current = currentOf(ports, appointment.lineage);
  if (current.status !== 'valid') {
    throw new DomainError('INVALID_STATE', `Certificate ${current.certificateNo} is ${current.status}`, [
      { path: 'certificateNo', message: `status is ${current.status}; no paper to hand over` },
    ]);
  }
  const now = ports.clock.now();
  ports.transactions.run(() => {
    ports.collection.markHandedOver(appointmentId, current.certificateNo, actor.username, now);
    ports.audit.record(
      eventBy(actor, 'appointment.handed-over', current.certificateNo, { appointmentId, slotId: slot.id }),
      now,
    );
  });
  return dayEntry(ports, ports.collection.findAppointment(appointmentId)!);
}
