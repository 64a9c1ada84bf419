import { sql as raw, type SqlBool } from 'kysely';
import type { Appointment, CollectionSlot, CollectionStore } from '../../domain/appointments/ports.ts';
import type { Sql } from './sql.ts';

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
  status: string;
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
  status: r.status as Appointment['status'],
  bookedAt: r.booked_at,
  changedAt: r.changed_at,
  handedOverAt: r.handed_over_at,
  handedOverBy: r.handed_over_by,
});

/**
 * 预约取证. Instants are stored as ISO strings in UTC, so they compare as text on either engine.
 * Appointments booked at the same instant come in id order (ids are random): the table keeps
 * no insertion order both engines share.
 */
export function createSqlCollectionStore(sql: Sql): CollectionStore {
  const { db } = sql;
  const slots = () => db.selectFrom('collection_slots').selectAll();
  const appointments = () => db.selectFrom('collection_appointments').selectAll();
  /**
   * slot_id among `ids` with one statement text whatever their number (the statement caches key
   * on it): SQLite reads them from a JSON array, PostgreSQL from an array parameter; neither
   * engine has the other's way.
   */
  const amongSlots = (ids: string[]) =>
    sql.engine === 'sqlite'
      ? raw<SqlBool>`slot_id in (select value from json_each(${JSON.stringify(ids)}))`
      : raw<SqlBool>`slot_id = any(${ids}::text[])`;

  return {
    insertSlot(s) {
      sql.run(
        db.insertInto('collection_slots').values({
          id: s.id,
          institution: s.institution,
          starts_at: s.startsAt,
          ends_at: s.endsAt,
          capacity: s.capacity,
          booked: 0,
          closed_at: null,
          created_by: s.createdBy,
          created_at: s.createdAt,
        }),
      );
    },
    findSlot(id) {
      const row = sql.get(slots().where('id', '=', id));
      return row ? slotOf(row) : null;
    },
    openSlots: (institution, after) =>
      sql
        .all(
          slots()
            .where('institution', '=', institution)
            .where('closed_at', 'is', null)
            .where('ends_at', '>', after.toISOString())
            .whereRef('booked', '<', 'capacity')
            .orderBy('starts_at')
            .orderBy('id'),
        )
        .map(slotOf),
    slotsBetween: (institution, from, to) =>
      sql
        .all(
          slots()
            .where('institution', '=', institution)
            .where('starts_at', '>=', from.toISOString())
            .where('starts_at', '<', to.toISOString())
            .orderBy('starts_at')
            .orderBy('id'),
        )
        .map(slotOf),
    closeSlot(id, at) {
      sql.run(
        db
          .updateTable('collection_slots')
          .set({ closed_at: at.toISOString() })
          .where('id', '=', id)
          .where('closed_at', 'is', null),
      );
    },
    // The seat is taken only while one is left and the slot is open: the condition and the
    // increment are one statement, so no two bookings (of any node) can both see the last seat free.
    takeSeat: (slotId) =>
      sql.run(
        db
          .updateTable('collection_slots')
          .set((eb) => ({ booked: eb('booked', '+', eb.lit(1)) }))
          .where('id', '=', slotId)
          .where('closed_at', 'is', null)
          .whereRef('booked', '<', 'capacity'),
      ) === 1,
    releaseSeat(slotId) {
      sql.run(
        db
          .updateTable('collection_slots')
          .set((eb) => ({ booked: eb('booked', '-', eb.lit(1)) }))
          .where('id', '=', slotId)
          .where('booked', '>', 0),
      );
    },
    insertAppointment(a) {
      sql.run(
        db.insertInto('collection_appointments').values({
          id: a.id,
          slot_id: a.slotId,
          lineage: a.lineage,
          certificate_no: a.certificateNo,
          status: a.status,
          booked_at: a.bookedAt,
          changed_at: a.changedAt,
          handed_over_at: a.handedOverAt,
          handed_over_by: a.handedOverBy,
          seq: raw<number>`(SELECT coalesce(max(seq), 0) + 1 FROM collection_appointments)`,
        }),
      );
    },
    findAppointment(id) {
      const row = sql.get(appointments().where('id', '=', id));
      return row ? appointmentOf(row) : null;
    },
    activeOf(lineage) {
      const row = sql.get(appointments().where('lineage', '=', lineage).where('status', '=', 'booked'));
      return row ? appointmentOf(row) : null;
    },
    ofLineage: (lineage) =>
      sql
        .all(appointments().where('lineage', '=', lineage).orderBy('booked_at', 'desc').orderBy('seq', 'desc'))
        .map(appointmentOf),
    ofSlots: (ids) =>
      ids.length === 0
        ? []
        : sql
            .all(
              appointments()
                .where(amongSlots(ids))
                .where('status', '<>', 'cancelled')
                .orderBy('booked_at')
                .orderBy('seq'),
            )
            .map(appointmentOf),
    handedOver: (no) =>
      sql.get(
        db
          .selectFrom('collection_appointments')
          .select((eb) => eb.lit(1).as('one'))
          .where('certificate_no', '=', no)
          .where('status', '=', 'handed-over'),
      ) !== undefined,
    moveAppointment(id, slotId, at) {
      sql.run(
        db
          .updateTable('collection_appointments')
          .set({ slot_id: slotId, changed_at: at.toISOString() })
          .where('id', '=', id),
      );
    },
    cancelAppointment(id, at) {
      sql.run(
        db
          .updateTable('collection_appointments')
          .set({ status: 'cancelled', changed_at: at.toISOString() })
          .where('id', '=', id),
      );
    },
    markHandedOver(id, certificateNo, by, at) {
      sql.run(
        db
          .updateTable('collection_appointments')
          .set({
            status: 'handed-over',
            certificate_no: certificateNo,
            handed_over_by: by,
            handed_over_at: at.toISOString(),
            changed_at: at.toISOString(),
          })
          .where('id', '=', id),
      );
    },
  };
}
