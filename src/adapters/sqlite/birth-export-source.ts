import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { BirthExportSource, ExportColumn, ExportValue, Sha256 } from '../../domain/exports/birth-export.ts';

/** Each column of an export as SQL over `certificates c` (and 落户 `h`, as of @asOf). */
const columnSql: Record<ExportColumn, string> = {
  certificateNo: 'c.certificate_no',
  licenceId: 'c.licence_id',
  licenceVersion: 'c.version',
  newbornName: "json_extract(c.certificate, '$.newborn.name')",
  sex: 'c.sex',
  birthTime: 'c.birth_time',
  birthDate: "date(c.birth_time, '+8 hours')",
  weightGrams: "json_extract(c.certificate, '$.newborn.weightGrams')",
  lengthCm: "json_extract(c.certificate, '$.newborn.lengthCm')",
  gestationWeeks: "json_extract(c.certificate, '$.newborn.gestation.weeks')",
  gestationDays: "json_extract(c.certificate, '$.newborn.gestation.days')",
  health: "json_extract(c.certificate, '$.newborn.health')",
  birthPlaceDivision: 'c.division_code',
  birthPlaceCategory: "json_extract(c.certificate, '$.birthPlaceCategory')",
  institution: 'c.institution',
  issuerName: "json_extract(c.certificate, '$.issuer.name')",
  issueDate: "json_extract(c.certificate, '$.issueDate')",
  motherName: "json_extract(c.certificate, '$.mother.name')",
  motherAge: "json_extract(c.certificate, '$.mother.age')",
  motherNationality: "json_extract(c.certificate, '$.mother.nationality')",
  motherEthnicity: "json_extract(c.certificate, '$.mother.ethnicity')",
  householdRegistered: '(h.lineage IS NOT NULL)',
};

/**
 * Export rows from their own read-only connection: a long download holds a WAL read snapshot,
 * not the service's connection (better-sqlite3 allows no other statement on a connection while
 * an iterator is open). One statement, one snapshot; the connection closes when iteration ends,
 * early or not. Rows come in the register's insertion order: stable for a given snapshot.
 */
export function createSqliteBirthExportSource(file: string): BirthExportSource {
  return {
    *rows(query) {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      let rows: IterableIterator<ExportValue[]> | undefined;
      try {
        const select = query.columns.map((column) => columnSql[column]).join(', ');
        const statement = db
          .prepare<Record<string, string | null>, ExportValue[]>(
            `SELECT ${select}
               FROM certificates c
               LEFT JOIN household_registrations h ON h.lineage = c.lineage AND h.recorded_at <= @asOf
              WHERE c.issued_at <= @asOf AND (c.status = 'valid' OR c.status_changed_at > @asOf)
                AND date(c.birth_time, '+8 hours') >= @from AND date(c.birth_time, '+8 hours') < @to
                AND (@institution IS NULL OR c.institution = @institution)
                AND (@division IS NULL OR substr(c.division_code, 1, length(@division)) = @division)
              ORDER BY c.rowid`,
          )
          .raw(true);
        const asOf = query.asOf.replace('Z', '.999Z');
        rows = statement.iterate({
          asOf,
          from: query.from,
          to: query.to,
          institution: query.institution,
          division: query.divisionPrefix,
        });
        const booleanAt = query.columns.indexOf('householdRegistered');
        for (const row of rows) {
          if (booleanAt >= 0) row[booleanAt] = row[booleanAt] === 1;
          yield row;
        }
      } finally {
        // A receiver that hangs up ends the iteration early: the statement first, then its connection.
        rows?.return?.();
        db.close();
      }
    },
  };
}

/** The manifest's file digests. */
export function nodeSha256(): Sha256 {
  const hash = createHash('sha256');
  return {
    update(text) {
      hash.update(text, 'utf8');
    },
    hex: () => hash.digest('hex'),
  };
}
