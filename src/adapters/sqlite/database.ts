import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { listMigrations, migrationsDirOf } from '../migration-files.ts';

export type SqliteDatabase = Database.Database;

/** The SQLite files of the engine-shared migration list (see migration-files.ts). */
export const listSqliteMigrations = () => listMigrations(migrationsDirOf('sqlite'));

export function migrate(db: SqliteDatabase, migrations = listSqliteMigrations()): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations')
      .pluck()
      .all()
      .map((v) => Number(v)),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const newlyApplied: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    })();
    newlyApplied.push(migration.version);
  }
  return newlyApplied;
}

/**
 * Opens (creating if needed) the SQLite file in WAL mode and applies pending migrations.
 * synchronous=NORMAL is durable across process crashes in WAL mode; only an OS crash can
 * lose the last transactions, which is the trade-off STACK.md measured (~28k commits/s).
 */
export function openDatabase(file: string): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file);
  // Mothers' ID numbers live here: owner-only, set before the WAL and shm files inherit the mode.
  if (file !== ':memory:') chmodSync(file, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // A migration that rewrites much (024 copied every PDF) leaves a WAL as large as what it wrote:
  // given back to the disk once it is in the database file.
  if (migrate(db).length > 0) db.pragma('wal_checkpoint(TRUNCATE)');
  return db;
}
