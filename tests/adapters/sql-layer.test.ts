import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql as raw } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { postgresSql } from '../../src/adapters/postgres/postgres-sql.ts';
import { createSqlNumberStock } from '../../src/adapters/sql/number-stock.ts';
import type { Sql } from '../../src/adapters/sql/sql.ts';
import { sqliteSql } from '../../src/adapters/sql/sqlite-sql.ts';
import { createSqlUnitOfWork } from '../../src/adapters/sql/unit-of-work.ts';
import { openDatabase } from '../../src/adapters/sqlite/database.ts';
import { copyOfDatabase, openTestSql, PG_TEMPLATE, testEngine } from '../storage-kit.ts';

const at = new Date('2026-11-29T08:00:00Z');
const institution = '12440000455862437X';

describe(`the query layer on ${testEngine}`, () => {
  let sql: Sql;
  beforeEach(async () => {
    sql = await openTestSql();
    const { db } = sql;
    sql.run(
      db.insertInto('institutions').values({
        credit_code: institution,
        name: '广州市妇女儿童医疗中心',
        division_code: '440106',
        created_at: at.toISOString(),
      }),
    );
    sql.run(
      db.insertInto('number_ranges').values({
        institution,
        prefix: 'Q',
        first_no: 440000001,
        last_no: 440000003,
        next_no: 440000001,
        received_on: '2026-11-01',
      }),
    );
  });
  afterEach(() => sql.close());

  it('hands out each number of a range once, in order, then none', () => {
    const stock = createSqlNumberStock(sql);
    const holder = { kind: 'amendment', purpose: 'reissue' } as const;
    const taken = [1, 2, 3, 4].map(() => stock.reserve(institution, holder, at)?.certificateNo ?? null);
    expect(taken).toEqual(['Q440000001', 'Q440000002', 'Q440000003', null]);
    // Held by this process, which is running: none is abandoned.
    expect(stock.abandoned()).toEqual([]);
    expect(stock.ownerOf('Q440000002')).toBe(institution);
    expect(stock.ownerOf('Q440000004')).toBeNull();
  });

  it('rolls a unit of work back when it throws, and a nested one back to its savepoint', () => {
    const stock = createSqlNumberStock(sql);
    const uow = createSqlUnitOfWork(sql);
    const holder = { kind: 'amendment', purpose: 'replacement' } as const;
    expect(() =>
      uow.run(() => {
        stock.reserve(institution, holder, at);
        throw new Error('the signer failed');
      }),
    ).toThrow('the signer failed');
    expect(stock.isUsed('Q440000001')).toBe(false);

    const kept = uow.run(() => {
      const first = stock.reserve(institution, holder, at)!.certificateNo;
      expect(() =>
        uow.run(() => {
          stock.reserve(institution, holder, at);
          throw new Error('inner');
        }),
      ).toThrow('inner');
      expect(sql.inTransaction).toBe(true);
      return first;
    });
    expect(kept).toBe('Q440000001');
    expect(sql.inTransaction).toBe(false);
    expect(['Q440000001', 'Q440000002'].map((no) => stock.isUsed(no))).toEqual([true, false]);
  });

  const voided = (no: string) =>
    sql.db.insertInto('voided_numbers').values({
      certificate_no: no,
      institution,
      reason: 'misprint',
      note: null,
      voided_at: at.toISOString(),
      voided_by: 'issuer-gz',
    });
  const voidedNumbers = () =>
    sql
      .all<{ certificate_no: string }>(
        sql.db.selectFrom('voided_numbers').select('certificate_no').orderBy('certificate_no'),
      )
      .map((row) => row.certificate_no);

  it('lands writes with their unit of work, seen by its own reads, and a failing write fails the unit whole', () => {
    const uow = createSqlUnitOfWork(sql);
    const seen = uow.run(() => {
      sql.write(voided('Q440000001'));
      sql.write(voided('Q440000002'));
      return voidedNumbers();
    });
    expect(seen).toEqual(['Q440000001', 'Q440000002']);
    expect(() =>
      uow.run(() => {
        sql.write(voided('Q440000003'));
        sql.write(voided('Q440000001')); // already voided
      }),
    ).toThrow(/unique|UNIQUE/);
    expect(voidedNumbers()).toEqual(['Q440000001', 'Q440000002']);
    expect(sql.inTransaction).toBe(false);
    // Outside a unit of work a write runs at once.
    sql.write(voided('Q440000003'));
    expect(voidedNumbers()).toEqual(['Q440000001', 'Q440000002', 'Q440000003']);
  });

  it('drops the writes of a nested unit that throws, and keeps those around it', () => {
    const uow = createSqlUnitOfWork(sql);
    uow.run(() => {
      sql.write(voided('Q440000001'));
      // The nested unit throws before anything of it reached the database…
      expect(() =>
        uow.run(() => {
          sql.write(voided('Q440000002'));
          throw new Error('inner, before any read');
        }),
      ).toThrow('inner, before any read');
      // …and after its savepoint and write did.
      expect(() =>
        uow.run(() => {
          sql.write(voided('Q440000002'));
          expect(voidedNumbers()).toEqual(['Q440000001', 'Q440000002']);
          throw new Error('inner, after a read');
        }),
      ).toThrow('inner, after a read');
      sql.write(voided('Q440000003'));
    });
    expect(voidedNumbers()).toEqual(['Q440000001', 'Q440000003']);
  });

  it('raises a nested unit’s failing write inside it, where its caller can handle it', () => {
    const uow = createSqlUnitOfWork(sql);
    sql.run(voided('Q440000001'));
    uow.run(() => {
      sql.write(voided('Q440000002'));
      expect(() => uow.run(() => sql.write(voided('Q440000001')))).toThrow(/unique|UNIQUE/);
      sql.write(voided('Q440000003'));
    });
    expect(voidedNumbers()).toEqual(['Q440000001', 'Q440000002', 'Q440000003']);
  });

  it('reports a broken constraint as an error and stays usable', () => {
    const insert = () =>
      sql.run(
        sql.db.insertInto('voided_numbers').values({
          certificate_no: 'Q440000001',
          institution,
          reason: 'misprint',
          note: null,
          voided_at: at.toISOString(),
          voided_by: 'issuer-gz',
        }),
      );
    insert();
    expect(insert).toThrow(/unique|UNIQUE/);
    expect(sql.get(raw<{ n: number }>`SELECT count(*) AS n FROM voided_numbers`)?.n).toBe(1);
  });

  it('reads integers as numbers and text as it was written, rare characters included', () => {
    const name = '𠮷野家 阿依古丽·买买提';
    sql.run(sql.db.updateTable('institutions').set({ name }).where('credit_code', '=', institution));
    const row = sql.get(
      sql.db
        .selectFrom('institutions')
        .innerJoin('number_ranges', 'number_ranges.institution', 'institutions.credit_code')
        .select(['institutions.name', 'number_ranges.last_no', (eb) => eb.fn.countAll<number>().as('ranges')])
        .groupBy(['institutions.name', 'number_ranges.last_no']),
    );
    expect(row).toEqual({ name, last_no: 440000003, ranges: 1 });
  });
});

