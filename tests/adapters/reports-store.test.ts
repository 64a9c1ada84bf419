import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlReportsStore } from '../../src/adapters/sql/reports-store.ts';
import type { Sql } from '../../src/adapters/sql/sql.ts';
import type { ReportsStore, SexCount } from '../../src/domain/reports/reports.ts';
import { openTestSql, testEngine } from '../storage-kit.ts';

const A = '124401064554012343';
const B = '12110105400000567X';
const IDLE = '12440000455862437X';

type Kind = 'first' | 'out-of-institution' | 'replacement' | 'reissue';
type Status = 'valid' | 'superseded' | 'void' | 'revoked';
interface Seeded {
  no: string;
  institution: string;
  birthTime: string;
  sex: '1' | '2';
  division: string;
  issuedAt: string;
  kind: Kind;
  status: Status;
  reason?: string;
  changedAt?: string;
}

/**
 * Hand-made certificates around the China-time day boundaries (UTC 16:00 is midnight in China),
 * with instants stored both in UTC and with an offset, as the service stores them.
 */
const boundary: Seeded[] = [
  // Born 2026-02-01 00:30 China time, written in UTC: a February birth.
  {
    no: 'Q000000001',
    institution: A,
    birthTime: '2026-01-31T16:30:00Z',
    sex: '1',
    division: '440106',
    issuedAt: '2026-01-31T17:00:00.000Z',
    kind: 'first',
    status: 'valid',
  },
  // Born 2026-01-31 23:59 China time, written with its offset: a January birth.
  {
    no: 'Q000000002',
    institution: A,
    birthTime: '2026-01-31T23:59:00+08:00',
    sex: '2',
    division: '440106',
    issuedAt: '2026-02-03T02:00:00.000Z',
    kind: 'first',
    status: 'valid',
  },
  {
    no: 'Q000000003',
    institution: A,
    birthTime: '2026-02-10T08:00:00+08:00',
    sex: '2',
    division: '440104',
    issuedAt: '2026-02-11T02:00:00.000Z',
    kind: 'out-of-institution',
    status: 'valid',
  },
  // Superseded by a replacement: the birth counts once, by its replacement.
  {
    no: 'Q000000004',
    institution: A,
    birthTime: '2026-02-12T08:00:00+08:00',
    sex: '1',
    division: '440106',
    issuedAt: '2026-02-13T02:00:00.000Z',
    kind: 'first',
    status: 'superseded',
    changedAt: '2026-03-01T02:00:00.000Z',
  },
  {
    no: 'Q000000005',
    institution: A,
    birthTime: '2026-02-12T08:00:00+08:00',
    sex: '1',
    division: '440106',
    issuedAt: '2026-03-01T02:00:00.000Z',
    kind: 'replacement',
    status: 'valid',
  },
  // Voided on 2026-03-01 China time (2026-02-28T16:10Z): a March void; not a birth.
  {
    no: 'Q000000006',
    institution: A,
    birthTime: '2026-02-20T08:00:00+08:00',
    sex: '2',
    division: '440106',
    issuedAt: '2026-02-21T02:00:00.000Z',
    kind: 'first',
    status: 'void',
    reason: 'PRINT_ERROR',
    changedAt: '2026-02-28T16:10:00.000Z',
  },
  {
    no: 'Q000000007',
    institution: A,
    birthTime: '2026-02-22T08:00:00+08:00',
    sex: '1',
    division: '440106',
    issuedAt: '2026-02-23T02:00:00.000Z',
    kind: 'reissue',
    status: 'void',
    reason: 'ENTRY_ERROR',
    changedAt: '2026-02-24T02:00:00.000Z',
  },
  // Issued before the period (China 2025-12-31 23:30): stock used before.
  {
    no: 'Q000000008',
    institution: A,
    birthTime: '2025-12-30T08:00:00+08:00',
    sex: '1',
    division: '440106',
    issuedAt: '2025-12-31T15:30:00.000Z',
    kind: 'first',
    status: 'valid',
  },
  // Issued on 2026-01-01 00:30 China time: inside a period from 2026-01-01.
  {
    no: 'Q000000009',
    institution: A,
    birthTime: '2025-12-31T08:00:00+08:00',
    sex: '2',
    division: '440106',
    issuedAt: '2025-12-31T16:30:00.000Z',
    kind: 'first',
    status: 'valid',
  },
  {
    no: 'P000000001',
    institution: B,
    birthTime: '2026-01-15T08:00:00+08:00',
    sex: '1',
    division: '110105',
    issuedAt: '2026-01-16T02:00:00.000Z',
    kind: 'first',
    status: 'valid',
  },
  {
    no: 'P000000002',
    institution: B,
    birthTime: '2026-03-31T16:00:00Z',
    sex: '2',
    division: '110105',
    issuedAt: '2026-04-01T02:00:00.000Z',
    kind: 'first',
    status: 'valid',
  },
  {
    no: 'P000000003',
    institution: B,
    birthTime: '2026-03-02T08:00:00+08:00',
    sex: '2',
    division: '110101',
    issuedAt: '2026-03-03T02:00:00.000Z',
    kind: 'first',
    status: 'revoked',
    reason: 'FRAUD',
    changedAt: '2026-03-04T02:00:00.000Z',
  },
];

