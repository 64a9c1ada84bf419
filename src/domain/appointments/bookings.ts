import type { TokenStore } from '../accounts/account.ts';
import { eventBy } from '../audit/audit-event.ts';
import { DomainError } from '../errors.ts';
import type { OnlineApplicationStore } from '../lifecycle/online-application-ports.ts';
import type { ApplicationStore } from '../lifecycle/ports.ts';
import type { CertificateRecord } from '../lifecycle/records.ts';
import type { Clock } from '../ports.ts';
import type { Appointment, AppointmentPorts, CollectionSlot } from './ports.ts';
import { currentOf, type SlotView } from './slots.ts';

/**
 * Who books: the parents, holding either a claim token (it opens one certificate) or their online
 * application's token once the application is issued (it opens the birth, so it always acts on
 * the birth's current certificate).
 */
export type Booker = { via: 'claim'; certificateNo: string } | { via: 'application'; certificateNo: string };

const citizen = { username: null, role: 'citizen', institution: null } as const;

/** The booker a bearer token stands for: a citizen claim token, or an issued online application's token. */
export function bookerOf(
  ports: {
    tokens: Pick<TokenStore, 'resolve'>;
    online: Pick<OnlineApplicationStore, 'resolveToken'>;
    applications: Pick<ApplicationStore, 'findApplication'>;
    clock: Clock;
  },
  token: string | null,
): Booker {
  const now = ports.clock.now();
  const principal = token === null ? null : ports.tokens.resolve(token, now);
  if (principal) {
    if (principal.role !== 'citizen') {
      throw new DomainError('FORBIDDEN', `The role "${principal.role}" may not call this route`);
    }
    return { via: 'claim', certificateNo: principal.certificateNo };
  }
  const applicationId = token === null ? null : ports.online.resolveToken(token, now);
  if (applicationId === null) {
    throw new DomainError(
      'UNAUTHENTICATED',
      'This route needs a claim token or an issued online application’s token: Authorization: Bearer <accessToken>',
    );
  }
  const application = ports.applications.findApplication(applicationId)!;
  if (application.status !== 'issued' || !application.certificateNo) {
    throw new DomainError('INVALID_STATE', 'The certificate is not issued yet', [
      { path: 'status', message: `is ${application.status}, not issued` },
    ]);
  }
  return { via: 'application', certificateNo: application.certificateNo };
}

/** The certificate the booker acts for; a claim token of a superseded certificate reads but cannot change. */
function certificateOf(ports: AppointmentPorts, booker: Booker, changing: boolean): CertificateRecord {
  const opened = ports.register.find(booker.certificateNo);
  if (!opened) throw new DomainError('NOT_FOUND', `No certificate ${booker.certificateNo}`);
  const current = booker.via === 'application' ? currentOf(ports, opened.lineage) : opened;
  if (changing && current.status !== 'valid') {
    throw new DomainError('INVALID_STATE', `Certificate ${current.certificateNo} is ${current.status}`, [
      {
        path: 'certificateNo',
        message: current.supersededBy
          ? `superseded by ${current.supersededBy}: claim the current certificate to book`
          : `status is ${current.status}`,
      },
    ]);
  }
  return current;
}

export interface AppointmentView {
  id: string;
  status: Appointment['status'];
  certificateNo: string;
  slot: Pick<SlotView, 'id' | 'startsAt' | 'endsAt'>;
  bookedAt: string;
  handedOverAt?: string;
}

function viewOf(ports: AppointmentPorts, appointment: Appointment): AppointmentView {
  const slot = ports.collection.findSlot(appointment.slotId)!;
  const certificateNo =
    appointment.status === 'handed-over'
      ? appointment.certificateNo
      : currentOf(ports, appointment.lineage).certificateNo;
  return {
    id: appointment.id,
    status: appointment.status,
    certificateNo,
    slot: { id: slot.id, startsAt: slot.startsAt, endsAt: slot.endsAt },
    bookedAt: appointment.bookedAt,
    ...(appointment.handedOverAt && { handedOverAt: appointment.handedOverAt }),
  };
}

/** A slot the certificate may be booked into now: of its issuing institution, open, not ended, with a seat. */
function bookableSlot(ports: AppointmentPorts, record: CertificateRecord, slotId: string): CollectionSlot {
  const slot = ports.collection.findSlot(slotId);
  if (!slot) {
    throw new DomainError('NOT_FOUND', `No collection slot ${slotId}`, [{ path: 'slotId', message: 'no such slot' }]);
  }
  if (slot.institution !== record.institution) {
    throw new DomainError('INVALID_REQUEST', 'The slot is at another institution', [
      {
        path: 'slotId',
        message: 'the paper certificate is collected where it was issued; choose a slot of that institution',
      },
    ]);
  }
  if (slot.closedAt !== null) {
    throw new DomainError('SLOT_CLOSED', 'The slot was closed by the institution', [
      { path: 'slotId', message: 'closed; choose another slot' },
    ]);
  }
  if (Date.parse(slot.endsAt) <= ports.clock.now().getTime()) {
    throw new DomainError('SLOT_PAST', 'The slot is over', [{ path: 'slotId', message: `ended at ${slot.endsAt}` }]);
  }
  return slot;
}

