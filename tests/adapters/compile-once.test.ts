import { sql as raw } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileOnce } from '../../src/adapters/sql/compile-once.ts';
import type { Sql } from '../../src/adapters/sql/sql.ts';
import { openTestSql, testEngine } from '../storage-kit.ts';

let sql: Sql;
beforeEach(async () => {
  sql = await openTestSql();
});
afterEach(() => sql.close());

describe(`a query compiled once on ${testEngine}`, () => {
  it('runs with the values of each call, a value used twice filled twice, the rest as built', () => {
    const insert = compileOnce<{ key: string; at: number }, unknown>(sql, (value) =>
      sql.db.insertInto('rate_limit_hits').values({ key: value('key'), window_start_ms: value('at'), hits: 3 }),
    );
    sql.run(insert({ key: 'a', at: 10 }));
    sql.run(insert({ key: 'b', at: 20 }));
    const between = compileOnce<{ at: number }, { key: string; hits: number }>(sql, (value) =>
      sql.db
        .selectFrom('rate_limit_hits')
        .select(['key', 'hits'])
        .where('window_start_ms', '>=', value('at'))
        .where('window_start_ms', '<=', value('at'))
        .where('hits', '=', 3),
    );
    expect(between({ at: 20 }).parameters).toEqual([20, 20, 3]);
    expect(between({ at: 20 }).sql).toBe(between({ at: 10 }).sql);
    expect(sql.all(between({ at: 20 }))).toEqual([{ key: 'b', hits: 3 }]);
    expect(sql.all(between({ at: 15 }))).toEqual([]);
  });

  it('refuses a value that did not become a parameter', () => {
    expect(() =>
      compileOnce<{ key: string }, unknown>(sql, (value) =>
        sql.db
          .selectFrom('rate_limit_hits')
          .select('hits')
          .where('key', '=', raw.lit(value('key'))),
      ),
    ).toThrow('a value of this query is not one of its parameters');
    expect(() =>
      compileOnce<{ key: string }, unknown>(sql, (value) =>
        sql.db
          .selectFrom('rate_limit_hits')
          .select('hits')
          .where('key', '=', `${value('key')}-x`),
      ),
    ).toThrow('a value of this query is not one of its parameters');
  });
});
