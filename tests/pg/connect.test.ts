import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql as raw } from 'kysely';
import { describe, expect, it } from 'vitest';
import { listMigrations, migrationsDirOf } from '../../src/adapters/migration-files.ts';
import { libpqBinding } from '../../src/adapters/postgres/libpq-connection.ts';
import { postgresSql } from '../../src/adapters/postgres/postgres-sql.ts';
import { PostgresError, type PostgresTransport } from '../../src/adapters/postgres/sync-connection.ts';
import { migrateSchema } from '../../src/adapters/sql/migrate.ts';
import { MD5_ROLE } from './cluster.ts';
import { adminQuery, freshDatabase } from './pg-kit.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const allVersions = listMigrations(migrationsDirOf('postgres')).map((m) => m.version);

/** `SELECT 1` through the service's own connection. */
function selectOne(url: string, transport?: PostgresTransport): number {
  const db = postgresSql(url, { connectTimeoutMs: 5_000, transport });
  try {
    return db.get(raw<{ one: number }>`SELECT 1 AS one`)!.one;
  } finally {
    db.close();
  }
}

const storedAs = async (role: string) =>
  (
    await adminQuery<{ method: string }>(
      `SELECT CASE WHEN rolpassword LIKE 'SCRAM-SHA-256$%' THEN 'scram' WHEN rolpassword LIKE 'md5%' THEN 'md5' END AS method
     FROM pg_authid WHERE rolname = $1`,
      [role],
    )
  )[0]!.method;

const withPassword = (url: string, password: string) => {
  const wrong = new URL(url);
  wrong.password = password;
  return wrong.href;
};