const slotFull = () =>
  new DomainError('SLOT_FULL', 'The slot has no seat left', [{ path: 'slotId', message: 'full; choose another slot' }]);

function collected(appointment: Appointment) {
  return new DomainError('ALREADY_COLLECTED', 'The paper certificate was already handed over', [
    { path: 'appointmentId', message: `handed over at ${appointment.handedOverAt}` },
  ]);
}

/** The parents' own appointments (of the birth), newest first, and where the certificate is collected. */
export function appointmentsOf(ports: AppointmentPorts, booker: Booker) {
  const record = certificateOf(ports, booker, false);
  const institution = ports.institutions.find(record.institution);
  return {
    certificateNo: record.certificateNo,
    institution: { creditCode: record.institution, name: institution?.name ?? record.institution },
    appointments: ports.collection.ofLineage(record.lineage).map((a) => viewOf(ports, a)),
  };
}

/** Books one slot per certificate (per birth, across its versions); the seat is taken atomically. */
export function bookAppointment(ports: AppointmentPorts, booker: Booker, slotId: string): AppointmentView {
  const record = certificateOf(ports, booker, true);
  const slot = bookableSlot(ports, record, slotId);
  const now = ports.clock.now();
  const appointment = ports.transactions.run(() => {
    const active = ports.collection.activeOf(record.lineage);
    if (active) {
      throw new DomainError('ALREADY_BOOKED', 'This certificate already has an appointment: move or cancel it', [
        {
          path: 'slotId',
          message: `appointment ${active.id} is booked; PUT /api/v1/citizen/appointments/${active.id} moves it`,
        },
      ]);
    }
    if (ports.collection.handedOver(record.certificateNo)) {
      throw new DomainError('ALREADY_COLLECTED', 'The paper certificate was already handed over', [
        { path: 'certificateNo', message: 'already collected' },
      ]);
    }
    if (!ports.collection.takeSeat(slot.id)) throw slotFull();
    const made: Appointment = {
      id: ports.secrets.newId('C'),
      slotId: slot.id,
      lineage: record.lineage,
      certificateNo: record.certificateNo,
      status: 'booked',
      bookedAt: now.toISOString(),
      changedAt: now.toISOString(),
      handedOverAt: null,
      handedOverBy: null,
    };
    ports.collection.insertAppointment(made);
    ports.audit.record(
      eventBy(citizen, 'appointment.booked', record.certificateNo, { appointmentId: made.id, slotId: slot.id }),
      now,
    );
    return made;
  });
  return viewOf(ports, appointment);
}

/** The booker's appointment: another birth's is FORBIDDEN, an unknown one NOT_FOUND. */
function ownAppointment(ports: AppointmentPorts, record: CertificateRecord, appointmentId: string): Appointment {
  const appointment = ports.collection.findAppointment(appointmentId);
  if (!appointment) throw new DomainError('NOT_FOUND', `No appointment ${appointmentId}`);
  if (appointment.lineage !== record.lineage) {
    throw new DomainError('FORBIDDEN', 'The token opens another certificate');
  }
  return appointment;
}

function requireBooked(appointment: Appointment) {
  if (appointment.status === 'handed-over') throw collected(appointment);
  if (appointment.status === 'cancelled') {
    throw new DomainError('INVALID_STATE', 'The appointment was cancelled; book a new one', [
      { path: 'appointmentId', message: 'cancelled' },
    ]);
  }
}

/** Moves the appointment to another slot: the new seat is taken before the old one is given back. */
export function moveAppointment(
  ports: AppointmentPorts,
  booker: Booker,
  appointmentId: string,
  slotId: string,
): AppointmentView {
  const record = certificateOf(ports, booker, true);
  const appointment = ownAppointment(ports, record, appointmentId);
  requireBooked(appointment);
  if (appointment.slotId === slotId) return viewOf(ports, appointment);
  const slot = bookableSlot(ports, record, slotId);
  const now = ports.clock.now();
  ports.transactions.run(() => {
    if (!ports.collection.takeSeat(slot.id)) throw slotFull();
    ports.collection.releaseSeat(appointment.slotId);
    ports.collection.moveAppointment(appointment.id, slot.id, now);
    ports.audit.record(
      eventBy(citizen, 'appointment.moved', record.certificateNo, {
        appointmentId,
        fromSlotId: appointment.slotId,
        slotId: slot.id,
      }),
      now,
    );
  });
  return viewOf(ports, ports.collection.findAppointment(appointmentId)!);
}

/** Cancels the appointment and gives its seat back; a handed-over one cannot be cancelled. */
export function cancelAppointment(ports: AppointmentPorts, booker: Booker, appointmentId: string): AppointmentView {
  const record = certificateOf(ports, booker, true);
  const appointment = ownAppointment(ports, record, appointmentId);
  requireBooked(appointment);
  const now = ports.clock.now();
  ports.transactions.run(() => {
    ports.collection.releaseSeat(appointment.slotId);
    ports.collection.cancelAppointment(appointment.id, now);
    ports.audit.record(
      eventBy(citizen, 'appointment.cancelled', record.certificateNo, { appointmentId, slotId: appointment.slotId }),
      now,
    );
  });
  return viewOf(ports, ports.collection.findAppointment(appointmentId)!);
}
