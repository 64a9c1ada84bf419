import type { AuditLog } from '../audit/audit-event.ts';
import type { CertificateRegister, InstitutionDirectory, Secrets, UnitOfWork } from '../lifecycle/ports.ts';
import type { Clock } from '../ports.ts';

/*
 * 预约取证: the parents book a time to collect the paper certificate at the institution that issued
 * it. One narrow store holds the slots and the appointments; the seat count lives on the slot row
 * and only ever changes by a conditional update, so a slot is never overbooked.
 */

export interface CollectionSlot {
  id: string;
  institution: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  /** Appointments holding a seat (booked or handed over); never above `capacity`. */
  booked: number;
  closedAt: string | null;
  createdBy: string;
  createdAt: string;
}

export type AppointmentStatus = 'booked' | 'cancelled' | 'handed-over';

/**
 * One birth's booking. It belongs to the birth (the certificate's lineage), not to one version:
 * after a 换发 or 补发 it follows the current certificate, whose paper is the one handed over.
 */
export interface Appointment {
  id: string;
  slotId: string;
  lineage: string;
  /** The certificate it was booked with; on handover, the one whose paper was handed over. */
  certificateNo: string;
  status: AppointmentStatus;
  bookedAt: string;
  changedAt: string;
  handedOverAt: string | null;
  handedOverBy: string | null;
}

export interface CollectionStore {
  insertSlot(slot: CollectionSlot): void;
  findSlot(id: string): CollectionSlot | null;
  /** Open slots of an institution ending after `after` with a seat left, earliest first. */
  openSlots(institution: string, after: Date): CollectionSlot[];
  /** An institution's slots starting in [from, to), closed or not, earliest first. */
  slotsBetween(institution: string, from: Date, to: Date): CollectionSlot[];
  closeSlot(id: string, at: Date): void;
  /**
   * Takes one seat of an open slot if one is left: a single conditional update, so two bookings of
   * the last seat cannot both succeed. False when the slot is full or closed.
   */
  takeSeat(slotId: string): boolean;
  /** Gives a seat back (a cancellation or a move away). */
  releaseSeat(slotId: string): void;

  insertAppointment(appointment: Appointment): void;
  findAppointment(id: string): Appointment | null;
  /** The birth's booked (not cancelled, not handed over) appointment, if any. */
  activeOf(lineage: string): Appointment | null;
  /** Every appointment of a birth, newest first. */
  ofLineage(lineage: string): Appointment[];
  /** The booked and handed-over appointments of some slots. */
  ofSlots(slotIds: string[]): Appointment[];
  /** Whether the paper of this certificate number was already handed over. */
  handedOver(certificateNo: string): boolean;
  moveAppointment(id: string, slotId: string, at: Date): void;
  cancelAppointment(id: string, at: Date): void;
  markHandedOver(id: string, certificateNo: string, by: string, at: Date): void;
}

export interface AppointmentPorts {
  transactions: UnitOfWork;
  collection: CollectionStore;
  register: Pick<CertificateRegister, 'find' | 'lineage'>;
  institutions: InstitutionDirectory;
  secrets: Pick<Secrets, 'newId'>;
  audit: Pick<AuditLog, 'record'>;
  clock: Clock;
}
