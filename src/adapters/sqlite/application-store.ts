import type { ApplicationStore } from '../../domain/lifecycle/ports.ts';
import type { ApplicationRecord, DeliveryRecord } from '../../domain/lifecycle/records.ts';
import type { SqliteDatabase } from './database.ts';

interface ApplicationRow {
  id: string;
  institution: string;
  delivery_id: string | null;
  record: string;
  status: ApplicationRecord['status'];
  certificate_no: string | null;
  licence_serial: string | null;
  created_by: string;
  created_at: string;
}

interface DeliveryRow {
  record: string;
  id: string;
  institution: string;
  recorded_by: string;
  recorded_at: string;
}

const deliveryOf = (row: DeliveryRow): DeliveryRecord => ({
  ...JSON.parse(row.record),
  id: row.id,
  institution: row.institution,
  recordedBy: row.recorded_by,
  recordedAt: row.recorded_at,
});

/** Delivery records and applications; an application's number reservation is the number stock's. */
export function createSqliteApplicationStore(db: SqliteDatabase): ApplicationStore {
  const q = {
    insertDelivery: db.prepare(
      'INSERT INTO deliveries (id, institution, record, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)',
    ),
    delivery: db.prepare<[string], DeliveryRow>('SELECT * FROM deliveries WHERE id = ?'),
    recentDeliveries: db.prepare<[string, number], DeliveryRow>(
      'SELECT * FROM deliveries WHERE institution = ? ORDER BY recorded_at DESC LIMIT ?',
    ),
    // A birth has its certificate while an issue is under way or any version of it is valid or
    // revoked; after a void (printing or entry error) the delivery record may be issued again.
    deliveryIssued: db.prepare<[string], { n: number }>(
      `SELECT count(*) AS n FROM applications a
        WHERE a.delivery_id = ?
          AND (a.status = 'issuing'
               OR EXISTS (SELECT 1 FROM certificates c JOIN certificates v ON v.lineage = c.lineage
                           WHERE c.certificate_no = a.certificate_no AND v.status IN ('valid', 'revoked')))`,
    ),
    insertApplication: db.prepare(
      `INSERT INTO applications (id, institution, delivery_id, record, status, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    // An online application back with the parents (migration 008) reads as "returned".
    application: db.prepare<[string], ApplicationRow>(
      `SELECT a.*, CASE WHEN a.status = 'submitted' AND o.return_reason IS NOT NULL THEN 'returned' ELSE a.status END
              AS status
         FROM applications a LEFT JOIN online_applications o ON o.application_id = a.id
        WHERE a.id = ?`,
    ),
  };

  return {
    insertDelivery(r: DeliveryRecord) {
      const { id, institution, recordedBy, recordedAt, ...items } = r;
      q.insertDelivery.run(id, institution, JSON.stringify(items), recordedBy, recordedAt);
    },
    findDelivery(id) {
      const row = q.delivery.get(id);
      return row ? deliveryOf(row) : null;
    },
    recentDeliveries: (institution, limit) => q.recentDeliveries.all(institution, limit).map(deliveryOf),
    deliveryIssued: (id) => q.deliveryIssued.get(id)!.n > 0,
    insertApplication(r) {
      q.insertApplication.run(
        r.id,
        r.institution,
        r.deliveryId,
        JSON.stringify(r.input),
        r.status,
        r.createdBy,
        r.createdAt,
      );
    },
    findApplication(id) {
      const row = q.application.get(id);
      if (!row) return null;
      return {
        id: row.id,
        institution: row.institution,
        deliveryId: row.delivery_id,
        input: JSON.parse(row.record),
        status: row.status,
        certificateNo: row.certificate_no,
        licenceSerial: row.licence_serial,
        createdBy: row.created_by,
        createdAt: row.created_at,
      };
    },
  };
}
