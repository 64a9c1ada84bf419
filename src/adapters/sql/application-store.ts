import type { ExpressionBuilder } from 'kysely';
import type { ApplicationStore } from '../../domain/lifecycle/ports.ts';
import type { ApplicationRecord, DeliveryRecord } from '../../domain/lifecycle/records.ts';
import type { DB } from './schema.generated.ts';
import type { Sql } from './sql.ts';

type ApplicationScope = ExpressionBuilder<DB & { a: DB['applications']; o: DB['online_applications'] }, 'a' | 'o'>;

/**
 * An application's status as the domain sees it: "returned" is an open return on a submitted
 * online application (migration 008; the applications table's CHECK predates it).
 */
export const applicationStatus = (eb: ApplicationScope) =>
  eb
    .case()
    .when(eb.and([eb('a.status', '=', 'submitted'), eb('o.return_reason', 'is not', null)]))
    .then('returned')
    .else(eb.ref('a.status'))
    .end();

/** Applications (`a`) with their online part (`o`), selecting what `applicationOf` reads. */
export const applications = (db: Sql['db']) =>
  db
    .selectFrom('applications as a')
    .leftJoin('online_applications as o', 'o.application_id', 'a.id')
    .select((eb) => [
      'a.id',
      'a.institution',
      'a.delivery_id',
      'a.record',
      'a.certificate_no',
      'a.licence_serial',
      'a.created_by',
      'a.created_at',
      applicationStatus(eb).as('status'),
    ]);

export const applicationOf = (row: {
  id: string;
  institution: string;
  delivery_id: string | null;
  record: string;
  status: string;
  certificate_no: string | null;
  licence_serial: string | null;
  created_by: string;
  created_at: string;
}): ApplicationRecord => ({
  id: row.id,
  institution: row.institution,
  deliveryId: row.delivery_id,
  input: JSON.parse(row.record),
  status: row.status as ApplicationRecord['status'],
  certificateNo: row.certificate_no,
  licenceSerial: row.licence_serial,
  createdBy: row.created_by,
  createdAt: row.created_at,
});

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

const deliveryColumns = ['id', 'institution', 'record', 'recorded_by', 'recorded_at'] as const;

/** Delivery records and applications; an application's number reservation is the number stock's. */
export function createSqlApplicationStore(sql: Sql): ApplicationStore {
  const { db } = sql;
  return {
    insertDelivery(r: DeliveryRecord) {
      const { id, institution, recordedBy, recordedAt, ...items } = r;
      sql.run(
        db.insertInto('deliveries').values({
          id,
          institution,
          record: JSON.stringify(items),
          recorded_by: recordedBy,
          recorded_at: recordedAt,
        }),
      );
    },
    findDelivery(id) {
      const row = sql.get(db.selectFrom('deliveries').select(deliveryColumns).where('id', '=', id));
      return row ? deliveryOf(row) : null;
    },
    recentDeliveries: (institution, limit) =>
      sql
        .all(
          db
            .selectFrom('deliveries')
            .select(deliveryColumns)
            .where('institution', '=', institution)
            .orderBy('recorded_at', 'desc')
            .limit(limit),
        )
        .map(deliveryOf),
    // A birth has its certificate while an issue is under way or any version of it is valid or
    // revoked; after a void (printing or entry error) the delivery record may be issued again.
    deliveryIssued: (id) =>
      sql.get(
        db
          .selectFrom('applications as a')
          .select((eb) => eb.lit(1).as('issued'))
          .where('a.delivery_id', '=', id)
          .where((eb) =>
            eb.or([
              eb('a.status', '=', 'issuing'),
              eb.exists(
                eb
                  .selectFrom('certificates as c')
                  .innerJoin('certificates as v', 'v.lineage', 'c.lineage')
                  .select(eb.lit(1).as('one'))
                  .whereRef('c.certificate_no', '=', 'a.certificate_no')
                  .where('v.status', 'in', ['valid', 'revoked']),
              ),
            ]),
          )
          .limit(1),
      ) !== undefined,
    insertApplication(r) {
      sql.run(
        db.insertInto('applications').values({
          id: r.id,
          institution: r.institution,
          delivery_id: r.deliveryId,
          record: JSON.stringify(r.input),
          status: r.status,
          created_by: r.createdBy,
          created_at: r.createdAt,
        }),
      );
    },
    findApplication(id) {
      const row = sql.get(applications(db).where('a.id', '=', id));
      return row ? applicationOf(row) : null;
    },
  };
}
