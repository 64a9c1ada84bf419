/**
 * One "node" of tests/pg/concurrent-upserts.test.ts, in a worker thread with a connection
 * of its own: waits for the start signal, then hits one rate-limit key and touches one console
 * session as fast as it can, and posts back the counts its hits were answered with.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { postgresSql } from '../../src/adapters/postgres/postgres-sql.ts';
import { createSqlConsoleSessionStore, createSqlSharedSecrets } from '../../src/adapters/sql/console-session-store.ts';
import { createSqlRateLimitCounter } from '../../src/adapters/sql/rate-limit-store.ts';
import { sqliteSql } from '../../src/adapters/sql/sqlite-sql.ts';
import { openDatabase } from '../../src/adapters/sqlite/database.ts';

const { engine, location, node, rounds, start, t0 } = workerData as {
  engine: 'sqlite' | 'postgres';
  location: string;
  node: number;
  rounds: number;
  start: SharedArrayBuffer;
  t0: number;
};
const sql = engine === 'sqlite' ? sqliteSql(openDatabase(location)) : postgresSql(location);
// Each node would make a different key; they must all end up using the first one stored.
const secrets = createSqlSharedSecrets(sql, () => new Date(t0));
const counter = createSqlRateLimitCounter(sql, secrets, () => new Uint8Array(32).fill(node + 1));
const sessions = createSqlConsoleSessionStore(sql);
sql.get(sql.db.selectFrom('rate_limit_hits').select('hits').limit(1)); // connected before the start

parentPort!.postMessage({ ready: true });
Atomics.wait(new Int32Array(start), 0, 0);
const hits: number[] = [];
for (let i = 0; i < rounds; i++) {
  hits.push(counter.hit('api:/api/v1/verify:203.0.113.9', 60_000, t0 + i).hits);
  // Node n touches at times n, n + nodes, …: the largest of all is the one that must stay.
  sessions.touch('session', t0 + node + i * 16);
}
sql.close();
parentPort!.postMessage({ hits });
