import { newNodeName, PRESENCE_LOCKS, postgresPresence, presenceKey } from '../sql/presence.ts';
import { compiled, type Query, queryBuilder, type Sql } from '../sql/sql.ts';
import { libpqBinding, openLibpqConnection } from './libpq-connection.ts';
import { openThreadConnection, type SyncConnection, type SyncConnectionOptions } from './sync-connection.ts';

/**
 * The advisory lock every write transaction holds until it ends (pg_advisory_xact_lock, 8.2+;
 * openGauss and KingbaseES have it). Writers of all nodes go one at a time, as SQLite's single
 * writer does, so what the stores read inside a unit of work stays true until it commits: the
 * next number of a stock range, the head of the audit chain, the current certificate of a birth.
 * Reads outside a unit of work take no lock and see the last commit.
 */
export const WRITERS_LOCK = 0x62_63_32; // "bc2"

const hasNul = (value: unknown) => typeof value === 'string' && value.includes('\u0000');

/**
 * bytea values cross from the connection's thread as Uint8Array; the stores get Buffers, as
 * better-sqlite3 gives them (a view of the same memory, not a copy).
 */
function asBuffers(row: Record<string, unknown>): void {
  for (const key in row) {
    const value = row[key];
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
      row[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
  }
}

/** A connection by the transport asked for: libpq's own calls where installed, else a thread. */
export function openSyncConnection(url: string, options: SyncConnectionOptions = {}): SyncConnection {
  const transport = options.transport ?? (libpqBinding() ? 'libpq' : 'thread');
  return transport === 'libpq' ? openLibpqConnection(url, options) : openThreadConnection(url, options);
}

/** The query layer over one PostgreSQL connection (see sql.ts and sync-connection.ts). */
export function postgresSql(url: string, options: SyncConnectionOptions = {}): Sql & { connection: SyncConnection } {
  // This process's presence lock, held by the connection (taken again by each reconnection).
  const self = newNodeName();
  const connection = openSyncConnection(url, {
    ...options,
    onConnect: [{ sql: 'SELECT pg_advisory_lock($1, $2)', params: [PRESENCE_LOCKS, presenceKey(self)] }],
  });
  const db = queryBuilder('postgres');
  let depth = 0;
  const presence = postgresPresence(self, (key) => {
    const { free } = connection.query<{ free: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS free', [
      PRESENCE_LOCKS,
      key,
    ]).rows[0]!;
    if (free) connection.query('SELECT pg_advisory_unlock($1, $2)', [PRESENCE_LOCKS, key]);
    return free;
  });
  const query = <R>(q: Query<R>) => {
    const { sql, parameters } = compiled(q, db);
    // PostgreSQL text cannot hold U+0000, so no stored value has one: a read keyed by such a
    // value finds nothing, as on SQLite, instead of failing. (Writes validate their text first.)
    if (parameters.some(hasNul) && /^\s*select\b/i.test(sql)) return { rows: [], changes: 0 };
    const result = connection.query<R>(sql, parameters);
    for (const row of result.rows) asBuffers(row as Record<string, unknown>);
    return result;
  };
  return {
    engine: 'postgres',
    db,
    connection,
    all: (q) => query(q).rows,
    get: (q) => query(q).rows[0],
    run: (q) => query(q).changes,
    iterate: (q) => query(q).rows[Symbol.iterator](),
    exec: (text) => connection.exec(text),
    transaction<T>(fn: () => T): T {
      const savepoint = depth === 0 ? null : `sp${depth}`;
      if (savepoint) connection.exec(`SAVEPOINT ${savepoint}`);
      else {
        // One round trip: the transaction and its lock (a failed lock leaves it aborted, rolled back below).
        try {
          connection.exec(`BEGIN; SELECT pg_advisory_xact_lock(${WRITERS_LOCK})`);
        } catch (error) {
          connection.exec('ROLLBACK');
          throw error;
        }
      }
      depth++;
      try {
        const result = fn();
        connection.exec(savepoint ? `RELEASE SAVEPOINT ${savepoint}` : 'COMMIT');
        return result;
      } catch (error) {
        try {
          connection.exec(savepoint ? `ROLLBACK TO SAVEPOINT ${savepoint}` : 'ROLLBACK');
        } catch {
          // The connection is gone: the server has rolled the transaction back.
        }
        throw error;
      } finally {
        depth--;
      }
    },
    get inTransaction() {
      return depth > 0;
    },
    presence,
    close: () => connection.close(),
  };
}