/** Many more, spread over 2025 and 2026 with every kind and status, for the cross-checks. */
function spread(count: number): Seeded[] {
  const kinds: Kind[] = ['first', 'first', 'first', 'out-of-institution', 'replacement', 'reissue'];
  const minute = 60_000;
  return Array.from({ length: count }, (_, i) => {
    const birth = Date.parse('2024-12-31T16:00:00Z') + ((i * 7919) % (730 * 1440)) * minute;
    const issued = birth + 3 * 1440 * minute + (i % 5) * 397 * minute;
    const status: Status = i % 50 === 0 ? 'void' : i % 43 === 0 ? 'superseded' : 'valid';
    return {
      no: `Y${String(i).padStart(9, '0')}`,
      institution: i % 3 === 0 ? B : A,
      birthTime: new Date(birth).toISOString(),
      sex: (i * 761) % 1000 < 513 ? '1' : '2',
      division: ['440106', '440104', '110105', '440303'][i % 4]!,
      issuedAt: new Date(issued).toISOString(),
      kind: kinds[i % kinds.length]!,
      status,
      ...(status !== 'valid' && { changedAt: new Date(issued + 1440 * minute).toISOString() }),
      ...(status === 'void' && { reason: i % 150 === 0 ? 'ENTRY_ERROR' : 'PRINT_ERROR' }),
    };
  });
}

function seed(sql: Sql, certificates: Seeded[]) {
  const { db } = sql;
  sql.transaction(() => {
    for (const [code, name, division] of [
      [A, '广州市天河区示范妇幼保健院', '440106'],
      [B, '北京市朝阳区示范妇产医院', '110105'],
      [IDLE, '广州市妇女儿童医疗中心', '440106'],
    ] as const) {
      sql.run(
        db
          .insertInto('institutions')
          .values({ credit_code: code, name, division_code: division, created_at: '2025-01-01T00:00:00.000Z' }),
      );
    }
    const ranges = [
      [A, 'Q', 1, 100, '2025-12-20'],
      [A, 'Q', 101, 150, '2026-02-01'],
      [B, 'P', 1, 30, '2026-01-10'],
      [B, 'P', 31, 40, '2026-06-01'],
    ] as const;
    for (const [institution, prefix, first, last, receivedOn] of ranges) {
      sql.run(
        db.insertInto('number_ranges').values({
          institution,
          prefix,
          first_no: first,
          last_no: last,
          next_no: first,
          received_on: receivedOn,
        }),
      );
    }
    for (const c of certificates) {
      sql.run(
        db.insertInto('certificates').values({
          certificate_no: c.no,
          licence_id: `L-${c.no}`,
          lineage: `lineage-${c.no}`,
          version: 1,
          institution: c.institution,
          kind: c.kind,
          status: c.status,
          status_reason: c.reason ?? null,
          status_changed_at: c.changedAt ?? null,
          certificate: JSON.stringify({ certificateNo: c.no, newborn: { birthTime: c.birthTime } }),
          licence: '{}',
          registration: '{}',
          signed_json: '{}',
          licence_digest: 'd',
          qr_text: 'qr',
          mother_id_number: 'm',
          birth_time: c.birthTime,
          sex: c.sex,
          division_code: c.division,
          issued_at: c.issuedAt,
          issued_by: 'issuer',
        }),
      );
    }
    const voided = [
      // A lost blank voided on 2026-01-01 00:05 China time; a print error on 2025-12-31 23:55.
      ['Q000000090', A, 'LOST_BLANK', '2025-12-31T16:05:00.000Z'],
      ['Q000000091', A, 'PRINT_ERROR', '2025-12-31T15:55:00.000Z'],
      ['Q000000092', A, 'OTHER', '2026-02-15T02:00:00.000Z'],
      ['P000000009', B, 'LOST_BLANK', '2026-03-01T02:00:00.000Z'],
    ] as const;
    for (const [no, institution, reason, at] of voided) {
      sql.run(
        db.insertInto('voided_numbers').values({
          certificate_no: no,
          institution,
          reason,
          note: null,
          voided_at: at,
          voided_by: 'issuer',
        }),
      );
    }
    const deliveries = [
      [A, '2026-01-31T16:30:00Z'],
      [A, '2026-01-31T23:59:00+08:00'],
      [A, '2026-02-10T08:00:00+08:00'],
      [B, '2026-03-31T16:00:00Z'],
    ] as const;
    deliveries.forEach(([institution, birthTime], i) => {
      sql.run(
        db.insertInto('deliveries').values({
          id: `delivery-${i}`,
          institution,
          record: JSON.stringify({ newborn: { birthTime } }),
          recorded_at: '2026-04-02T00:00:00.000Z',
          recorded_by: 'midwife',
        }),
      );
    });
  });
}

