import type { UnitOfWork } from '../../domain/lifecycle/ports.ts';
import type { Sql } from './sql.ts';

/** A unit of work is one transaction of the connection; a nested `run` becomes a savepoint. */
export function createSqlUnitOfWork(sql: Sql): UnitOfWork {
  return { run: (fn) => sql.transaction(fn) };
}