describe.each<PostgresTransport>(['libpq', 'thread'])('connecting to PostgreSQL through %s', (transport) => {
  it('authenticates with SCRAM-SHA-256, and refuses a wrong password', async () => {
    const db = await freshDatabase();
    expect(await storedAs(db.role)).toBe('scram');
    expect(selectOne(db.url, transport)).toBe(1);
    const refused = (() => {
      try {
        selectOne(withPassword(db.url, 'not-the-password'), transport);
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(PostgresError);
    expect(refused).toMatchObject({ message: expect.stringMatching(/password authentication failed/) });
    // libpq reports a refused connection as text only; node-postgres also gives its SQLSTATE.
    if (transport === 'thread') expect(refused).toMatchObject({ code: '28P01' });
  });

  it('authenticates with md5 (a server configured the older way), and refuses a wrong password', async () => {
    const db = await freshDatabase({ role: MD5_ROLE, encryption: 'md5' });
    expect(await storedAs(MD5_ROLE)).toBe('md5');
    expect(selectOne(db.url, transport)).toBe(1);
    expect(() => selectOne(withPassword(db.url, 'not-the-password'), transport)).toThrow(
      /password authentication failed/,
    );
  });

  it('gives the values SQLite gives: numbers, booleans, Buffers, text, nulls, and arrays as parameters', async () => {
    const { url } = await freshDatabase();
    const sql = postgresSql(url, { transport });
    try {
      expect(sql.connection.transport).toBe(transport);
      const bytes = Buffer.from([0, 1, 0xfe, 0xff, 0x5c, 0x78]);
      const row = sql.get(
        raw`SELECT ${9_007_199_254_740_991}::bigint AS big, 42::integer AS small, 2.5::numeric AS ratio,
          count(*) AS counted, true AS yes, ${bytes}::bytea AS bytes, ${'𠮷 "引" \\ 名'}::text AS name,
          NULL::text AS nothing, '{"a":[1]}'::json AS document,
          ${['a"b', 'c\\d', '', '甲']}::text[] = ARRAY['a"b', 'c\\d', '', '甲'] AS same_array`,
      );
      expect(row).toEqual({
        big: 9_007_199_254_740_991,
        small: 42,
        ratio: 2.5,
        counted: 1,
        yes: true,
        bytes,
        name: '𠮷 "引" \\ 名',
        nothing: null,
        document: { a: [1] },
        same_array: true,
      });
      expect(Buffer.isBuffer((row as { bytes: unknown }).bytes)).toBe(true);
    } finally {
      sql.close();
    }
  });

  it('counts the rows a write changed, and names a violated constraint by its SQLSTATE', async () => {
    const { url } = await freshDatabase();
    const sql = postgresSql(url, { transport });
    try {
      sql.exec('CREATE TABLE pairs (k TEXT PRIMARY KEY, v INTEGER)');
      expect(sql.run(raw`INSERT INTO pairs (k, v) VALUES ('a', 1), ('b', 2), ('c', 3)`)).toBe(3);
      expect(sql.run(raw`UPDATE pairs SET v = v + 1 WHERE v >= ${2}`)).toBe(2);
      expect(() => sql.run(raw`INSERT INTO pairs (k, v) VALUES (${'a'}, 9)`)).toThrow(
        expect.objectContaining({ name: 'PostgresError', code: '23505' }),
      );
      expect(sql.all(raw`SELECT k, v FROM pairs ORDER BY k`)).toEqual([
        { k: 'a', v: 1 },
        { k: 'b', v: 3 },
        { k: 'c', v: 4 },
      ]);
    } finally {
      sql.close();
    }
  });

  it('connects again after the server ended its session', async () => {
    const { url } = await freshDatabase();
    const sql = postgresSql(url, { transport, applicationName: `reconnect-${transport}` });
    try {
      expect(sql.get(raw<{ one: number }>`SELECT 1 AS one`)).toEqual({ one: 1 });
      await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
        `reconnect-${transport}`,
      ]);
      // The statement that meets the ended session may fail (the thread's client may already have
      // heard of it and connected again); the one after works either way.
      try {
        sql.get(raw`SELECT 1 AS one`);
      } catch (error) {
        expect(error).toBeInstanceOf(PostgresError);
      }
      expect(sql.get(raw<{ one: number }>`SELECT 2 AS one`)).toEqual({ one: 2 });
    } finally {
      sql.close();
    }
  });

  it('gives up on a statement after the statement timeout and stays usable', async () => {
    const { url } = await freshDatabase();
    const sql = postgresSql(url, { statementTimeoutMs: 200, transport });
    try {
      expect(() => sql.get(raw`SELECT pg_sleep(2)`)).toThrow(/statement timeout/);
      expect(sql.get(raw<{ one: number }>`SELECT 1 AS one`)).toEqual({ one: 1 });
    } finally {
      sql.close();
    }
  });
});

it('uses libpq by default where its binding is installed (CI installs its headers)', () => {
  expect(libpqBinding()).not.toBeNull();
});

describe('migrating PostgreSQL', () => {
  it('migrates once when two nodes start against one empty database at the same moment', async () => {
    const db = await freshDatabase();
    const node = () =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'tests/pg/migrate-node.ts'], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: db.url },
      }).then(({ stdout }) => JSON.parse(stdout) as number[]);
    const applied = await Promise.all([node(), node()]);
    // One node applied every migration, the other waited on the lock and found none left.
    expect(applied.sort((a, b) => a.length - b.length)).toEqual([[], allVersions]);
    const rows = await adminQuery<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
      [],
      db.name,
    );
    expect(rows.map((r) => r.version)).toEqual(allVersions);
  });

  it('opens an already migrated database without applying anything again', async () => {
    const { url } = await freshDatabase();
    const first = postgresSql(url);
    expect(migrateSchema(first)).toEqual(allVersions);
    first.close();
    const second = postgresSql(url);
    expect(migrateSchema(second)).toEqual([]);
    second.close();
  });

  it('rolls a failing migration back whole, names it, and keeps the connection usable', async () => {
    const db = await freshDatabase();
    const sql = postgresSql(db.url);
    try {
      const broken = [
        { version: 1, name: '001-broken.sql', sql: 'CREATE TABLE half (id INTEGER); SELECT no_such_function();' },
      ];
      expect(() => migrateSchema(sql, broken)).toThrow(/^migration 001-broken\.sql failed: .*no_such_function/);
      expect(sql.inTransaction).toBe(false);
      expect(
        sql.get(raw<{ n: number }>`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'half'`),
      ).toEqual({ n: 0 });
      expect(sql.all(raw`SELECT version FROM schema_migrations`)).toEqual([]);
    } finally {
      sql.close();
    }
  });
});
