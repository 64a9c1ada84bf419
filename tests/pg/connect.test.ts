import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { listPostgresMigrations, migratePostgres, openPostgres } from '../../src/adapters/postgres/database.ts';
import { MD5_ROLE } from './cluster.ts';
import { adminQuery, freshDatabase } from './pg-kit.ts';

async function selectOne(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one;
  } finally {
    await client.end();
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

describe('connecting to PostgreSQL', () => {
  it('authenticates with SCRAM-SHA-256, and refuses a wrong password', async () => {
    const db = await freshDatabase();
    expect(await storedAs(db.role)).toBe('scram');
    expect(await selectOne(db.url)).toBe(1);
    const wrong = new URL(db.url);
    wrong.password = 'not-the-password';
    await expect(selectOne(wrong.href)).rejects.toThrow(/password authentication failed/);
  });

  it('authenticates with md5 (a server configured the older way), and refuses a wrong password', async () => {
    const db = await freshDatabase({ role: MD5_ROLE, encryption: 'md5' });
    expect(await storedAs(MD5_ROLE)).toBe('md5');
    expect(await selectOne(db.url)).toBe(1);
    const wrong = new URL(db.url);
    wrong.password = 'not-the-password';
    await expect(selectOne(wrong.href)).rejects.toThrow(/password authentication failed/);
  });

  it('migrates once when two nodes start against one empty database at the same moment', async () => {
    const db = await freshDatabase();
    const nodes = [new pg.Pool({ connectionString: db.url }), new pg.Pool({ connectionString: db.url })];
    const [first, second] = await Promise.all(nodes.map((pool) => migratePostgres(pool)));
    const all = listPostgresMigrations().map((m) => m.version);
    // One node applied every migration, the other waited on the lock and found none left.
    expect([first, second].sort((a, b) => a!.length - b!.length)).toEqual([[], all]);
    const rows = await adminQuery<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
      [],
      db.name,
    );
    expect(rows.map((r) => r.version)).toEqual(all);
    await Promise.all(nodes.map((pool) => pool.end()));
  });

  it('opens an already migrated database without applying anything again', async () => {
    const db = await freshDatabase();
    await (await openPostgres(db.url)).end();
    const pool = new pg.Pool({ connectionString: db.url });
    expect(await migratePostgres(pool)).toEqual([]);
    await pool.end();
  });

  it('rolls a failing migration back whole and names it', async () => {
    const db = await freshDatabase();
    const pool = new pg.Pool({ connectionString: db.url });
    const broken = [
      { version: 1, name: '001-broken.sql', sql: 'CREATE TABLE half (id INTEGER); SELECT no_such_function();' },
    ];
    await expect(migratePostgres(pool, broken)).rejects.toThrow(/migration 001-broken\.sql failed/);
    const tables = await adminQuery<{ n: string }>(
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'half'",
      [],
      db.name,
    );
    expect(tables[0]!.n).toBe('0');
    await pool.end();
  });
});
