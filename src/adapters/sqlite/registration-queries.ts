import type { LifecycleStore } from '../../domain/lifecycle/ports.ts';
import type { CertificateRecord, HouseholdRegistration } from '../../domain/lifecycle/records.ts';
import type { SqliteDatabase } from './database.ts';

interface RegisterRow {
  certificate_no: string;
  status: CertificateRecord['status'];
  superseded_by: string | null;
  licence_id: string;
  licence_digest: string;
  registered: number;
}

const toRegisterEntry = (row: RegisterRow) => ({
  status: row.status,
  supersededBy: row.superseded_by,
  licenceId: row.licence_id,
  licenceDigest: row.licence_digest,
  householdRegistered: row.registered === 1,
});

/**
 * What verification and 落户 read and write: one certificate's register entry, the register
 * snapshot for offline bundles, and household registrations (kept per birth, not per version).
 */
export function createSqliteRegistrationQueries(
  db: SqliteDatabase,
): Pick<
  LifecycleStore,
  'registerEntry' | 'registerSnapshot' | 'findRegistration' | 'isChildIdRegistered' | 'insertRegistration'
> {
  const q = {
    registerEntry: db.prepare<[string], RegisterRow>(
      `SELECT c.certificate_no, c.status, c.superseded_by, c.licence_id, c.licence_digest,
              EXISTS (SELECT 1 FROM household_registrations h WHERE h.lineage = c.lineage) AS registered
         FROM certificates c WHERE c.certificate_no = ?`,
    ),
    registerSnapshot: db.prepare<[], RegisterRow>(
      `SELECT c.certificate_no, c.status, c.superseded_by, c.licence_id, c.licence_digest,
              EXISTS (SELECT 1 FROM household_registrations h WHERE h.lineage = c.lineage) AS registered
         FROM certificates c ORDER BY c.certificate_no`,
    ),
    registration: db.prepare<
      [string],
      {
        certificate_no: string;
        child_id_number: string;
        registered_on: string;
        police_unit: string;
        recorded_at: string;
      }
    >('SELECT * FROM household_registrations WHERE lineage = ?'),
    childRegistered: db.prepare<[string], { lineage: string }>(
      'SELECT lineage FROM household_registrations WHERE child_id_number = ?',
    ),
    insertRegistration: db.prepare(
      `INSERT INTO household_registrations (lineage, certificate_no, child_id_number, registered_on, police_unit, recorded_by, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
  };

  return {
    registerEntry(no) {
      const row = q.registerEntry.get(no);
      return row ? toRegisterEntry(row) : null;
    },
    registerSnapshot: () =>
      q.registerSnapshot.all().map((row) => ({ certificateNo: row.certificate_no, ...toRegisterEntry(row) })),

    findRegistration(lineage): HouseholdRegistration | null {
      const row = q.registration.get(lineage);
      if (!row) return null;
      return {
        certificateNo: row.certificate_no,
        childIdNumber: row.child_id_number,
        registeredOn: row.registered_on,
        policeUnit: row.police_unit,
        recordedAt: row.recorded_at,
      };
    },
    isChildIdRegistered: (id) => q.childRegistered.get(id) !== undefined,
    insertRegistration(lineage, r, by) {
      q.insertRegistration.run(
        lineage,
        r.certificateNo,
        r.childIdNumber,
        r.registeredOn,
        r.policeUnit,
        by,
        r.recordedAt,
      );
    },
  };
}
