import { createHash } from 'node:crypto';
import { type RawBuilder, sql as raw } from 'kysely';
import type { BirthExportSource, ExportColumn, ExportValue, Sha256 } from '../../domain/exports/birth-export.ts';
import { openReadOnlyDatabase } from '../backfill/read-only-database.ts';
import { postgresSql } from '../postgres/postgres-sql.ts';
import type { Engine, Sql } from './sql.ts';
import { sqliteConnectionOf, sqliteSql } from './sqlite-sql.ts';

/** A value of the certificate's JSON at `path`, as the JSON value it is (number, string, null). */
function jsonAt(engine: Engine, path: string[]): RawBuilder<ExportValue> {
  // SQLite's json_extract gives the SQL value of the JSON value; PostgreSQL's #> gives json,
  // which the driver parses to the same JS value (#>> would make every value text).
  return engine === 'sqlite'
    ? raw`json_extract(c.certificate, ${raw.lit(`$.${path.join('.')}`)})`
    : raw`c.certificate::json #> ${raw.lit(`{${path.join(',')}}`)}`;
}

/** The China-time day of the birth, as migration 012 indexes it on each engine (see reports-store.ts). */
const birthDayOf = (engine: Engine): RawBuilder<string> =>
  engine === 'sqlite' ? raw`date(c.birth_time, '+8 hours')` : raw`china_day(c.birth_time)`;

/** Each column of an export as SQL over `certificates c` (and 落户 `h`, as of the export's asOf). */
function columnOf(engine: Engine, column: ExportColumn): RawBuilder<ExportValue> {
  const json = (...path: string[]) => jsonAt(engine, path);
  switch (column) {
    case 'certificateNo':
      return raw`c.certificate_no`;
    case 'licenceId':
      return raw`c.licence_id`;
    case 'licenceVersion':
      return raw`c.version`;
    case 'newbornName':
      return json('newborn', 'name');
    case 'sex':
      return raw`c.sex`;
    case 'birthTime':
      return raw`c.birth_time`;
    case 'birthDate':
      return birthDayOf(engine);
    case 'weightGrams':
      return json('newborn', 'weightGrams');
    case 'lengthCm':
      return json('newborn', 'lengthCm');
    case 'gestationWeeks':
      return json('newborn', 'gestation', 'weeks');
    case 'gestationDays':
      return json('newborn', 'gestation', 'days');
    case 'health':
      return json('newborn', 'health');
    case 'birthPlaceDivision':
      return raw`c.division_code`;
    case 'birthPlaceCategory':
      return json('birthPlaceCategory');
    case 'institution':
      return raw`c.institution`;
    case 'issuerName':
      return json('issuer', 'name');
    case 'issueDate':
      return json('issueDate');
    case 'motherName':
      return json('mother', 'name');
    case 'motherAge':
      return json('mother', 'age');
    case 'motherNationality':
      return json('mother', 'nationality');
    case 'motherEthnicity':
      return json('mother', 'ethnicity');
    case 'householdRegistered':
      // 1/0 on both engines (a comparison is a boolean in PostgreSQL); made a boolean below.
      return raw`CASE WHEN h.lineage IS NULL THEN 0 ELSE 1 END`;
  }
}

/** Rows fetched at a time on PostgreSQL, whose connection hands over whole results. */
const PAGE_ROWS = 1000;

/**
 * Export rows from a connection of their own (`openReader`): a long download holds a read
 * snapshot, not the service's connection (better-sqlite3 allows no other statement on a
 * connection while an iterator is open; the PostgreSQL connection runs one statement at a time
 * for every request). Each call is one snapshot: on SQLite one statement, streamed, in the
 * register's insertion order; on PostgreSQL a REPEATABLE READ READ ONLY transaction read in pages
 * by certificate number (it has no insertion order). The connection closes when iteration ends,
 * early or not.
 */
export function createSqlBirthExportSource(openReader: () => Sql): BirthExportSource {
  return {
    *rows(query) {
      const reader = openReader();
      const { db, engine } = reader;
      try {
        const asOf = query.asOf.replace('Z', '.999Z');
        const birthDay = birthDayOf(engine);
        const select = query.columns.map((column, i) => columnOf(engine, column).as(`c${i}`));
        let rows = db
          .selectFrom('certificates as c')
          .leftJoin('household_registrations as h', (join) =>
            join.onRef('h.lineage', '=', 'c.lineage').on('h.recorded_at', '<=', asOf),
          )
          .select(select)
          .where('c.issued_at', '<=', asOf)
          .where((eb) => eb.or([eb('c.status', '=', 'valid'), eb('c.status_changed_at', '>', asOf)]))
          .where(birthDay, '>=', query.from)
          .where(birthDay, '<', query.to);
        if (query.institution !== null) rows = rows.where('c.institution', '=', query.institution);
        if (query.divisionPrefix !== null) {
          const prefix = query.divisionPrefix;
          rows = rows.where(
            (eb) => eb.fn('substr', ['c.division_code', eb.lit(1), eb.val(prefix.length)]),
            '=',
            prefix,
          );
        }
        const booleanAt = query.columns.indexOf('householdRegistered');
        const toValues = (row: Record<string, ExportValue>): ExportValue[] => {
          const values = query.columns.map((_, i) => row[`c${i}`] ?? null);
          if (booleanAt >= 0) values[booleanAt] = values[booleanAt] === 1;
          return values;
        };
        if (engine === 'sqlite') {
          const iterator = reader.iterate(rows.orderBy(raw`c.rowid`));
          try {
            for (const row of iterator) yield toValues(row);
          } finally {
            // A receiver that hangs up ends the iteration early: the statement first, then its connection.
            iterator.return?.();
          }
          return;
        }
        reader.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const page = rows.select('c.certificate_no as after').orderBy('c.certificate_no').limit(PAGE_ROWS);
        let after = '';
        for (;;) {
          const batch = reader.all(page.where('c.certificate_no', '>', after));
          for (const { after: _, ...row } of batch) yield toValues(row);
          if (batch.length < PAGE_ROWS) break;
          after = batch[batch.length - 1]!.after;
        }
      } finally {
        reader.close();
      }
    },
  };
}

/**
 * Opens connections of their own to the database of `sql`, for createSqlBirthExportSource: a
 * read-only one to the same SQLite file, or a new one to the PostgreSQL database at `databaseUrl`.
 */
export function exportReaders(sql: Sql, databaseUrl: string | undefined): () => Sql {
  if (sql.engine === 'sqlite') {
    const file = sqliteConnectionOf(sql).name;
    return () => sqliteSql(openReadOnlyDatabase(file));
  }
  if (!databaseUrl) throw new Error('the PostgreSQL export reader needs DATABASE_URL');
  return () => postgresSql(databaseUrl);
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
