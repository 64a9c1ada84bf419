import { createRequire } from 'node:module';
import { isMainThread } from 'node:worker_threads';
import {
  PostgresError,
  type QueryResult,
  type Statement,
  type SyncConnection,
  type SyncConnectionOptions,
} from './sync-connection.ts';

/**
 * One PostgreSQL connection through libpq's own synchronous calls (the `libpq` package, the
 * binding pg-native is built on): each statement is one round trip from this thread, with no
 * second thread to hand it to and wake from. On this machine kind that halves a statement's cost
 * against the worker-thread connection (sync-connection.ts), which stays the fallback where the
 * binding could not be built (it needs libpq's headers when `npm ci` runs).
 *
 * Values cross as text, and are turned into what node-postgres (and SQLite) would give: numbers
 * for integers and NUMERIC, booleans, Buffers for bytea, parsed JSON.
 */
interface Libpq {
  connectSync(conninfo: string): void;
  finish(): void;
  exec(sql: string): void;
  prepare(name: string, sql: string, parameters: number): void;
  execPrepared(name: string, parameters: (string | null)[]): void;
  execParams(sql: string, parameters: (string | null)[]): void;
  sendPrepare(name: string, sql: string, parameters: number): boolean;
  sendQueryPrepared(name: string, parameters: (string | null)[]): boolean;
  sendQueryParams(sql: string, parameters: (string | null)[]): boolean;
  getResult(): boolean;
  pipelineModeSupported(): boolean;
  enterPipelineMode(): boolean;
  exitPipelineMode(): boolean;
  pipelineSync(): boolean;
  resultStatus(): string;
  resultErrorMessage(): string;
  resultErrorFields(): { sqlState?: string; messagePrimary?: string; messageDetail?: string } | undefined;
  errorMessage(): string;
  transactionStatus(): number;
  ntuples(): number;
  nfields(): number;
  fname(column: number): string;
  ftype(column: number): number;
  getvalue(row: number, column: number): string;
  getisnull(row: number, column: number): boolean;
  cmdTuples(): string;
}

type LibpqConstructor = new () => Libpq;

let binding: LibpqConstructor | null | undefined;

/**
 * The libpq binding, or null where it is not installed (it is an optional dependency) or this is
 * not the main thread: the binding watches its socket on the process's default event loop, which
 * belongs to the main thread.
 */
export function libpqBinding(): LibpqConstructor | null {
  if (binding === undefined) {
    binding = null;
    if (isMainThread) {
      try {
        binding = createRequire(import.meta.url)('libpq') as LibpqConstructor;
      } catch {
        // not installed: the thread connection serves
      }
    }
  }
  return binding;
}

const MAX_PREPARED = 2000;

/**
 * Finished clients kept reachable until the event loop has turned. The binding's finish() hands
 * its socket watcher to libuv to close, and that memory belongs to the JavaScript object: if the
 * object were collected before the loop ran the close, libuv would read freed memory (seen as
 * `uv__finish_close` assertion failures).
 */
const closing = new Set<Libpq>();

function finish(pq: Libpq): void {
  pq.finish();
  closing.add(pq);
  // Close callbacks run after the check phase of the loop's turn: the second setImmediate is past them.
  setImmediate(() => setImmediate(() => closing.delete(pq)));
}

/** PQtransactionStatus: the connection is bad. */
const TRANSACTION_UNKNOWN = 4;

const asNumber = (text: string) => Number(text);
const asBoolean = (text: string) => text === 't';
const asBytes = (text: string) => Buffer.from(text.slice(2), 'hex'); // bytea_output = hex: \x…
const asJson = (text: string) => JSON.parse(text) as unknown;

/** Text → value by type OID, as node-postgres's defaults do for the types the schema uses. */
const PARSERS = new Map<number, (text: string) => unknown>([
  [16, asBoolean],
  [17, asBytes],
  [20, asNumber], // int8: the schema keeps them below 2^53
  [21, asNumber],
  [23, asNumber],
  [26, asNumber],
  [700, asNumber],
  [701, asNumber],
  [1700, asNumber], // numeric: sums and averages of counts
  [114, asJson],
  [3802, asJson],
]);

