import { sql as raw } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresSql } from '../../src/adapters/postgres/postgres-sql.ts';
import { PostgresError, type PostgresTransport } from '../../src/adapters/postgres/sync-connection.ts';
import type { Sql } from '../../src/adapters/sql/sql.ts';
import { createSqlUnitOfWork } from '../../src/adapters/sql/unit-of-work.ts';
import { copyOfDatabase, PG_TEMPLATE } from '../storage-kit.ts';

const at = new Date('2026-11-29T08:00:00Z');

describe.each<PostgresTransport>(['libpq', 'thread'])('statements sent together through %s', (transport) => {
  let sql: Sql & { connection: ReturnType<typeof postgresSql>['connection'] };
  afterEach(() => sql.close());

  const open = async () => {
    sql = postgresSql(await copyOfDatabase(PG_TEMPLATE), { transport });
    sql.run(
      sql.db.insertInto('institutions').values({
        credit_code: '12440000455862437X',
        name: '广州市妇女儿童医疗中心',
        division_code: '440106',
        created_at: at.toISOString(),
      }),
    );
    return sql;
  };
  const voided = (no: string) =>
    sql.db.insertInto('voided_numbers').values({
      certificate_no: no,
      institution: '12440000455862437X',
      reason: 'misprint',
      note: null,
      voided_at: at.toISOString(),
      voided_by: 'issuer-gz',
    });

  /** The calls made on the connection: each one round trip through libpq (one hop to the thread). */
  function countCalls(): string[] {
    const calls: string[] = [];
    const connection = sql.connection as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const op of ['query', 'batch', 'exec']) {
      const original = connection[op]!;
      connection[op] = (...args: unknown[]) => {
        calls.push(op);
        return original.apply(sql.connection, args);
      };
    }
    return calls;
  }

  it('sends a unit of writes with its BEGIN, lock and COMMIT in one call', async () => {
    await open();
    const calls = countCalls();
    createSqlUnitOfWork(sql).run(() => {
      sql.write(voided('Q440000001'));
      sql.write(voided('Q440000002'));
    });
    expect(calls).toEqual(['batch']);
    // A read inside a unit takes the queued statements along: BEGIN, lock, write, read in one call.
    calls.length = 0;
    const count = createSqlUnitOfWork(sql).run(() => {
      sql.write(voided('Q440000003'));
      return sql.get(raw<{ n: number }>`SELECT count(*) AS n FROM voided_numbers`)!.n;
    });
    expect(count).toBe(3);
    expect(calls).toEqual(['batch', 'query']);
  });

  const voidedNumbers = () =>
    sql
      .all<{ certificate_no: string }>(
        sql.db.selectFrom('voided_numbers').select('certificate_no').orderBy('certificate_no'),
      )
      .map((row) => row.certificate_no);
  const readBack = (value: unknown) => sql.get(raw<{ v: string }>`SELECT ${value}::text AS v`);

  it('rolls a unit back whole when a value cannot be sent, and holds no lock after', async () => {
    await open();
    const uow = createSqlUnitOfWork(sql);
    expect(() =>
      uow.run(() => {
        readBack('first'); // BEGIN, lock and this read reach the server
        sql.write(voided('Q440000001')); // queued
        // A value that cannot be sent (libpq: its JSON throws; the thread: it cannot be cloned
        // into the connection's thread): nothing of this batch reaches the server.
        return readBack({
          toJSON() {
            throw new Error('not a value');
          },
        });
      }),
    ).toThrow();
    expect(sql.inTransaction).toBe(false);
    // Another node takes the writers' lock at once (a unit left open would hold it).
    const other = postgresSql(await copyOfDatabase(PG_TEMPLATE), { transport, statementTimeoutMs: 2_000 });
    try {
      other.transaction(() => other.get(raw`SELECT 1 AS one`));
    } finally {
      other.close();
    }
    uow.run(() => sql.write(voided('Q440000002')));
    expect(voidedNumbers()).toEqual(['Q440000002']);
  });

  it('never commits a unit one of whose statements failed, even when the failure was caught', async () => {
    await open();
    const uow = createSqlUnitOfWork(sql);
    sql.run(voided('Q440000001'));
    expect(() =>
      uow.run(() => {
        sql.write(voided('Q440000002'));
        sql.write(voided('Q440000001')); // already there: fails when it reaches the server
        // The nested unit's SAVEPOINT takes the queue along, so the failure is raised there, as
        // the enclosing unit's; a caller that swallows it must not get a commit.
        try {
          uow.run(() => readBack('inner'));
        } catch (error) {
          expect(error).toMatchObject({ code: '23505' });
        }
        return 'carried on';
      }),
    ).toThrow(/only a rollback can follow/);
    expect(voidedNumbers()).toEqual(['Q440000001']);
    expect(sql.inTransaction).toBe(false);
    uow.run(() => sql.write(voided('Q440000003')));
    expect(voidedNumbers()).toEqual(['Q440000001', 'Q440000003']);
  });

  it('answers a batch in order, throws its first failure, runs nothing after it, and stays usable', async () => {
    await open();
    const { connection } = sql;
    const results = connection.batch([
      { sql: 'SELECT $1::int + 1 AS n', params: [1] },
      { sql: 'SELECT $1::text AS t', params: ['二'] },
      { sql: 'SELECT 3 AS n', params: [] },
    ]);
    expect(results.map((r) => r.rows)).toEqual([[{ n: 2 }], [{ t: '二' }], [{ n: 3 }]]);
    connection.exec('CREATE TABLE marks (k TEXT PRIMARY KEY)');
    const failure = (() => {
      try {
        connection.batch([
          { sql: 'INSERT INTO marks (k) VALUES ($1)', params: ['a'] },
          { sql: 'INSERT INTO marks (k) VALUES ($1)', params: ['a'] },
          { sql: 'INSERT INTO marks (k) VALUES ($1)', params: ['b'] },
        ]);
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(PostgresError);
    expect(failure).toMatchObject({ code: '23505' });
    // The third never ran. (Outside a transaction libpq's pipeline is one implicit transaction,
    // so its first insert went too; the thread's stayed. The query layer batches inside transactions only.)
    const left = connection.query<{ k: string }>('SELECT k FROM marks ORDER BY k', []).rows;
    expect(left).toEqual(transport === 'libpq' ? [] : [{ k: 'a' }]);
  });
});
