import { CompiledQuery } from 'kysely';
import type { StoredBackfillRow } from '../../domain/lifecycle/backfill.ts';
import type { CertificateRecord } from '../../domain/lifecycle/records.ts';
import { backfilledRowOf } from '../sql/certificate-register.ts';
import { insertJwsHeader } from '../sql/shared-jws-headers.ts';
import type { Sql } from '../sql/sql.ts';

/*
 * A back-issued certificate's row in `certificates`, as the register's `insertBackfilled` writes
 * it (the same columns, the same JSON, the signature header stored once: migration 023), split
 * in two: `storedBackfillRows` serialises the records on the worker thread that signed them, and the
 * committing thread's writer only binds the flat row and steps. On the main thread — whose serial
 * work bounds the run — the register's insert spent as much on turning nested records into
 * columns (after structured-cloning them over from the worker) as on SQLite itself.
 * tests/unit/backfill-rows.test.ts checks the two write the same rows.
 */

/**
 * A batch's records' columns, as the register makes them for its own insert; the first row of
 * the batch with a shared header carries its text (the rest name it). Per batch, not per thread:
 * a batch brings what its rows need whatever was committed or failed before it (~1.6 KB a batch).
 */
export function storedBackfillRows(records: readonly CertificateRecord[]): StoredBackfillRow[] {
  const handedOver = new Set<string>();
  return records.map((r) => {
    const { row, header } = backfilledRowOf(r);
    const values = Object.values(row);
    if (!header || handedOver.has(header.digest)) return { values };
    handedOver.add(header.digest);
    return { values, shared: [header.digest, header.protected] };
  });
}

/** The column names, in the order `storedBackfillRows` gives the values (the register's row's key order). */
const COLUMNS = Object.keys(backfilledRowOf(sampleRecord()).row);

/** Inserts rows made by `storedBackfillRows`, marked back-issued, without a PDF yet. */
export function createBackfillRowWriter(sql: Sql): { insert(row: StoredBackfillRow): void } {
  // One statement text, parameters in COLUMNS' order ($n on PostgreSQL), prepared once per connection.
  const placeholders = COLUMNS.map((_, i) => (sql.engine === 'postgres' ? `$${i + 1}` : '?'));
  const text = `INSERT INTO certificates (${COLUMNS.join(', ')}, pdf_sha256, backfilled)
     VALUES (${placeholders.join(', ')}, NULL, 1)`;
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
