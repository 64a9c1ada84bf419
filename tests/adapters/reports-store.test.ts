import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlReportsStore } from '../../src/adapters/sql/reports-store.ts';
import { sqliteSql } from '../../src/adapters/sql/sqlite-sql.ts';
import { openDatabase, type SqliteDatabase } from '../../src/adapters/sqlite/database.ts';
import { seedCertificates } from '../fixtures/seed-certificates.ts';

let dir: string;
let db: SqliteDatabase;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bc-reports-'));
  const file = path.join(dir, 'service.sqlite');
  const setup = openDatabase(file);
  setup
    .prepare(
      `INSERT INTO institutions (credit_code, name, division_code, created_at)
       VALUES ('124401064554012343', '广州市天河区示范妇幼保健院', '440106', '2025-01-01')`,
    )
    .run();
  // The row every seeded certificate copies: what matters here is its columns, not its JSON.
  setup
    .prepare(
      `INSERT INTO certificates (certificate_no, licence_id, lineage, version, institution, kind, status, certificate,
         licence, registration, signed_json, licence_digest, qr_text, pdf, mother_id_number, birth_time, sex,
         division_code, issued_at, issued_by)
       VALUES ('Q000000001', 'L1', 'l1', 1, '124401064554012343', 'first', 'valid', '{}', '{}', '{}', '{}', 'd', 'qr',
         X'', 'm', '2026-01-01T10:00:00+08:00', '1', '440106', '2026-01-02T00:00:00.000Z', 'x')`,
    )
    .run();
  setup.close();
  seedCertificates(file, 3000);
  db = openDatabase(file);
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The same counts by the plainest query there is: every valid row's China-time birth month. */
function byMonthPlainly(from: string, to: string) {
  return db
    .prepare<[string, string], { group: string; boys: number; girls: number }>(
      `SELECT substr(date(birth_time, '+8 hours'), 1, 7) AS "group", sum(sex = '1') AS boys, sum(sex = '2') AS girls
         FROM certificates WHERE status = 'valid' AND date(birth_time, '+8 hours') >= ? AND date(birth_time, '+8 hours') < ?
        GROUP BY 1 ORDER BY 1`,
    )
    .all(from, to);
}

describe('the reports store', () => {
  it('counts births by month one range at a time, the same as grouping every row', () => {
    const store = createSqlReportsStore(sqliteSql(db));
    const whole = store.sexCounts({ from: '2025-01-01', to: '2027-01-01' }, 'month', null);
    expect(whole).toHaveLength(24);
    expect(whole).toEqual(byMonthPlainly('2025-01-01', '2027-01-01'));
    // A period starting and ending inside months: the first and last months are partial.
    const partial = store.sexCounts({ from: '2025-01-15', to: '2025-03-10' }, 'month', null);
    expect(partial.map((r) => r.group)).toEqual(['2025-01', '2025-02', '2025-03']);
    expect(partial).toEqual(byMonthPlainly('2025-01-15', '2025-03-10'));
    // Over twenty years the grouped query answers, with the same figures.
    expect(store.sexCounts({ from: '1990-01-01', to: '2030-01-01' }, 'month', null)).toEqual(whole);
  });

  it('answers usage for every institution with the same figures as one institution at a time', () => {
    const store = createSqlReportsStore(sqliteSql(db));
    const period = { from: '2025-06-01', to: '2026-06-01' };
    const all = store.usageByInstitution(period);
    expect(all).toHaveLength(21);
    for (const { institution, name: _name, ...counts } of all) {
      expect(counts).toEqual(store.usage(period, institution));
    }
  });
});