/** The China Standard Time calendar date of an instant, by plain arithmetic. */
const chinaDay = (instant: string) => new Date(Date.parse(instant) + 8 * 3600_000).toISOString().slice(0, 10);

/** Sex counts of the seeded current certificates, worked out here rather than by either database. */
function expectedSexCounts(rows: Seeded[], from: string, to: string, group: (row: Seeded) => string): SexCount[] {
  const counts = new Map<string, SexCount>();
  for (const row of rows) {
    const day = chinaDay(row.birthTime);
    if (row.status !== 'valid' || day < from || day >= to) continue;
    const key = group(row);
    const count = counts.get(key) ?? { group: key, boys: 0, girls: 0 };
    if (row.sex === '1') count.boys++;
    else count.girls++;
    counts.set(key, count);
  }
  return [...counts.values()].sort((a, b) => (a.group < b.group ? -1 : 1));
}

const noUsage = { first: 0, outOfInstitution: 0, replacement: 0, reissue: 0 };

describe(`the reports store on ${testEngine}, over boundary rows`, () => {
  let sql: Sql;
  let store: ReportsStore;
  beforeAll(async () => {
    sql = await openTestSql();
    seed(sql, boundary);
    store = createSqlReportsStore(sql);
  });
  afterAll(() => sql.close());

  it('counts a birth by its China-time day, once, by its current certificate', () => {
    const q1 = { from: '2026-01-01', to: '2026-04-01' };
    expect(store.sexCounts(q1, 'month', null)).toEqual([
      { group: '2026-01', boys: 1, girls: 1 },
      { group: '2026-02', boys: 2, girls: 1 },
    ]);
    expect(store.sexCounts({ from: '2026-01-01', to: '2026-05-01' }, 'month', B)).toEqual([
      { group: '2026-01', boys: 1, girls: 0 },
      { group: '2026-04', boys: 0, girls: 1 },
    ]);
    expect(store.sexCounts(q1, 'institution', null)).toEqual([
      { group: B, boys: 1, girls: 0 },
      { group: A, boys: 2, girls: 2 },
    ]);
    expect(store.sexCounts(q1, 'division', A)).toEqual([
      { group: '440104', boys: 0, girls: 1 },
      { group: '440106', boys: 2, girls: 1 },
    ]);
    // The grouped query of a long period gives the same months.
    expect(store.sexCounts({ from: '2000-01-01', to: '2030-01-01' }, 'month', A)).toEqual([
      { group: '2025-12', boys: 1, girls: 1 },
      { group: '2026-01', boys: 0, girls: 1 },
      { group: '2026-02', boys: 2, girls: 1 },
    ]);
    expect(store.sexCounts({ from: '2026-02-01', to: '2026-02-02' }, 'month', null)).toEqual([
      { group: '2026-02', boys: 1, girls: 0 },
    ]);
  });

  it('lists the birth roll oldest first, current certificates only', () => {
    const roll = store.birthRoll({ from: '2026-02-01', to: '2026-03-01' }, A);
    expect(roll.map((c) => (c as unknown as { certificateNo: string }).certificateNo)).toEqual([
      'Q000000001',
      'Q000000003',
      'Q000000005',
    ]);
  });

  it('counts stock, issues, voids and deliveries by China-time day', () => {
    const q1 = { from: '2026-01-01', to: '2026-04-01' };
    const a = {
      receivedBefore: 100,
      usedBefore: 2,
      received: 50,
      issued: { first: 4, outOfInstitution: 1, replacement: 1, reissue: 0 },
      voids: { printOrEntryError: 2, lostBlank: 1, other: 1 },
      liveBirths: 3,
    };
    const b = {
      receivedBefore: 0,
      usedBefore: 0,
      received: 30,
      issued: { first: 2, outOfInstitution: 0, replacement: 0, reissue: 0 },
      voids: { printOrEntryError: 0, lostBlank: 1, other: 0 },
      liveBirths: 0,
    };
    expect(store.usage(q1, A)).toEqual(a);
    expect(store.usage(q1, B)).toEqual(b);
    expect(store.usage(q1, IDLE)).toEqual({
      receivedBefore: 0,
      usedBefore: 0,
      received: 0,
      issued: noUsage,
      voids: { printOrEntryError: 0, lostBlank: 0, other: 0 },
      liveBirths: 0,
    });
    expect(store.usageByInstitution(q1)).toEqual([
      { institution: B, name: '北京市朝阳区示范妇产医院', ...b },
      { institution: A, name: '广州市天河区示范妇幼保健院', ...a },
    ]);
    // The next quarter: B's April birth and delivery; A's earlier issues are now stock used before.
    const q2 = { from: '2026-04-01', to: '2026-07-01' };
    expect(store.usage(q2, B)).toMatchObject({ receivedBefore: 30, usedBefore: 3, received: 10, liveBirths: 1 });
    expect(store.usage(q2, A)).toMatchObject({ receivedBefore: 150, usedBefore: 12, received: 0, issued: noUsage });
  });
});

