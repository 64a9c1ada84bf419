import { CompiledQuery } from 'kysely';
import type { StoredBackfillRow } from '../../domain/lifecycle/backfill.ts';
import type { CertificateRecord } from '../../domain/lifecycle/records.ts';
import { certificateRowOf } from '../sql/certificate-register.ts';
import type { Sql } from '../sql/sql.ts';

/*
 * A back-issued certificate's row in `certificates`, as the register's `insertBackfilled` writes
 * it (the same columns, the same JSON), split in two: `storedBackfillRow` serialises the record on
 * the worker thread that signed it, and the committing thread's writer only binds the flat row
 * and steps. On the main thread — whose serial work bounds the run — the register's insert spent
 * as much on turning nested records into columns (after structured-cloning them over from the
 * worker) as on SQLite itself. tests/unit/backfill-rows.test.ts checks the two write the same row.
 */

/** A back-issued record's columns, as the register makes them for its own insert. */
export function storedBackfillRow(r: CertificateRecord): StoredBackfillRow {
  return Object.values(certificateRowOf(r));
}

/** The column names, in the order `storedBackfillRow` gives the values (the register's row's key order). */
const COLUMNS = Object.keys(certificateRowOf(sampleRecord()));

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

/** A record whose row is made once, only for its column names (certificateRowOf reads these fields). */
function sampleRecord(): CertificateRecord {
  return {
    householdRegisteredAtReissue: null,
    certificate: { mother: {}, newborn: {}, birthPlace: {} },
  } as unknown as CertificateRecord;
}
