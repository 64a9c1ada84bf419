import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSql } from '../../src/adapters/postgres/postgres-sql.ts';
import { createSqlBirthExportSource, exportReaders } from '../../src/adapters/sql/birth-export-source.ts';
import type { Sql } from '../../src/adapters/sql/sql.ts';
import { sqliteSql } from '../../src/adapters/sql/sqlite-sql.ts';
import { openDatabase } from '../../src/adapters/sqlite/database.ts';
import type { BirthExportSource, ExportColumn, ExportQuery } from '../../src/domain/exports/birth-export.ts';
import { copyOfDatabase, PG_TEMPLATE, testEngine } from '../storage-kit.ts';

const GZ = '124401064554012343';
const BJ = '12110105400000567X';

const columns: ExportColumn[] = [
  'certificateNo',
  'licenceId',
  'licenceVersion',
  'newbornName',
  'sex',
  'birthTime',
  'birthDate',
  'weightGrams',
  'lengthCm',
  'gestationWeeks',
  'gestationDays',
  'health',
  'birthPlaceDivision',
  'birthPlaceCategory',
  'institution',
  'issuerName',
  'issueDate',
  'motherName',
  'motherAge',
  'motherNationality',
  'motherEthnicity',
  'householdRegistered',
];

interface Birth {
  no: string;
  institution: string;
  division: string;
  birthTime: string;
  issuedAt: string;
  status?: 'valid' | 'void';
  changedAt?: string;
  name?: string;
}

const certificateOf = (b: Birth) => ({
  certificateNo: b.no,
  newborn: {
    name: b.name ?? '𠮷祥',
    sex: '1',
    birthTime: b.birthTime,
    weightGrams: 3250,
    lengthCm: 50.5,
    gestation: { weeks: 39, days: 2 },
    health: '良好',
  },
  birthPlaceCategory: '1',
  issuer: { name: '广州市天河区示范妇幼保健院' },
  issueDate: b.issuedAt.slice(0, 10),
  mother: { name: '阿依古丽·买买提', age: 29, nationality: 'CHN', ethnicity: '05' },
});

function seed(sql: Sql, births: Birth[], registered: { no: string; at: string }[]) {
  const { db } = sql;
  sql.transaction(() => {
    for (const [code, division] of [
      [GZ, '440106'],
      [BJ, '110105'],
    ] as const) {
      sql.run(
        db.insertInto('institutions').values({
          credit_code: code,
          name: `医院 ${code}`,
          division_code: division,
          created_at: '2025-01-01T00:00:00.000Z',
        }),
      );
    }
    for (const b of births) {
      sql.run(
        db.insertInto('certificates').values({
          certificate_no: b.no,
          licence_id: `L-${b.no}`,
          lineage: `lineage-${b.no}`,
          version: 1,
          institution: b.institution,
          kind: 'first',
          status: b.status ?? 'valid',
          status_reason: b.status === 'void' ? 'PRINT_ERROR' : null,
          status_changed_at: b.changedAt ?? null,
          certificate: JSON.stringify(certificateOf(b)),
          licence: '{}',
          registration: '{}',
          signed_json: '{}',
          licence_digest: 'd',
          qr_text: 'qr',
          mother_id_number: 'm',
          birth_time: b.birthTime,
          sex: '1',
          division_code: b.division,
          issued_at: b.issuedAt,
          issued_by: 'issuer',
        }),
      );
    }
    registered.forEach(({ no, at }, i) => {
      sql.run(
        db.insertInto('household_registrations').values({
          lineage: `lineage-${no}`,
          certificate_no: no,
          child_id_number: `child-${i}`,
          registered_on: at.slice(0, 10),
          police_unit: '天河南派出所',
          recorded_by: 'police',
          recorded_at: at,
        }),
      );
    });
  });
}