describe(`the reports store on ${testEngine}, over many rows`, () => {
  let sql: Sql;
  let store: ReportsStore;
  const rows = spread(1500);
  beforeAll(async () => {
    sql = await openTestSql();
    seed(sql, rows);
    store = createSqlReportsStore(sql);
  });
  afterAll(() => sql.close());

  it('counts births by month one range at a time, the same as grouping every row', () => {
    const byMonth = (from: string, to: string) =>
      expectedSexCounts(rows, from, to, (r) => chinaDay(r.birthTime).slice(0, 7));
    const whole = store.sexCounts({ from: '2025-01-01', to: '2027-01-01' }, 'month', null);
    expect(whole).toHaveLength(24);
    expect(whole).toEqual(byMonth('2025-01-01', '2027-01-01'));
    // A period starting and ending inside months: the first and last months are partial.
    const partial = store.sexCounts({ from: '2025-01-15', to: '2025-03-10' }, 'month', null);
    expect(partial.map((r) => r.group)).toEqual(['2025-01', '2025-02', '2025-03']);
    expect(partial).toEqual(byMonth('2025-01-15', '2025-03-10'));
    // Over twenty years the grouped query answers, with the same figures.
    expect(store.sexCounts({ from: '1990-01-01', to: '2030-01-01' }, 'month', null)).toEqual(whole);
    expect(store.sexCounts({ from: '2025-07-01', to: '2026-07-01' }, 'division', null)).toEqual(
      expectedSexCounts(rows, '2025-07-01', '2026-07-01', (r) => r.division),
    );
  });

  it('answers usage for every institution with the same figures as one institution at a time', () => {
    const period = { from: '2025-06-01', to: '2026-06-01' };
    const all = store.usageByInstitution(period);
    expect(all.map((r) => r.institution)).toEqual([B, A]);
    for (const { institution, name: _name, ...counts } of all) {
      expect(counts).toEqual(store.usage(period, institution));
    }
    const issuedIn = (institution: string, kind: Kind) =>
      rows.filter(
        (r) =>
          r.institution === institution &&
          r.kind === kind &&
          r.status !== 'void' &&
          chinaDay(r.issuedAt) >= period.from &&
          chinaDay(r.issuedAt) < period.to,
      ).length;
    expect(store.usage(period, A).issued).toEqual({
      first: issuedIn(A, 'first'),
      outOfInstitution: issuedIn(A, 'out-of-institution'),
      replacement: issuedIn(A, 'replacement'),
      reissue: issuedIn(A, 'reissue'),
    });
  });
});
