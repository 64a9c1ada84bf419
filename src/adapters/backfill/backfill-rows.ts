import { CompiledQuery } from 'kysely';
import type { StoredBackfillRow } from '../../domain/lifecycle/backfill.ts';
import type { CertificateRecord } from '../../domain/lifecycle/records.ts';
import { backfilledRowOf, insertJwsHeader } from '../sql/certificate-register.ts';
import type { Sql } from '../sql/sql.ts';

/*
 * A back-issued certificate's row in `certificates`, as the register's `insertBackfilled` writes
 * it (the same columns, the same JSON, the signature header stored once: migration 023), split
 * in two: `storedBackfillRow` serialises the record on the worker thread that signed it, and the
 * committing thread's writer only binds the flat row and steps. On the main thread — whose serial
 * work bounds the run — the register's insert spent as much on turning nested records into
 * columns (after structured-cloning them over from the worker) as on SQLite itself.
 * tests/unit/backfill-rows.test.ts checks the two write the same rows.
 */

/**
 * The shared headers this thread has handed over with a row already (bounded: a run has one per
 * key and signing second). A thread's batches commit in input order, so a later row naming one
 * finds it stored; if it were not, the reference would fail the commit (a foreign key), never
 * dangle.
 */
const headersHandedOver = new Set<string>();
const MAX_HEADERS_REMEMBERED = 10_000;

/** A back-issued record's columns, as the register makes them for its own insert, and its shared header the first time. */
export function storedBackfillRow(r: CertificateRecord): StoredBackfillRow {
  const { row, header } = backfilledRowOf(r);
  const values = Object.values(row);
  if (!header || headersHandedOver.has(header.digest)) return { values };
  if (headersHandedOver.size >= MAX_HEADERS_REMEMBERED) headersHandedOver.clear();
  headersHandedOver.add(header.digest);
  return { values, shared: [header.digest, header.protected] };
}

/** The column names, in the order `storedBackfillRow` gives the values (the register's row's key order). */
const COLUMNS = Object.keys(backfilledRowOf(sampleRecord()).row);

/** Inserts rows made by `storedBackfillRow`, marked back-issued, without a PDF yet. */
export function createBackfillRowWriter(sql: Sql): { insert(row: StoredBackfillRow): void } {
  // One statement text, parameters in COLUMNS' order ($n on PostgreSQL), prepared once per connection.
  const placeholders = COLUMNS.map((_, i) => (sql.engine === 'postgres' ? `$${i + 1}` : '?'));
  const text = `INSERT INTO certificates (${COLUMNS.join(', ')}, pdf, pdf_sha256, backfilled)
     VALUES (${placeholders.join(', ')}, ${sql.engine === 'postgres' ? "''::bytea" : "X''"}, NULL, 1)`;
  return {
    insert({ values, shared }) {
      if (values.length !== COLUMNS.length) throw new Error(`A stored back-issuance row has ${values.length} columns`);
      if (shared) {
        const [digest, header] = shared;
        if (typeof digest !== 'string' || typeof header !== 'string') throw new Error('A shared header is two strings');
        insertJwsHeader(sql, { digest, protected: header });
      }
      sql.run(CompiledQuery.raw(text, [...values]));
    },
  };
}

/** A record whose row is made once, only for its column names (certificateRowOf reads these fields). */
function sampleRecord(): CertificateRecord {
  return {
    householdRegisteredAtReissue: null,
    signedJson: '{}',
    certificate: { mother: {}, newborn: {}, birthPlace: {} },
  } as unknown as CertificateRecord;
}
