import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { listMigrations, migrationsDirOf } from '../../src/adapters/migration-files.ts';
import { postgresSql } from '../../src/adapters/postgres/postgres-sql.ts';
import { createSqlCertificateRegister, undigestedPdfs } from '../../src/adapters/sql/certificate-register.ts';
import { migrateSchema } from '../../src/adapters/sql/migrate.ts';
import { compiled, type Sql } from '../../src/adapters/sql/sql.ts';
import { sqliteSql } from '../../src/adapters/sql/sqlite-sql.ts';
import { copyOfDatabase, statements, testEngine } from '../storage-kit.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/** An empty database of the test engine, no migration applied yet. */
async function emptyDatabase(): Promise<Sql> {
  let connection: Sql;
  if (testEngine === 'postgres') connection = postgresSql(await copyOfDatabase('template0'));
  else {
    // As the service opens SQLite: foreign keys enforced.
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    connection = sqliteSql(db);
  }
  opened.push(connection);
  return connection;
}

let sql: Sql;
/** Each test's connection, closed once after it (also when the test failed before using it). */
const opened: Sql[] = [];
afterEach(() => {
  for (const connection of opened.splice(0)) connection.close();
});

/** The columns of `table` that a row must give: NOT NULL and without a default. */
function requiredColumns(table: string): string[] {
  const db = statements(sql);
  if (sql.engine === 'sqlite') {
    return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; notnull: number; dflt_value: unknown }[])
      .filter((c) => c.notnull === 1 && c.dflt_value === null)
      .map((c) => c.name);
  }
  return db
    .prepare(
      `SELECT column_name FROM information_schema.columns
        WHERE table_name = ? AND is_nullable = 'NO' AND column_default IS NULL`,
    )
    .pluck()
    .all(table) as string[];
}

/** A row of `table` as migration 023 left it: each required column given a value unless `values` has one. */
function insertRow(table: string, values: Record<string, unknown>) {
  const row = { ...Object.fromEntries(requiredColumns(table).map((c) => [c, `${c} of the test`])), ...values };
  const names = Object.keys(row);
  statements(sql)
    .prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`)
    .run(...Object.values(row));
}

function insertCertificate(no: string, pdf: string, digest: string | null, backfilled: 0 | 1) {
  insertRow('certificates', {
    certificate_no: no,
    licence_id: `licence of ${no}`,
    lineage: no,
    version: 1,
    institution: 'X',
    application_id: null,
    kind: 'first',
    status: 'valid',
    sex: '1',
    birth_time: '2026-11-20T10:20+08:00',
    issued_at: '2026-11-21T02:00:00.000Z',
    division_code: '440106',
    pdf: Buffer.from(pdf),
    pdf_sha256: digest,
    backfilled,
  });
}

it(`migration 024 moves each issued PDF to certificate_pdfs, byte for byte, and the register reads them there (${testEngine})`, async () => {
  sql = await emptyDatabase();
  const all = listMigrations(migrationsDirOf(sql.engine));
  migrateSchema(
    sql,
    all.filter((m) => m.version < 24),
  );
  insertRow('institutions', { credit_code: 'X', division_code: '440106' });
  insertCertificate('A000000001', '%PDF-issued', sha256('%PDF-issued'), 0);
  // Back-issued, its PDF not rendered yet: the empty blob before this migration.
  insertCertificate('A000000002', '', null, 1);
  // Issued before migration 004 kept digests: its digest is still to be filled in.
  insertCertificate('A000000003', '%PDF-old', null, 0);

  expect(migrateSchema(sql, all)).toEqual([24]);
  const db = statements(sql);
  const columnsOf = (table: string) =>
    db
      .prepare(
        sql.engine === 'sqlite'
          ? 'SELECT name FROM pragma_table_info(?) ORDER BY cid'
          : 'SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position',
      )
      .pluck()
      .all(table);
  if (sql.engine === 'sqlite') expect(db.prepare('PRAGMA foreign_key_check(certificate_pdfs)').all()).toEqual([]);
  expect(columnsOf('certificates')).not.toContain('pdf');
  expect(columnsOf('certificate_pdfs')).toEqual(['certificate_no', 'pdf']);
  const stored = db.prepare('SELECT certificate_no, pdf FROM certificate_pdfs ORDER BY certificate_no').all() as {
    certificate_no: string;
    pdf: Uint8Array;
  }[];
  expect(stored.map((r) => [r.certificate_no, Buffer.from(r.pdf).toString()])).toEqual([
    ['A000000001', '%PDF-issued'],
    ['A000000003', '%PDF-old'],
  ]);

  // Only the row older than digests is waiting for one, and the register fills it in at start.
  const waiting = () => sql.all(undigestedPdfs(sql, 200)).map((r) => r.certificate_no);
  expect(waiting()).toEqual(['A000000003']);
  const register = createSqlCertificateRegister(sql);
  expect(waiting()).toEqual([]);
  expect(db.prepare('SELECT certificate_no, pdf_sha256 FROM certificates ORDER BY certificate_no').all()).toEqual([
    { certificate_no: 'A000000001', pdf_sha256: sha256('%PDF-issued') },
    { certificate_no: 'A000000002', pdf_sha256: null },
    { certificate_no: 'A000000003', pdf_sha256: sha256('%PDF-old') },
  ]);

  expect(Buffer.from(register.pdf('A000000001')!).toString()).toBe('%PDF-issued');
  expect(register.pdf('A000000002')).toBeNull();
  // The back-issued certificate's first PDF is kept, with its digest; a second does not replace it.
  expect(register.storePdf('A000000002', Buffer.from('%PDF-first'))).toBe(true);
  expect(register.storePdf('A000000002', Buffer.from('%PDF-second'))).toBe(false);
  expect(register.storePdf('A000000009', Buffer.from('%PDF-nobody'))).toBe(false);
  expect(Buffer.from(register.pdf('A000000002')!).toString()).toBe('%PDF-first');
  expect(db.prepare('SELECT pdf_sha256 FROM certificates WHERE certificate_no = ?').pluck().get('A000000002')).toBe(
    sha256('%PDF-first'),
  );
});

it(`looks for digests still to fill in through the partial index, not through the whole register (${testEngine})`, async () => {
  sql = await emptyDatabase();
  migrateSchema(sql);
  const { sql: text, parameters } = compiled(undigestedPdfs(sql, 200), sql.db);
  const db = statements(sql);
  if (sql.engine === 'sqlite') {
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...parameters) as { detail: string }[];
    // The partial index holds only the rows waiting for a digest: walking it is walking just those.
    expect(plan[0]?.detail).toBe('SCAN c USING INDEX certificates_pdf_undigested');
  } else {
    // An empty table is cheapest to read whole; with that made dear, the plan shows whether the
    // index can serve the query at all (its predicate implied by the query's own text).
    sql.exec('SET enable_seqscan = off');
    const plan = db.prepare(`EXPLAIN ${text}`).all(...parameters) as { 'QUERY PLAN': string }[];
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain('certificates_pdf_undigested');
  }
});
