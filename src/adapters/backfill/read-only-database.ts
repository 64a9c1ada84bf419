import Database from 'better-sqlite3';
import type { SqliteDatabase } from '../sqlite/database.ts';

/**
 * A read-only connection to the service database for a worker thread: the writer (the main
 * thread) has migrated it already; WAL lets this reader see each committed transaction.
 */
export function openReadOnlyDatabase(file: string): SqliteDatabase {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}
