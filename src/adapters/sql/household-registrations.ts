import type { HouseholdRegistrationStore } from '../../domain/lifecycle/ports.ts';
import type { HouseholdRegistration } from '../../domain/lifecycle/records.ts';
import type { Sql } from './sql.ts';

/** 落户, kept per birth (lineage), not per version of its certificate. */
export function createSqlHouseholdRegistrations(sql: Sql): HouseholdRegistrationStore {
  const { db } = sql;
  return {
    find(lineage): HouseholdRegistration | null {
      const row = sql.get(
        db
          .selectFrom('household_registrations')
          .select([
            'certificate_no',
            'child_id_number',
            'registered_on',
            'police_unit',
            'recorded_at',
            'registered_name',
            'name_differs',
            'household_division_code',
            'household_address',
          ])
          .where('lineage', '=', lineage),
      );
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
    holdsChildIdNumber: (id) =>
      sql.get(
        db
          .selectFrom('household_registrations')
          .select((eb) => eb.lit(1).as('held'))
          .where('child_id_number', '=', id),
      ) !== undefined,
    insert(lineage, r, by) {
      sql.run(
        db.insertInto('household_registrations').values({
          lineage,
          certificate_no: r.certificateNo,
          child_id_number: r.childIdNumber,
          registered_on: r.registeredOn,
          police_unit: r.policeUnit,
          recorded_by: by,
          recorded_at: r.recordedAt,
          registered_name: r.registeredName,
          name_differs: r.nameDiffers ? 1 : 0,
          household_division_code: r.householdPlace?.divisionCode ?? null,
          household_address: r.householdPlace?.address ?? null,
        }),
      );
    },
  };
}
