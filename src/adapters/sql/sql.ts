import {
  type CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { Engine } from '../migration-files.ts';
import type { Presence } from './presence.ts';
import type { DB } from './schema.generated.ts';

export type { Engine } from '../migration-files.ts';

/** A query the builder made: a Kysely builder, a `sql` template, or one already compiled. */
export type Query<R> = CompiledQuery<R> | { compile(provider: Kysely<DB>): CompiledQuery<R> };

/**
 * The one query layer of the stores, over either engine. Queries are built with Kysely's typed
 * builder (`sql.db`, which compiles for the engine and never executes anything itself) and run
 * synchronously here: on SQLite by better-sqlite3 in this thread, on PostgreSQL by a connection
 * in a thread of its own that this thread waits for (see postgres/sync-connection.ts). So the
 * domain's ports stay synchronous, and a unit of work is one database transaction on either.
 */
export interface Sql {
  readonly engine: Engine;
  /** Builds and compiles queries for this engine; has no connection. */
  readonly db: Kysely<DB>;
  all<R>(query: Query<R>): R[];
  get<R>(query: Query<R>): R | undefined;
  /** Runs a statement; the number of rows it inserted, updated or deleted. */
  run(query: Query<unknown>): number;
  /**
   * A write whose outcome the caller does not read (its constraints are its checks). Inside a
   * transaction on PostgreSQL it travels with the next statement that needs an answer, or with
   * COMMIT: one round trip for several (libpq's pipeline mode). Should it fail, that statement
   * fails with its error and the transaction rolls back. Elsewhere it runs at once.
   */
  write(query: Query<unknown>): void;
  /** Rows one at a time where the engine can stream them (SQLite); all at once on PostgreSQL. */
  iterate<R>(query: Query<R>): IterableIterator<R>;
  /** Statements without parameters, several separated by `;` (migrations). */
  exec(text: string): void;
  /**
   * Runs `fn` in one transaction: committed when it returns, rolled back when it throws. Nested
   * calls become savepoints. On PostgreSQL the outermost also takes the writers' lock (see
   * postgres/postgres-sql.ts), so nodes write one at a time, as SQLite's single writer does.
   */
  transaction<T>(fn: () => T): T;
  /** Whether a transaction of this connection is open. */
  readonly inTransaction: boolean;
  /** This process among those sharing the database. */
  readonly presence: Presence;
  close(): void;
}

/**
 * A store's writes that must land together: part of the caller's unit of work when one is open,
 * else a transaction of their own. Inside a unit of work no savepoint is taken (on PostgreSQL two
 * round trips fewer): whatever throws here rolls the whole unit back.
 */
export function atomically<T>(sql: Sql, fn: () => T): T {
  return sql.inTransaction ? fn() : sql.transaction(fn);
}

/** A Kysely that only compiles, for the engine's SQL dialect. */
export function queryBuilder(engine: Engine): Kysely<DB> {
  const sqlite = engine === 'sqlite';
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => (sqlite ? new SqliteAdapter() : new PostgresAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => (sqlite ? new SqliteIntrospector(db) : new PostgresIntrospector(db)),
      createQueryCompiler: () => (sqlite ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
    },
  });
}

export function compiled<R>(query: Query<R>, db: Kysely<DB>): CompiledQuery<R> {
  return 'compile' in query ? query.compile(db) : query;
}
