import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { createSqlCertificateRegister, undigestedPdfs } from '../../src/adapters/sql/certificate-register.ts';
import { compiled } from '../../src/adapters/sql/sql.ts';
import { sqliteSql } from '../../src/adapters/sql/sqlite-sql.ts';
import { listSqliteMigrations, migrate } from '../../src/adapters/sqlite/database.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/** A row of `table` as migration 023 left it: every NOT NULL column without a default given a value. */
function insertRow(db: Database.Database, table: string, values: Record<string, unknown>) {
  const required = db
    .prepare<[], { name: string; notnull: number; dflt_value: unknown }>(`PRAGMA table_info(${table})`)
    .all()
    .filter((c) => c.notnull === 1 && c.dflt_value === null);
  const row = { ...Object.fromEntries(required.map((c) => [c.name, `${c.name} of the test`])), ...values };
  const names = Object.keys(row);
  db.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(
    ...Object.values(row),
  );
}

function insertCertificate(db: Database.Database, no: string, pdf: string, digest: string | null, backfilled: 0 | 1) {
  insertRow(db, 'certificates', {
    certificate_no: no,
    licence_id: `licence of ${no}`,
    lineage: no,
    version: 1,
    institution: 'X',
    application_id: null,
    kind: 'first',
    status: 'valid',
    sex: '1',
    pdf: Buffer.from(pdf),
    pdf_sha256: digest,
    backfilled,
  });
}

it('migration 024 moves each issued PDF to certificate_pdfs, byte for byte, and the register reads them there', () => {
  const db = new Database(':memory:');
  const all = listSqliteMigrations();
  migrate(
    db,
    all.filter((m) => m.version < 24),
  );
  insertRow(db, 'institutions', { credit_code: 'X', division_code: '440106' });
  insertCertificate(db, 'A000000001', '%PDF-issued', sha256('%PDF-issued'), 0);
  // Back-issued, its PDF not rendered yet: the empty blob before this migration.
  insertCertificate(db, 'A000000002', '', null, 1);
  // Issued before migration 004 kept digests: its digest is still to be filled in.
  insertCertificate(db, 'A000000003', '%PDF-old', null, 0);

  expect(migrate(db, all)).toEqual([24]);
  const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck();
  expect(columns.all('certificates')).not.toContain('pdf');
  expect(columns.all('certificate_pdfs')).toEqual(['certificate_no', 'pdf']);
  expect(
    db
      .prepare<[], { certificate_no: string; pdf: Buffer }>(
        'SELECT certificate_no, pdf FROM certificate_pdfs ORDER BY 1',
      )
      .all()
      .map((r) => [r.certificate_no, r.pdf.toString()]),
  ).toEqual([
    ['A000000001', '%PDF-issued'],
    ['A000000003', '%PDF-old'],
  ]);
  expect(db.prepare('PRAGMA foreign_key_check(certificate_pdfs)').all()).toEqual([]);

  // Only the row older than digests is waiting for one, and the register fills it in at start.
  const sql = sqliteSql(db);
  expect(
    db
      .prepare(
        'SELECT certificate_no FROM certificates INDEXED BY certificates_pdf_undigested WHERE pdf_sha256 IS NULL AND backfilled = 0',
      )
      .pluck()
      .all(),
  ).toEqual(['A000000003']);
  const register = createSqlCertificateRegister(sql);
  const digests = db.prepare('SELECT certificate_no, pdf_sha256 FROM certificates ORDER BY 1').raw().all();
  expect(digests).toEqual([
    ['A000000001', sha256('%PDF-issued')],
    ['A000000002', null],
    ['A000000003', sha256('%PDF-old')],
  ]);
  expect(
    db
      .prepare(
        'SELECT count(*) FROM certificates INDEXED BY certificates_pdf_undigested WHERE pdf_sha256 IS NULL AND backfilled = 0',
      )
      .pluck()
      .get(),
  ).toBe(0);

  expect(Buffer.from(register.pdf('A000000001')!).toString()).toBe('%PDF-issued');
  expect(register.pdf('A000000002')).toBeNull();
  // The back-issued certificate's first PDF is kept, with its digest; a second does not replace it.
  expect(register.storePdf('A000000002', Buffer.from('%PDF-first'))).toBe(true);
  expect(register.storePdf('A000000002', Buffer.from('%PDF-second'))).toBe(false);
  expect(register.storePdf('A000000009', Buffer.from('%PDF-nobody'))).toBe(false);
  expect(Buffer.from(register.pdf('A000000002')!).toString()).toBe('%PDF-first');
  expect(db.prepare("SELECT pdf_sha256 FROM certificates WHERE certificate_no = 'A000000002'").pluck().get()).toBe(
    sha256('%PDF-first'),
  );
});

it('looks for digests still to fill in through the partial index, not through the whole register', () => {
  const db = new Database(':memory:');
  migrate(db);
  const sql = sqliteSql(db);
  const { sql: text, parameters } = compiled(undigestedPdfs(sql, 200), sql.db);
  const plan = db
    .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${text}`)
    .all(...parameters)
    .map((row) => row.detail);
  // The partial index holds only the rows waiting for a digest: walking it is walking just those.
  expect(plan[0]).toBe('SCAN c USING INDEX certificates_pdf_undigested');
});
