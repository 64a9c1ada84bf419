import type { UnitOfWork } from '../../domain/lifecycle/ports.ts';
import type { SqliteDatabase } from './database.ts';

/**
 * better-sqlite3 runs synchronously, so a unit of work never interleaves with another request;
 * a nested `run` becomes a savepoint of the outer transaction.
 */
export function createSqliteUnitOfWork(db: SqliteDatabase): UnitOfWork {
  return { run: (fn) => db.transaction(fn)() };
}
