import { createRequire } from 'node:module';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

/**
 * One PostgreSQL connection, used synchronously, for where the libpq binding is not installed
 * (libpq-connection.ts is the faster way, and the default): its client (node-postgres) lives in a worker
 * thread, and this thread posts each statement and waits on a shared flag for the answer
 * (Atomics.wait, then receiveMessageOnPort). The stores' ports are synchronous, as SQLite's
 * driver is; the cost is that a node's event loop waits for each statement's round trip (on a
 * local server ~0.1–0.3 ms), which bounds one node's statements per second — more nodes raise it.
 *
 * Plain JavaScript (no loader needed). BIGINT and NUMERIC come back as numbers: the schema keeps
 * them below 2^53 (numbers, seconds, counts), as SQLite's integers.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const pg = require(workerData.pg);
const types = new pg.TypeOverrides();
types.setTypeParser(20, Number);
types.setTypeParser(1700, Number);
const signal = new Int32Array(workerData.flag);
const port = workerData.port;
let client = null;
const named = new Map();

async function connection() {
  if (client) return client;
  const fresh = new pg.Client({
    connectionString: workerData.url,
    types,
    application_name: workerData.applicationName,
    statement_timeout: workerData.statementTimeoutMs,
    connectionTimeoutMillis: workerData.connectTimeoutMs,
  });
  // A lost connection (server restart, failover) fails the statement in flight; the next
  // statement connects again.
  fresh.on('error', () => { if (client === fresh) { client = null; named.clear(); } });
  await fresh.connect();
  for (const statement of workerData.onConnect) await fresh.query(statement.sql, statement.params);
  client = fresh;
  return fresh;
}

async function answer(request) {
  if (request.op === 'close' || request.op === 'reset') {
    if (client) await client.end().catch(() => {});
    client = null;
    named.clear();
    return {};
  }
  const c = await connection();
  if (request.op === 'exec') {
    await c.query(request.sql);
    return {};
  }
  if (request.op === 'batch') {
    const results = [];
    for (const statement of request.statements) results.push(await run(c, statement.sql, statement.params));
    return { results };
  }
  return run(c, request.sql, request.params);
}

// Each distinct statement with parameters is parsed once per connection: a named prepared
// statement. Those without (BEGIN, COMMIT, savepoints) go unnamed.
async function run(c, sql, params) {
  let name = named.get(sql);
  if (name === undefined && params.length > 0 && named.size < 2000) {
    name = 's' + named.size;
    named.set(sql, name);
  }
  const result = await c.query({ name, text: sql, values: params });
  return { rows: result.rows, changes: result.rowCount ?? 0 };
}

port.on('message', async (request) => {
  let reply;
  try {
    reply = await answer(request);
  } catch (error) {
    reply = { error: { message: String(error && error.message), code: error && error.code, detail: error && error.detail } };
    if (client && !client._connected) { client = null; named.clear(); }
  }
  port.postMessage({ id: request.id, ...reply });
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

export interface SyncConnectionOptions {
  /** Shown in pg_stat_activity. */
  applicationName?: string;
  /** The server cancels a statement that runs longer (also bounds how long this thread waits). */
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Statements run on every new connection (the first and each after a lost one), before anything else. */
  onConnect?: { sql: string; params: unknown[] }[];
  /**
   * libpq's synchronous calls (libpq-connection.ts) or a node-postgres client in a thread of its
   * own (this file). By default libpq where its binding is installed, the thread otherwise.
   */
  transport?: PostgresTransport;
}

export type PostgresTransport = 'libpq' | 'thread';

export interface QueryResult<R> {
  rows: R[];
  changes: number;
}

/** An error the server (or the connection) raised, with its SQLSTATE code (23505: unique violation). */
export class PostgresError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly detail: string | undefined,
  ) {
    super(message);
    this.name = 'PostgresError';
  }
}

export interface Statement {
  sql: string;
  params: readonly unknown[];
}

export interface SyncConnection {
  readonly transport: PostgresTransport;
  query<R>(sql: string, params: readonly unknown[]): QueryResult<R>;
  /**
   * Several statements, in order, sent together where the transport can (libpq's pipeline mode:
   * one round trip); the results in the same order. The first failure is thrown, and the
   * statements after it did not run. Meant for inside a transaction: outside one, libpq's
   * pipeline is one implicit transaction (a failure undoes the statements before it), the
   * thread's batch is not.
   */
  batch(statements: readonly Statement[]): QueryResult<unknown>[];
  /** Ends the session (the server rolls back what it had begun); the next statement connects again. */
  reset(): void;
  exec(sql: string): void;
  close(): void;
}

export function openThreadConnection(url: string, options: SyncConnectionOptions = {}): SyncConnection {
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const { port1, port2 } = new MessageChannel();
  const flag = new SharedArrayBuffer(4);
  const signal = new Int32Array(flag);
  const thread = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      port: port2,
      flag,
      url,
      pg: createRequire(import.meta.url).resolve('pg'),
      applicationName: options.applicationName ?? 'birth-certificate',
      statementTimeoutMs,
      connectTimeoutMs,
      onConnect: options.onConnect ?? [],
    },
    transferList: [port2 as unknown as MessagePort],
  });
  thread.unref();
  let lastId = 0;
  let closed = false;
  // The server's own timeouts answer first; this only ends a wait on a thread that died.
  const waitMs = statementTimeoutMs + connectTimeoutMs + 5_000;

  function call<R>(request: {
    op: string;
    sql?: string;
    params?: readonly unknown[];
    statements?: readonly Statement[];
  }): QueryResult<R> & { results?: QueryResult<unknown>[] } {
    if (closed) throw new Error('the PostgreSQL connection is closed');
    const id = ++lastId;
    Atomics.store(signal, 0, 0);
    port1.postMessage({ ...request, id });
    for (;;) {
      const received = receiveMessageOnPort(port1);
      if (received) {
        const reply = received.message as {
          id: number;
          rows?: R[];
          changes?: number;
          results?: QueryResult<unknown>[];
          error?: { message: string; code?: string; detail?: string };
        };
        if (reply.id !== id) continue; // the late answer of a statement given up on
        if (reply.error) throw new PostgresError(reply.error.message, reply.error.code, reply.error.detail);
        return { rows: reply.rows ?? [], changes: reply.changes ?? 0, results: reply.results };
      }
      if (Atomics.wait(signal, 0, 0, waitMs) === 'timed-out') {
        throw new Error(`PostgreSQL did not answer within ${waitMs} ms`);
      }
      Atomics.store(signal, 0, 0);
    }
  }

  return {
    transport: 'thread',
    query: (sql, params) => call({ op: 'query', sql, params }),
    batch: (statements) => call({ op: 'batch', statements }).results!,
    reset: () => void call({ op: 'reset' }),
    exec: (sql) => void call({ op: 'exec', sql }),
    close() {
      if (closed) return;
      try {
        call({ op: 'close' });
      } finally {
        closed = true;
        port1.close();
        void thread.terminate();
      }
    },
  };
}
