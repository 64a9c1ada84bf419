import { sql as raw } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqlNumberStock } from '../../src/adapters/sql/number-stock.ts';
import type { Sql } from '../../src/adapters/sql/sql.ts';
import { createSqlUnitOfWork } from '../../src/adapters/sql/unit-of-work.ts';
import { openTestSql, testEngine } from '../storage-kit.ts';

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
    expect(stock.abandoned().map((r) => r.certificateNo)).toEqual(['Q440000001', 'Q440000002', 'Q440000003']);
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
