import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../sqlite/database.ts';
import { localPresence } from './presence.ts';
import { compiled, type Query, queryBuilder, type Sql } from './sql.ts';

/** Prepared statements kept per connection, by SQL text; the stores use a few hundred at most. */
const MAX_STATEMENTS = 2_000;

/** The query layer over a better-sqlite3 connection (see sql.ts). */
export function sqliteSql(connection: SqliteDatabase): Sql & { readonly connection: SqliteDatabase } {
  const db = queryBuilder('sqlite');
  const statements = new Map<string, Statement>();
  const presence = localPresence();
  function prepared(query: Query<unknown>): [Statement, readonly unknown[]] {
    const { sql, parameters } = compiled(query, db);
    let statement = statements.get(sql);
    // A statement still stepping through an `iterate` is busy: the same text inside its loop gets one of its own.
    if (statement?.busy) return [connection.prepare(sql), parameters];
    if (!statement) {
      if (statements.size >= MAX_STATEMENTS) statements.clear();
      statement = connection.prepare(sql);
      statements.set(sql, statement);
    }
    return [statement, parameters];
  }
  return {
    engine: 'sqlite',
    db,
    connection,
    all<R>(query: Query<R>) {
      const [statement, parameters] = prepared(query);
      return statement.all(...parameters) as R[];
    },
    get<R>(query: Query<R>) {
      const [statement, parameters] = prepared(query);
      return statement.get(...parameters) as R | undefined;
    },
    run(query) {
      const [statement, parameters] = prepared(query);
      return statement.run(...parameters).changes;
    },
    write(query) {
      const [statement, parameters] = prepared(query);
      statement.run(...parameters);
    },
    iterate<R>(query: Query<R>) {
      const [statement, parameters] = prepared(query);
      return statement.iterate(...parameters) as IterableIterator<R>;
    },
    exec: (text) => void connection.exec(text),
    // BEGIN IMMEDIATE: a transaction that reads and then writes (the audit head, a stock range)
    // takes the write lock first, so another connection to the file waits its turn (busy_timeout)
    // instead of failing with SQLITE_BUSY when the read lock cannot be upgraded. Nested: savepoints.
    transaction: (fn) => connection.transaction(fn).immediate(),
    get inTransaction() {
      return connection.inTransaction;
    },
    presence,
    close() {
      presence.close();
      connection.close();
    },
  };
}

/**
 * The better-sqlite3 connection under `sql`, for what only SQLite has (back-issuance's bulk
 * writes, WAL checkpoints); an error on PostgreSQL.
 */
export function sqliteConnectionOf(sql: Sql): SqliteDatabase {
  if (sql.engine !== 'sqlite' || !('connection' in sql)) {
    throw new Error('this needs the SQLite database (DATABASE_URL names PostgreSQL)');
  }
  return sql.connection as SqliteDatabase;
}