/** A database of the test engine the test seeds, and export readers of it (each its own connection). */
async function database(): Promise<{ sql: Sql; source: BirthExportSource; close(): void }> {
  if (testEngine === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'bc-export-'));
    const sql = sqliteSql(openDatabase(path.join(dir, 'service.sqlite')));
    return {
      sql,
      source: createSqlBirthExportSource(exportReaders(sql, undefined)),
      close() {
        sql.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = await copyOfDatabase(PG_TEMPLATE);
  const sql = postgresSql(url);
  return { sql, source: createSqlBirthExportSource(exportReaders(sql, url)), close: () => sql.close() };
}

/** SQLite gives the register's insertion order; PostgreSQL, which has none, certificate numbers. */
const inOrder = (numbers: string[]) => (testEngine === 'sqlite' ? numbers : [...numbers].sort());

const query = (overrides: Partial<ExportQuery> = {}): ExportQuery => ({
  from: '2026-01-01',
  to: '2026-02-01',
  asOf: '2026-03-01T00:00:00Z',
  columns,
  institution: null,
  divisionPrefix: null,
  ...overrides,
});

describe(`the birth export source on ${testEngine}`, () => {
  let db: Awaited<ReturnType<typeof database>>;
  beforeAll(async () => {
    db = await database();
    seed(
      db.sql,
      [
        // Born 2026-01-01 00:30 China time (written in UTC): in January.
        {
          no: 'Q000000001',
          institution: GZ,
          division: '440106',
          birthTime: '2025-12-31T16:30:00Z',
          issuedAt: '2026-01-02T02:00:00.000Z',
        },
        // Born 2025-12-31 23:30 China time: not in January.
        {
          no: 'Q000000002',
          institution: GZ,
          division: '440106',
          birthTime: '2025-12-31T23:30:00+08:00',
          issuedAt: '2026-01-02T02:00:00.000Z',
        },
        {
          no: 'Q000000003',
          institution: GZ,
          division: '440104',
          birthTime: '2026-01-10T08:00:00+08:00',
          issuedAt: '2026-01-11T02:00:00.000Z',
          name: '张三',
        },
        // Issued after asOf: not yet in the register as it stood.
        {
          no: 'Q000000004',
          institution: GZ,
          division: '440106',
          birthTime: '2026-01-12T08:00:00+08:00',
          issuedAt: '2026-03-01T00:00:01.000Z',
        },
        // Voided after asOf: still valid then. Voided before: gone.
        {
          no: 'Q000000005',
          institution: GZ,
          division: '440106',
          birthTime: '2026-01-13T08:00:00+08:00',
          issuedAt: '2026-01-14T02:00:00.000Z',
          status: 'void',
          changedAt: '2026-03-02T00:00:00.000Z',
        },
        {
          no: 'Q000000006',
          institution: GZ,
          division: '440106',
          birthTime: '2026-01-14T08:00:00+08:00',
          issuedAt: '2026-01-15T02:00:00.000Z',
          status: 'void',
          changedAt: '2026-02-01T00:00:00.000Z',
        },
        {
          no: 'P000000001',
          institution: BJ,
          division: '110105',
          birthTime: '2026-01-20T08:00:00+08:00',
          issuedAt: '2026-01-21T02:00:00.000Z',
        },
      ],
      [
        { no: 'Q000000001', at: '2026-02-10T00:00:00.000Z' },
        // Registered just after asOf (within its second, which asOf covers) and well after it.
        { no: 'Q000000003', at: '2026-03-01T00:00:00.500Z' },
        { no: 'P000000001', at: '2026-04-01T00:00:00.000Z' },
      ],
    );
  });
  afterAll(() => db.close());

  it('exports the register as it stood, every column typed as in the certificate', () => {
    const rows = [...db.source.rows(query())];
    expect(rows.map((row) => row[0])).toEqual(inOrder(['Q000000001', 'Q000000003', 'Q000000005', 'P000000001']));
    const byNumber = new Map(rows.map((row) => [row[0], row]));
    expect(byNumber.get('Q000000001')).toEqual([
      'Q000000001',
      'L-Q000000001',
      1,
      '𠮷祥',
      '1',
      '2025-12-31T16:30:00Z',
      '2026-01-01',
      3250,
      50.5,
      39,
      2,
      '良好',
      '440106',
      '1',
      GZ,
      '广州市天河区示范妇幼保健院',
      '2026-01-02',
      '阿依古丽·买买提',
      29,
      'CHN',
      '05',
      true,
    ]);
    expect(
      ['Q000000001', 'Q000000003', 'Q000000005', 'P000000001'].map((no) => {
        const row = byNumber.get(no)!;
        return [row[3], row[6], row[21]];
      }),
    ).toEqual([
      ['𠮷祥', '2026-01-01', true],
      ['张三', '2026-01-10', true],
      ['𠮷祥', '2026-01-13', false],
      ['𠮷祥', '2026-01-20', false],
    ]);
  });

  it('narrows to an institution or a division prefix, and gives only the columns asked for', () => {
    const only = (overrides: Partial<ExportQuery>) => [...db.source.rows(query(overrides))].map((row) => row[0]);
    expect(only({ institution: BJ })).toEqual(['P000000001']);
    expect(only({ divisionPrefix: '440104' })).toEqual(['Q000000003']);
    expect(only({ divisionPrefix: '4401' })).toEqual(['Q000000001', 'Q000000003', 'Q000000005']);
    expect(only({ divisionPrefix: '11' })).toEqual(['P000000001']);
    expect(only({ institution: GZ, divisionPrefix: '11' })).toEqual([]);
    expect([...db.source.rows(query({ columns: ['householdRegistered', 'birthDate'], institution: BJ }))]).toEqual([
      [false, '2026-01-20'],
    ]);
  });

  it('stops reading when the receiver stops, and serves the next export', () => {
    for (const row of db.source.rows(query())) {
      expect(row[0]).toBe(inOrder(['Q000000001', 'P000000001'])[0]);
      break;
    }
    expect([...db.source.rows(query({ institution: BJ }))]).toHaveLength(1);
  });
});

describe(`a long birth export on ${testEngine}`, () => {
  it('reads more rows than one page, each once, in order', async () => {
    const db = await database();
    try {
      const births = Array.from({ length: 2345 }, (_, i) => ({
        no: `Y${String(i).padStart(9, '0')}`,
        institution: GZ,
        division: '440106',
        birthTime: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}T08:00:00+08:00`,
        issuedAt: '2026-02-01T00:00:00.000Z',
      }));
      seed(db.sql, births, []);
      const rows = [...db.source.rows(query({ columns: ['certificateNo'] }))];
      expect(rows).toEqual(births.map((b) => [b.no]));
    } finally {
      db.close();
    }
  });
});
