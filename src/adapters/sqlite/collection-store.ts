import type { Appointment, CollectionSlot, CollectionStore } from '../../domain/appointments/ports.ts';
import type { SqliteDatabase } from './database.ts';

interface SlotRow {
  id: string;
  institution: string;
  starts_at: string;
  ends_at: string;
  capacity: number;
  booked: number;
  closed_at: string | null;
  created_by: string;
  created_at: string;
}

interface AppointmentRow {
  id: string;
  slot_id: string;
  lineage: string;
  certificate_no: string;
  status: Appointment['status'];
  booked_at: string;
  changed_at: string;
  handed_over_at: string | null;
  handed_over_by: string | null;
}

const slotOf = (r: SlotRow): CollectionSlot => ({
  id: r.id,
  institution: r.institution,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  capacity: r.capacity,
  booked: r.booked,
  closedAt: r.closed_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

const appointmentOf = (r: AppointmentRow): Appointment => ({
  id: r.id,
  slotId: r.slot_id,
  lineage: r.lineage,
  certificateNo: r.certificate_no,
  status: r.status,
  bookedAt: r.booked_at,
  changedAt: r.changed_at,
  handedOverAt: r.handed_over_at,
  handedOverBy: r.handed_over_by,
});

/** 预约取证 in SQLite. Instants are stored as ISO strings in UTC, so they compare as text. */
export function createSqliteCollectionStore(db: SqliteDatabase): CollectionStore {
  const q = {
    insertSlot: db.prepare(
      `INSERT INTO collection_slots (id, institution, starts_at, ends_at, capacity, booked, closed_at, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, 0, NULL, ?, ?)`,
    ),
    findSlot: db.prepare<[string], SlotRow>('SELECT * FROM collection_slots WHERE id = ?'),
    openSlots: db.prepare<[string, string], SlotRow>(
      `SELECT * FROM collection_slots
       WHERE institution = ? AND closed_at IS NULL AND ends_at > ? AND booked < capacity
       ORDER BY starts_at, id`,
    ),
    slotsBetween: db.prepare<[string, string, string], SlotRow>(
      'SELECT * FROM collection_slots WHERE institution = ? AND starts_at >= ? AND starts_at < ? ORDER BY starts_at, id',
    ),
    closeSlot: db.prepare('UPDATE collection_slots SET closed_at = ? WHERE id = ? AND closed_at IS NULL'),
    // The seat is taken only while one is left and the slot is open: the condition and the
    // increment are one statement, so no two bookings can both see the last seat free.
    takeSeat: db.prepare(
      'UPDATE collection_slots SET booked = booked + 1 WHERE id = ? AND closed_at IS NULL AND booked < capacity',
    ),
    releaseSeat: db.prepare('UPDATE collection_slots SET booked = booked - 1 WHERE id = ? AND booked > 0'),
    insertAppointment: db.prepare(
      `INSERT INTO collection_appointments (id, slot_id, lineage, certificate_no, status, booked_at, changed_at, handed_over_at, handed_over_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    findAppointment: db.prepare<[string], AppointmentRow>('SELECT * FROM collection_appointments WHERE id = ?'),
    activeOf: db.prepare<[string], AppointmentRow>(
      "SELECT * FROM collection_appointments WHERE lineage = ? AND status = 'booked'",
    ),
    ofLineage: db.prepare<[string], AppointmentRow>(
      'SELECT * FROM collection_appointments WHERE lineage = ? ORDER BY booked_at DESC, rowid DESC',
    ),
    ofSlots: db.prepare<[string], AppointmentRow>(
      `SELECT * FROM collection_appointments
       WHERE slot_id IN (SELECT value FROM json_each(?)) AND status != 'cancelled'
       ORDER BY booked_at, rowid`,
    ),
    handedOver: db
      .prepare("SELECT 1 FROM collection_appointments WHERE certificate_no = ? AND status = 'handed-over'")
      .pluck(),
    move: db.prepare('UPDATE collection_appointments SET slot_id = ?, changed_at = ? WHERE id = ?'),
    cancel: db.prepare("UPDATE collection_appointments SET status = 'cancelled', changed_at = ? WHERE id = ?"),
    handOver: db.prepare(
      `UPDATE collection_appointments
       SET status = 'handed-over', certificate_no = ?, handed_over_by = ?, handed_over_at = ?, changed_at = ?
       WHERE id = ?`,
    ),
  };
  return {
    insertSlot(s) {
      q.insertSlot.run(s.id, s.institution, s.startsAt, s.endsAt, s.capacity, s.createdBy, s.createdAt);
    },
    findSlot(id) {
      const row = q.findSlot.get(id);
      return row ? slotOf(row) : null;
    },
    openSlots: (institution, after) => q.openSlots.all(institution, after.toISOString()).map(slotOf),
    slotsBetween: (institution, from, to) =>
      q.slotsBetween.all(institution, from.toISOString(), to.toISOString()).map(slotOf),
    closeSlot(id, at) {
      q.closeSlot.run(at.toISOString(), id);
    },
    takeSeat: (slotId) => q.takeSeat.run(slotId).changes === 1,
    releaseSeat(slotId) {
      q.releaseSeat.run(slotId);
    },
    insertAppointment(a) {
      q.insertAppointment.run(
        a.id,
        a.slotId,
        a.lineage,
        a.certificateNo,
        a.status,
        a.bookedAt,
        a.changedAt,
        a.handedOverAt,
        a.handedOverBy,
      );
    },
    findAppointment(id) {
      const row = q.findAppointment.get(id);
      return row ? appointmentOf(row) : null;
    },
    activeOf(lineage) {
      const row = q.activeOf.get(lineage);
      return row ? appointmentOf(row) : null;
    },
    ofLineage: (lineage) => q.ofLineage.all(lineage).map(appointmentOf),
    ofSlots: (ids) => (ids.length === 0 ? [] : q.ofSlots.all(JSON.stringify(ids)).map(appointmentOf)),
    handedOver: (no) => q.handedOver.get(no) !== undefined,
    moveAppointment(id, slotId, at) {
      q.move.run(slotId, at.toISOString(), id);
    },
    cancelAppointment(id, at) {
      q.cancel.run(at.toISOString(), id);
    },
    markHandedOver(id, certificateNo, by, at) {
      q.handOver.run(certificateNo, by, at.toISOString(), at.toISOString(), id);
    },
  };
}
