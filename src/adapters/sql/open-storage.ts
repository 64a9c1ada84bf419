import path from 'node:path';
import { postgresSql } from '../postgres/postgres-sql.ts';
import { openDatabase } from '../sqlite/database.ts';
import { migrateSchema } from './migrate.ts';
import type { Sql } from './sql.ts';
import { sqliteSql } from './sqlite-sql.ts';

/** Whether `DATABASE_URL` names a PostgreSQL database (postgres:// or postgresql://). */
export const isPostgresUrl = (url: string | undefined): url is string =>
  url !== undefined && /^postgres(ql)?:\/\//i.test(url);

/**
 * The service's database, migrated: PostgreSQL when `databaseUrl` names one, else the SQLite
 * file `service.sqlite` of the data directory (the embedded default).
 */
export function openStorage(options: { dataDir: string; databaseUrl?: string }): Sql {
  if (isPostgresUrl(options.databaseUrl)) {
    const db = postgresSql(options.databaseUrl);
    try {
      migrateSchema(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return db;
  }
  return sqliteSql(openDatabase(path.join(options.dataDir, 'service.sqlite')));
}
