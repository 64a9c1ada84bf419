import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql as raw } from 'kysely';
import { describe, expect, it } from 'vitest';
import { listMigrations, migrationsDirOf } from '../../src/adapters/migration-files.ts';
import { postgresSql } from '../../src/adapters/postgres/postgres-sql.ts';
import { PostgresError } from '../../src/adapters/postgres/sync-connection.ts';
import { migrateSchema } from '../../src/adapters/sql/migrate.ts';
import { MD5_ROLE } from './cluster.ts';
import { adminQuery, freshDatabase } from './pg-kit.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const allVersions = listMigrations(migrationsDirOf('postgres')).map((m) => m.version);

/** `SELECT 1` through the service's own connection (a pg client in its thread, waited for). */
function selectOne(url: string): number {
  const db = postgresSql(url, { connectTimeoutMs: 5_000 });
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

describe('connecting to PostgreSQL', () => {
  it('authenticates with SCRAM-SHA-256, and refuses a wrong password with its SQLSTATE', async () => {
    const db = await freshDatabase();
    expect(await storedAs(db.role)).toBe('scram');
    expect(selectOne(db.url)).toBe(1);
    const refused = (() => {
      try {
        selectOne(withPassword(db.url, 'not-the-password'));
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(PostgresError);
    expect(refused).toMatchObject({ code: '28P01', message: expect.stringMatching(/password authentication failed/) });
  });

  it('authenticates with md5 (a server configured the older way), and refuses a wrong password', async () => {
    const db = await freshDatabase({ role: MD5_ROLE, encryption: 'md5' });
    expect(await storedAs(MD5_ROLE)).toBe('md5');
    expect(selectOne(db.url)).toBe(1);
    expect(() => selectOne(withPassword(db.url, 'not-the-password'))).toThrow(/password authentication failed/);
  });

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

  it('gives up on a statement after the statement timeout and stays usable', () => {
    return freshDatabase().then(({ url }) => {
      const sql = postgresSql(url, { statementTimeoutMs: 200 });
      try {
        expect(() => sql.get(raw`SELECT pg_sleep(2)`)).toThrow(/statement timeout/);
        expect(sql.get(raw<{ one: number }>`SELECT 1 AS one`)).toEqual({ one: 1 });
      } finally {
        sql.close();
      }
    });
  });
});
