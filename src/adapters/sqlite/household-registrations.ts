import type { HouseholdRegistrationStore } from '../../domain/lifecycle/ports.ts';
import type { HouseholdRegistration } from '../../domain/lifecycle/records.ts';
import type { SqliteDatabase } from './database.ts';

interface HouseholdRow {
  certificate_no: string;
  child_id_number: string;
  registered_on: string;
  police_unit: string;
  recorded_at: string;
  registered_name: string | null;
  name_differs: number;
  household_division_code: string | null;
  household_address: string | null;
}

/** 落户, kept per birth (lineage), not per version of its certificate. */
export function createSqliteHouseholdRegistrations(db: SqliteDatabase): HouseholdRegistrationStore {
  const q = {
    find: db.prepare<[string], HouseholdRow>('SELECT * FROM household_registrations WHERE lineage = ?'),
    byChildId: db.prepare('SELECT 1 FROM household_registrations WHERE child_id_number = ?').pluck(),
    insert: db.prepare(
      `INSERT INTO household_registrations (lineage, certificate_no, child_id_number, registered_on, police_unit,
         recorded_by, recorded_at, registered_name, name_differs, household_division_code, household_address)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
  return {
    find(lineage): HouseholdRegistration | null {
      const row = q.find.get(lineage);
      if (!row) return null;
      return {
        certificateNo: row.certificate_no,
        childIdNumber: row.child_id_number,
        registeredOn: row.registered_on,
        policeUnit: row.police_unit,
        recordedAt: row.recorded_at,
        registeredName: row.registered_name,
        nameDiffers: row.name_differs === 1,
        householdPlace:
          row.household_division_code !== null && row.household_address !== null
            ? { divisionCode: row.household_division_code, address: row.household_address }
            : null,
      };
    },
    holdsChildIdNumber: (id) => q.byChildId.get(id) !== undefined,
    insert(lineage, r, by) {
      q.insert.run(
        lineage,
        r.certificateNo,
        r.childIdNumber,
        r.registeredOn,
        r.policeUnit,
        by,
        r.recordedAt,
        r.registeredName,
        r.nameDiffers ? 1 : 0,
        r.householdPlace?.divisionCode ?? null,
        r.householdPlace?.address ?? null,
      );
    },
  };
}
