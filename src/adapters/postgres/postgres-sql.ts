import { newNodeName, PRESENCE_LOCKS, postgresPresence, presenceKey } from '../sql/presence.ts';
import { compiled, type Query, queryBuilder, type Sql } from '../sql/sql.ts';
import { libpqBinding, openLibpqConnection } from './libpq-connection.ts';
import {
  openThreadConnection,
  type QueryResult,
  type Statement,
  type SyncConnection,
  type SyncConnectionOptions,
} from './sync-connection.ts';

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

/** A statement waiting to travel with the next one (see `write`), numbered in the order queued. */
interface Queued extends Statement {
  seq: number;
}

/**
 * The query layer over one PostgreSQL connection (see sql.ts and sync-connection.ts).
 *
 * Inside a transaction, statements whose answer nobody waits for are queued and sent with the
 * next statement that needs one, in one round trip: the BEGIN and the writers' lock go with the
 * transaction's first statement, and `write`s (inserts and updates the caller does not read back)
 * with the next read or the COMMIT. A nested unit's SAVEPOINT goes at once, and its RELEASE too
 * when it queued writes, so each failure is raised in the unit it belongs to, as on SQLite.
 */
export function postgresSql(url: string, options: SyncConnectionOptions = {}): Sql & { connection: SyncConnection } {
  // This process's presence lock, held by the connection (taken again by each reconnection).
  const self = newNodeName();
  const connection = openSyncConnection(url, {
    ...options,
    onConnect: [{ sql: 'SELECT pg_advisory_lock($1, $2)', params: [PRESENCE_LOCKS, presenceKey(self)] }],
  });
  const db = queryBuilder('postgres');
  let depth = 0;
  let queue: Queued[] = [];
  let queued = 0;
  /** The number of the last statement handed to the connection (sent, or failed on the way). */
  let handed = 0;

  const enqueue = (sql: string, params: readonly unknown[] = []) => {
    queue.push({ sql, params, seq: ++queued });
    return queued;
  };

  /**
   * Whether a statement of the open transaction failed. PostgreSQL then refuses everything but a
   * rollback, and answers a COMMIT with a silent ROLLBACK; here too nothing but a rollback is sent
   * (which also keeps a unit whose session was lost from going on in a new one, outside any
   * transaction), and a COMMIT is refused.
   */
  let aborted = false;

  /** Runs `work` for the open transaction: refused once a statement of it failed; a failure marks it. */
  function guarded<T>(sql: string, work: () => T): T {
    if (aborted && !sql.startsWith('ROLLBACK')) {
      throw new Error('a statement of this transaction failed: only a rollback can follow');
    }
    try {
      return work();
    } catch (error) {
      if (depth > 0) aborted = true;
      throw error;
    }
  }

  /** One statement, with whatever is queued before it: its own result. */
  function send<R>(sql: string, params: readonly unknown[] = []): QueryResult<R> {
    return guarded(sql, () => {
      handed = ++queued;
      if (queue.length === 0) return connection.query<R>(sql, params);
      const statements = [...queue, { sql, params }];
      queue = [];
      return connection.batch(statements).at(-1) as QueryResult<R>;
    });
  }

  const presence = postgresPresence(self, (key) => {
    const { free } = send<{ free: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS free', [PRESENCE_LOCKS, key])
      .rows[0]!;
    if (free) send('SELECT pg_advisory_unlock($1, $2)', [PRESENCE_LOCKS, key]);
    return free;
  });
  const query = <R>(q: Query<R>) => {
    const { sql, parameters } = compiled(q, db);
    // PostgreSQL text cannot hold U+0000, so no stored value has one: a read keyed by such a
    // value finds nothing, as on SQLite, instead of failing. (Writes validate their text first.)
    if (parameters.some(hasNul) && /^\s*select\b/i.test(sql)) return { rows: [], changes: 0 };
    const result = send<R>(sql, parameters);
    for (const row of result.rows) asBuffers(row as Record<string, unknown>);
    return result;
  };

  /**
   * Undoes a (sub)transaction begun by the statement numbered `begun`: what it queued is dropped;
   * the server is told only if its BEGIN or SAVEPOINT reached it.
   */
  function rollBack(begun: number, savepoint: string | null): void {
    queue = queue.filter((statement) => statement.seq < begun);
    if (begun <= handed) {
      try {
        send(savepoint ? `ROLLBACK TO SAVEPOINT ${savepoint}` : 'ROLLBACK');
      } catch {
        // The session cannot even roll back: end it, and the server rolls the whole transaction
        // back. An enclosing unit stays aborted: its next statement fails, it never commits.
        connection.reset();
        if (savepoint) return;
      }
    }
    // Back where the (sub)transaction began: before it, nothing had failed (its BEGIN or
    // SAVEPOINT would have failed, and it would not have begun).
    aborted = false;
  }

  return {
    engine: 'postgres',
    db,
    connection,
    all: (q) => query(q).rows,
    get: (q) => query(q).rows[0],
    run: (q) => query(q).changes,
    write(q) {
      if (depth === 0) return void query(q);
      const { sql, parameters } = compiled(q, db);
      enqueue(sql, parameters);
    },
    iterate: (q) => query(q).rows[Symbol.iterator](),
    exec(text) {
      guarded(text, () => {
        // Several statements in one text cannot join a pipeline: what is queued goes first.
        if (queue.length > 0) {
          handed = queued;
          const statements = queue;
          queue = [];
          connection.batch(statements);
        }
        handed = ++queued;
        connection.exec(text);
      });
    },
    transaction<T>(fn: () => T): T {
      const savepoint = depth === 0 ? null : `sp${depth}`;
      let begun: number;
      if (savepoint) {
        // At once, with what the enclosing unit queued: a failure of that is the enclosing
        // unit's, raised here before this one begins.
        send(`SAVEPOINT ${savepoint}`);
        begun = handed;
      } else {
        begun = enqueue('BEGIN');
        // A failed lock leaves the transaction aborted: rolled back below.
        enqueue('SELECT pg_advisory_xact_lock($1)', [WRITERS_LOCK]);
      }
      depth++;
      try {
        const result = fn();
        if (savepoint) {
          // Its queued writes fail inside it, as its caller expects of a nested unit.
          if (queue.length > 0) send(`RELEASE SAVEPOINT ${savepoint}`);
          else enqueue(`RELEASE SAVEPOINT ${savepoint}`);
        } else send('COMMIT');
        return result;
      } catch (error) {
        rollBack(begun, savepoint);
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
