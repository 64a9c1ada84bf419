import pg from 'pg';
import { listMigrations, type Migration, migrationsDirOf } from '../migration-files.ts';

export type PostgresPool = pg.Pool;

/** The PostgreSQL files of the engine-shared migration list (see migration-files.ts). */
export const listPostgresMigrations = () => listMigrations(migrationsDirOf('postgres'));

/** Any fixed number: the advisory lock every node takes while it migrates. */
const MIGRATION_LOCK = 0x62_63_31; // "bc1"

/**
 * Applies the pending migrations, each in its own transaction. Several nodes may start at once
 * against one database: a session-level advisory lock (PostgreSQL 8.2+, openGauss and KingbaseES
 * have it too) lets one migrate while the others wait, then find nothing left to do.
 */
export async function migratePostgres(pool: PostgresPool, migrations = listPostgresMigrations()): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => Number(row.version)));
    const newlyApplied: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await inTransaction(client, migration);
      newlyApplied.push(migration.version);
    }
    return newlyApplied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}

async function inTransaction(client: pg.PoolClient, migration: Migration) {
  await client.query('BEGIN');
  try {
    await client.query(migration.sql);
    await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
      migration.version,
      migration.name,
      new Date().toISOString(),
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * A pool on `DATABASE_URL` (postgres://user:password@host:port/database), migrated. The driver
 * authenticates with whatever the server asks for: SCRAM-SHA-256 or md5.
 */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<PostgresPool> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client that loses its server (a restart, a failover) must not crash the process.
  pool.on('error', () => {});
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return pool;
}