/** A PostgreSQL array literal, elements quoted (how node-postgres sends a JavaScript array). */
function arrayLiteral(values: readonly unknown[]): string {
  const elements = values.map((value) => {
    if (value === null || value === undefined) return 'NULL';
    if (Array.isArray(value)) return arrayLiteral(value);
    return `"${textOf(value).replace(/[\\"]/g, '\\$&')}"`;
  });
  return `{${elements.join(',')}}`;
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array)
    return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  if (Array.isArray(value)) return arrayLiteral(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value); // numbers, bigints, booleans ('true'/'false')
}

const parameterOf = (value: unknown): string | null => (value === null || value === undefined ? null : textOf(value));

/** `connect_timeout` (whole seconds) added to a URL or key=value connection string. */
function withConnectTimeout(url: string, ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (!/^postgres(ql)?:\/\//.test(url)) return `${url} connect_timeout=${seconds}`;
  return `${url}${url.includes('?') ? '&' : '?'}connect_timeout=${seconds}`;
}

export function openLibpqConnection(url: string, options: SyncConnectionOptions = {}): SyncConnection {
  const Binding = libpqBinding();
  if (!Binding) throw new Error('the libpq binding is not installed');
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  const conninfo = withConnectTimeout(url, options.connectTimeoutMs ?? 10_000);
  let client: Libpq | null = null;
  let closed = false;
  const prepared = new Map<string, string>();

  /** The error of the last result, as a PostgresError with its SQLSTATE. */
  function failure(pq: Libpq): PostgresError {
    const fields = pq.resultErrorFields();
    const message = fields?.messagePrimary ?? (pq.resultErrorMessage() || pq.errorMessage()).trim();
    return new PostgresError(message, fields?.sqlState, fields?.messageDetail);
  }

  /** Throws the last result's error; a lost connection is dropped, and the next statement connects again. */
  function check(pq: Libpq): void {
    const status = pq.resultStatus();
    if (status === 'PGRES_COMMAND_OK' || status === 'PGRES_TUPLES_OK' || status === 'PGRES_EMPTY_QUERY') return;
    const error = failure(pq);
    if (pq.transactionStatus() === TRANSACTION_UNKNOWN) drop();
    throw error;
  }

  function drop(): void {
    if (client) finish(client);
    client = null;
    prepared.clear();
  }

  function connection(): Libpq {
    if (closed) throw new Error('the PostgreSQL connection is closed');
    if (client) return client;
    const fresh = new Binding!();
    try {
      fresh.connectSync(conninfo);
    } catch (error) {
      throw new PostgresError((error as Error).message.trim(), undefined, undefined);
    }
    client = fresh;
    try {
      // Notices and warnings (CREATE … IF NOT EXISTS skipping; a ROLLBACK with no transaction
      // after a reconnection) would go to stderr from libpq itself.
      run('SELECT set_config($1, $2, false), set_config($3, $4, false), set_config($5, $6, false)', [
        'statement_timeout',
        String(statementTimeoutMs),
        'application_name',
        options.applicationName ?? 'birth-certificate',
        'client_min_messages',
        'error',
      ]);
      for (const statement of options.onConnect ?? []) run(statement.sql, statement.params);
    } catch (error) {
      drop();
      throw error;
    }
    return fresh;
  }

  function rowsOf<R>(pq: Libpq): R[] {
    const count = pq.ntuples();
    if (count === 0) return [];
    const width = pq.nfields();
    const names: string[] = [];
    const parsers: (((text: string) => unknown) | undefined)[] = [];
    for (let column = 0; column < width; column++) {
      names.push(pq.fname(column));
      parsers.push(PARSERS.get(pq.ftype(column)));
    }
    const rows: R[] = [];
    for (let row = 0; row < count; row++) {
      const record: Record<string, unknown> = {};
      for (let column = 0; column < width; column++) {
        if (pq.getisnull(row, column)) record[names[column]!] = null;
        else {
          const text = pq.getvalue(row, column);
          const parse = parsers[column];
          record[names[column]!] = parse ? parse(text) : text;
        }
      }
      rows.push(record as R);
    }
    return rows;
  }

  /**
   * Whether a statement gets a name of its own: each distinct statement with parameters is parsed
   * once per connection (up to a bound, past which statements are parsed each time rather than
   * held by the server forever); those without (BEGIN, COMMIT, savepoints) go unnamed.
   */
  const worthNaming = (params: readonly unknown[], named: number) => params.length > 0 && named < MAX_PREPARED;

  const resultOf = <R>(pq: Libpq): QueryResult<R> => ({ rows: rowsOf<R>(pq), changes: Number(pq.cmdTuples()) || 0 });

  function run<R>(sql: string, params: readonly unknown[]): QueryResult<R> {
    const pq = connection();
    let name = prepared.get(sql);
    if (name === undefined && worthNaming(params, prepared.size)) {
      name = `s${prepared.size}`;
      pq.prepare(name, sql, params.length);
      check(pq);
      prepared.set(sql, name);
    }
    if (name === undefined) pq.execParams(sql, params.map(parameterOf));
    else pq.execPrepared(name, params.map(parameterOf));
    check(pq);
    return resultOf<R>(pq);
  }

  /** The connection broke in the middle of a pipeline: dropped, and the next statement connects again. */
  function broken(pq: Libpq): PostgresError {
    const error = new PostgresError(
      pq.errorMessage().trim() || 'the connection to PostgreSQL was lost',
      undefined,
      undefined,
    );
    drop();
    return error;
  }

  /**
   * The statements in one pipeline: sent together, then a sync, then every result read. Should
   * anything but a statement's own failure interrupt it, the connection is dropped (the server
   * rolls back whatever it had begun): a connection left in pipeline mode would send what was
   * left of this batch ahead of the next one.
   */
  function pipeline(pq: Libpq, statements: readonly Statement[]): QueryResult<unknown>[] {
    // Every value converted first: nothing is sent unless all of it can be.
    const values = statements.map(({ params }) => params.map(parameterOf));
    let read: { results: QueryResult<unknown>[]; first: PostgresError | null };
    try {
      read = sendAndRead(pq, statements, values);
    } catch (error) {
      if (client === pq) drop();
      throw error;
    }
    if (read.first) {
      if (pq.transactionStatus() === TRANSACTION_UNKNOWN) drop();
      throw read.first;
    }
    return read.results;
  }

  function sendAndRead(pq: Libpq, statements: readonly Statement[], values: (string | null)[][]) {
    if (!pq.enterPipelineMode()) throw broken(pq);
    // What was sent, in order: a statement's index, or the SQL of a statement prepared on the way.
    const sent: (number | { prepared: string; name: string })[] = [];
    const naming = new Map<string, string>();
    statements.forEach(({ sql, params }, i) => {
      let name = prepared.get(sql) ?? naming.get(sql);
      if (name === undefined && worthNaming(params, prepared.size + naming.size)) {
        name = `s${prepared.size + naming.size}`;
        if (!pq.sendPrepare(name, sql, params.length)) throw broken(pq);
        naming.set(sql, name);
        sent.push({ prepared: sql, name });
      }
      const sentOk = name === undefined ? pq.sendQueryParams(sql, values[i]!) : pq.sendQueryPrepared(name, values[i]!);
      if (!sentOk) throw broken(pq);
      sent.push(i);
    });
    if (!pq.pipelineSync()) throw broken(pq);
    const results: QueryResult<unknown>[] = [];
    let first: PostgresError | null = null;
    for (const command of sent) {
      if (!pq.getResult()) throw broken(pq);
      const status = pq.resultStatus();
      if (status === 'PGRES_FATAL_ERROR') first ??= failure(pq);
      else if (status !== 'PGRES_PIPELINE_ABORTED') {
        if (typeof command === 'number') results[command] = resultOf(pq);
        else prepared.set(command.prepared, command.name);
      }
      while (pq.getResult()) {
        // the end of this command's results
      }
    }
    if (!pq.getResult() || pq.resultStatus() !== 'PGRES_PIPELINE_SYNC') throw broken(pq);
    if (!pq.exitPipelineMode()) throw broken(pq);
    return { results, first };
  }

  return {
    transport: 'libpq',
    query: run,
    batch(statements) {
      const pq = connection();
      if (statements.length > 1 && pq.pipelineModeSupported()) return pipeline(pq, statements);
      return statements.map(({ sql, params }) => run(sql, params));
    },
    exec(sql) {
      const pq = connection();
      pq.exec(sql);
      check(pq);
    },
    reset: drop,
    close() {
      if (closed) return;
      drop();
      closed = true;
    },
  };
}