describe(`reservations of processes sharing one ${testEngine} database`, () => {
  const holder = { kind: 'amendment', purpose: 'replacement' } as const;
  let open: () => Sql;
  let cleanUp: () => void;

  beforeEach(async () => {
    if (testEngine === 'postgres') {
      const url = await copyOfDatabase(PG_TEMPLATE);
      open = () => postgresSql(url);
      cleanUp = () => {};
    } else {
      const dir = mkdtempSync(path.join(tmpdir(), 'bc-presence-'));
      open = () => sqliteSql(openDatabase(path.join(dir, 'shared.sqlite')));
      cleanUp = () => rmSync(dir, { recursive: true, force: true });
    }
    const setUp = open();
    setUp.run(
      setUp.db.insertInto('institutions').values({
        credit_code: institution,
        name: '广州市妇女儿童医疗中心',
        division_code: '440106',
        created_at: at.toISOString(),
      }),
    );
    setUp.run(
      setUp.db.insertInto('number_ranges').values({
        institution,
        prefix: 'Q',
        first_no: 440000001,
        last_no: 440000009,
        next_no: 440000001,
        received_on: '2026-11-01',
      }),
    );
    setUp.close();
  });
  afterEach(() => cleanUp());

  it("never takes a live process's reservation for abandoned, and does once the process is gone", async () => {
    const [a, b] = [open(), open()];
    const stockOfA = createSqlNumberStock(a);
    const stockOfB = createSqlNumberStock(b);
    const reserved = stockOfA.reserve(institution, holder, at)!.certificateNo;
    expect(stockOfB.abandoned()).toEqual([]);
    expect(stockOfA.abandoned()).toEqual([]);
    a.close();
    // PostgreSQL ends the closed session's backend (and frees its lock) a moment after the client goes.
    await vi.waitFor(() => expect(stockOfB.abandoned()).toEqual([{ certificateNo: reserved, institution, holder }]), {
      timeout: 5_000,
      interval: 20,
    });
    b.close();
  });

  it('refuses to settle a reservation another process voided meanwhile, and ends it only once', () => {
    const [a, b] = [open(), open()];
    const stockOfA = createSqlNumberStock(a);
    const reservation = stockOfA.reserve(institution, holder, at)!;
    expect(createSqlNumberStock(b).release(reservation.certificateNo)).toBe(true);
    expect(stockOfA.settle(reservation, at)).toBe(false);
    expect(stockOfA.release(reservation.certificateNo)).toBe(false);
    const next = stockOfA.reserve(institution, holder, at)!;
    expect(next.certificateNo).toBe('Q440000002');
    expect(stockOfA.settle(next, at)).toBe(true);
    a.close();
    b.close();
  });
});

