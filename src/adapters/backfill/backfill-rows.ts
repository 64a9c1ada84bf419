import { CompiledQuery } from 'kysely';
import type { StoredBackfillRow } from '../../domain/lifecycle/backfill.ts';
import type { CertificateRecord } from '../../domain/lifecycle/records.ts';
import type { Sql } from '../sql/sql.ts';

/*
 * A back-issued certificate's row in `certificates`, as the register's `insertBackfilled` writes
 * it (the same columns, the same JSON), split in two: `storedBackfillRow` serialises the record on
 * the worker thread that signed it, and the committing thread's writer only binds the flat row
 * and steps. On the main thread — whose serial work bounds the run — the register's insert spent
 * as much on turning nested records into columns (after structured-cloning them over from the
 * worker) as on SQLite itself. tests/unit/backfill-rows.test.ts checks the two write the same row.
 */

/** The columns in the order `storedBackfillRow` gives them; the PDF is the empty blob until its first download. */
const COLUMNS = [
  'certificate_no',
  'licence_id',
  'lineage',
  'version',
  'institution',
  'application_id',
  'kind',
  'status',
  'status_reason',
  'status_note',
  'status_changed_at',
  'supersedes',
  'superseded_by',
  'change_reason',
  'child_registered',
  'certificate',
  'licence',
  'registration',
  'signed_json',
  'licence_digest',
  'qr_text',
  'issued_at',
  'issued_by',
  'mother_id_number',
  'birth_time',
  'sex',
  'division_code',
] as const;

export function storedBackfillRow(r: CertificateRecord): StoredBackfillRow {
  return [
    r.certificateNo,
    r.licenceId,
    r.lineage,
    r.version,
    r.institution,
    r.applicationId,
    r.kind,
    r.status,
    r.statusReason,
    r.statusNote,
    r.statusChangedAt,
    r.supersedes,
    r.supersededBy,
    r.changeReason,
    r.householdRegisteredAtReissue === null ? null : Number(r.householdRegisteredAtReissue),
    JSON.stringify(r.certificate),
    JSON.stringify(r.licence),
    JSON.stringify(r.registrationItems),
    r.signedJson,
    r.licenceDigest,
    r.qrText,
    r.issuedAt,
    r.issuedBy,
    r.certificate.mother.idNumber,
    r.certificate.newborn.birthTime,
    r.certificate.newborn.sex,
    r.certificate.birthPlace.divisionCode,
  ];
}

/** Inserts rows made by `storedBackfillRow`, marked back-issued, without a PDF yet. */
export function createBackfillRowWriter(sql: Sql): { insert(row: StoredBackfillRow): void } {
  // One statement text, parameters in COLUMNS' order ($n on PostgreSQL), prepared once per connection.
  const placeholders = COLUMNS.map((_, i) => (sql.engine === 'postgres' ? `$${i + 1}` : '?'));
  const text = `INSERT INTO certificates (${COLUMNS.join(', ')}, pdf, pdf_sha256, backfilled)
     VALUES (${placeholders.join(', ')}, ${sql.engine === 'postgres' ? "''::bytea" : "X''"}, NULL, 1)`;
  return {
    insert(row) {
      if (row.length !== COLUMNS.length) throw new Error(`A stored back-issuance row has ${row.length} columns`);
      sql.run(CompiledQuery.raw(text, [...row]));
    },
  };
}
