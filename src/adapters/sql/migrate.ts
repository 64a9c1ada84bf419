import { sql } from 'kysely';
import { listMigrations, type Migration, migrationsDirOf } from '../migration-files.ts';
import type { Sql } from './sql.ts';

/** Any fixed number: the advisory lock a PostgreSQL node holds while it migrates. */
const MIGRATION_LOCK = 0x62_63_31; // "bc1"

/**
 * Applies the engine's pending migrations, each in its own transaction. Several PostgreSQL nodes
 * may start at once against one database: a session-level advisory lock lets one migrate while
 * the others wait, then find nothing left to do.
 */
export function migrateSchema(db: Sql, migrations: Migration[] = listMigrations(migrationsDirOf(db.engine))): number[] {
  const locked = db.engine === 'postgres';
  if (locked) db.get(sql`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
  try {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const versions = db.all(sql<{ version: number }>`SELECT version FROM schema_migrations`);
    const applied = new Set(versions.map((row) => Number(row.version)));
    const newlyApplied: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      db.transaction(() => {
        try {
          db.exec(migration.sql);
        } catch (error) {
          throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
        }
        db.run(
          sql`INSERT INTO schema_migrations (version, name, applied_at) VALUES (${migration.version}, ${migration.name}, ${new Date().toISOString()})`,
        );
      });
      newlyApplied.push(migration.version);
    }
    return newlyApplied;
  } finally {
    if (locked) db.get(sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`);
  }
}