describe('the SQLite statement cache', () => {
  it('runs the same query inside the loop of its own iteration', async () => {
    const sql = await openTestSql();
    try {
      for (const code of ['12440000455862437X', '12110000400000000X']) {
        sql.run(
          sql.db
            .insertInto('institutions')
            .values({ credit_code: code, name: code, division_code: '440106', created_at: at.toISOString() }),
        );
      }
      const names = sql.db.selectFrom('institutions').select('credit_code').orderBy('credit_code');
      const pairs: string[] = [];
      for (const outer of sql.iterate(names)) {
        for (const inner of sql.all(names)) pairs.push(`${outer.credit_code}/${inner.credit_code}`);
      }
      expect(pairs).toHaveLength(4);
    } finally {
      sql.close();
    }
  });
});

describe(`values the engines hold differently, on ${testEngine}`, () => {
  it('reads bytes back as a Buffer, and finds nothing by a key holding U+0000 (PostgreSQL text cannot)', async () => {
    const sql = await openTestSql();
    try {
      sql.run(
        sql.db.insertInto('institutions').values({
          credit_code: institution,
          name: '广州市妇女儿童医疗中心',
          division_code: '440106',
          created_at: at.toISOString(),
        }),
      );
      const bytes = Buffer.from('%PDF-1.7 出生医学证明', 'utf8');
      // A bytea (PostgreSQL) or blob (SQLite) value, as PDFs and sealed archives are stored.
      const pdfHead = sql.get(
        sql.engine === 'postgres'
          ? raw<{ head: Buffer }>`SELECT ${bytes}::bytea AS head`
          : raw<{ head: Buffer }>`SELECT ${bytes} AS head`,
      );
      expect(Buffer.isBuffer(pdfHead?.head)).toBe(true);
      expect(pdfHead?.head.toString('utf8')).toBe('%PDF-1.7 出生医学证明');
      expect(
        sql.get(sql.db.selectFrom('institutions').select('name').where('credit_code', '=', '\u202e\u0000')),
      ).toBeUndefined();
    } finally {
      sql.close();
    }
  });
});
