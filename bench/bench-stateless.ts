/**
 * What moving per-process state into the database costs (figures for the closing note; nothing
 * asserted), each against a same-run baseline of the in-memory structure it replaced:
 *   1. rate-limit hits: the shared counter (one UPSERT … RETURNING on the WAL file) against
 *      express-rate-limit's MemoryStore.increment;
 *   2. a console page's session check: the idle clock read from `console_sessions` against a Map
 *      lookup (the write happens at most once a minute per session, so it is left out);
 *   3. the same two with a second connection writing to the file at the same time (another node);
 *   4. the query layer's own cost: both through the stores (Kysely, compiled once) against the
 *      same statements prepared by hand on the better-sqlite3 connection;
 *   5. with --postgres: the rate-limit hit and the session read on PostgreSQL (a throwaway
 *      cluster of Debian's server, as `npm run test:pg` starts: fsync off, one connection
 *      thread) against the same on the SQLite file.
 *
 *   tsx bench/bench-stateless.ts [--ops 200000] [--postgres]
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { MemoryStore } from 'express-rate-limit';
import { postgresSql } from '../src/adapters/postgres/postgres-sql.ts';
import { createSqlConsoleSessionStore, createSqlSharedSecrets } from '../src/adapters/sql/console-session-store.ts';
import { migrateSchema } from '../src/adapters/sql/migrate.ts';
import { createSqlRateLimitCounter } from '../src/adapters/sql/rate-limit-store.ts';
import { sqliteSql } from '../src/adapters/sql/sqlite-sql.ts';
import { openDatabase } from '../src/adapters/sqlite/database.ts';
import { startCluster } from '../tests/pg/cluster.ts';

const { values } = parseArgs({
  options: { ops: { type: 'string', default: '200000' }, postgres: { type: 'boolean', default: false } },
});
const ops = Number(values.ops);
const dir = mkdtempSync(path.join(tmpdir(), 'bench-stateless-'));
const file = path.join(dir, 'service.sqlite');
const sql = sqliteSql(openDatabase(file));
const now = () => new Date();
const counter = createSqlRateLimitCounter(sql, createSqlSharedSecrets(sql, now), () => new Uint8Array(32).fill(1));
const sessions = createSqlConsoleSessionStore(sql);

const rate = async (label: string, run: (i: number) => unknown) => {
  const started = performance.now();
  for (let i = 0; i < ops; i++) await run(i);
  const perSecond = ops / ((performance.now() - started) / 1000);
  return { label, perSecond };
};
const show = (base: { label: string; perSecond: number }, measured: { label: string; perSecond: number }) =>
  console.log(
    `${measured.label}: ${Math.round(measured.perSecond).toLocaleString('en')}/s; ${base.label}: ${Math.round(
      base.perSecond,
    ).toLocaleString('en')}/s; ratio ${(measured.perSecond / base.perSecond).toFixed(3)}`,
  );

const keys = 1000;

/** The stores' statements as the SQLite-only stores prepared them before the query layer. */
async function queryLayerCost() {
  const { connection } = sql;
  const key = new Uint8Array(32).fill(9);
  const hit = connection.prepare<{ key: string; now: number; window: number }, { hits: number }>(
    `INSERT INTO rate_limit_hits (key, window_start_ms, hits) VALUES (@key, @now, 1)
     ON CONFLICT (key) DO UPDATE SET
       hits = CASE WHEN rate_limit_hits.window_start_ms <= @now - @window THEN 1 ELSE rate_limit_hits.hits + 1 END,
       window_start_ms = CASE WHEN rate_limit_hits.window_start_ms <= @now - @window
         THEN @now ELSE rate_limit_hits.window_start_ms END
     RETURNING hits, window_start_ms`,
  );
  const read = connection.prepare<[string], number>('SELECT last_seen_ms FROM console_sessions WHERE token_hash = ?');
  const byHand = await rate('hand-prepared hit', (i) =>
    hit.get({
      key: createHmac('sha256', key)
        .update(`p${i % keys}`)
        .digest('base64url'),
      now: Date.now(),
      window: 60_000,
    }),
  );
  show(byHand, await rate('store hit', (i) => counter.hit(`q${i % keys}`, 60_000, Date.now())));
  const readByHand = await rate('hand-prepared session read', (i) => read.get(`h${i % keys}`));
  show(readByHand, await rate('store session read', (i) => sessions.lastSeen(`h${i % keys}`)));
}

/** A round trip to another thread and the server per statement: what a PostgreSQL node pays. */
async function onPostgres() {
  const cluster = await startCluster();
  const pg = postgresSql(cluster.url());
  try {
    migrateSchema(pg);
    const pgCounter = createSqlRateLimitCounter(pg, createSqlSharedSecrets(pg, now), () => new Uint8Array(32).fill(1));
    const pgSessions = createSqlConsoleSessionStore(pg);
    for (let i = 0; i < keys; i++) pgSessions.touch(`h${i}`, Date.now());
    const liteHits = await rate('SQLite hit', (i) => counter.hit(`r${i % keys}`, 60_000, Date.now()));
    show(liteHits, await rate('PostgreSQL hit', (i) => pgCounter.hit(`r${i % keys}`, 60_000, Date.now())));
    const liteReads = await rate('SQLite session read', (i) => sessions.lastSeen(`h${i % keys}`));
    show(liteReads, await rate('PostgreSQL session read', (i) => pgSessions.lastSeen(`h${i % keys}`)));
  } finally {
    pg.close();
    await cluster.stop();
  }
}

async function round(note: string) {
  const memory = new MemoryStore();
  memory.init({ windowMs: 60_000 } as never);
  const memoryHits = await rate('MemoryStore.increment', (i) => memory.increment(`k${i % keys}`));
  memory.shutdown();
  const sharedHits = await rate(`shared counter hit${note}`, (i) => counter.hit(`k${i % keys}`, 60_000, Date.now()));
  show(memoryHits, sharedHits);

  const map = new Map<string, number>();
  for (let i = 0; i < keys; i++) {
    map.set(`h${i}`, Date.now());
    sessions.touch(`h${i}`, Date.now());
  }
  const mapReads = await rate('Map.get', (i) => map.get(`h${i % keys}`));
  const dbReads = await rate(`console_sessions read${note}`, (i) => sessions.lastSeen(`h${i % keys}`));
  show(mapReads, dbReads);
}

try {
  await round('');
  await queryLayerCost();
  if (values.postgres) await onPostgres();
  // Another node: a second process's worth of writes, from a worker thread committing a hit a
  // millisecond on its own connection while the round runs.
  const other = new Worker(
    `const Database = require('better-sqlite3');
     const { parentPort, workerData } = require('node:worker_threads');
     const db = new Database(workerData.file);
     db.pragma('busy_timeout = 5000');
     const hit = db.prepare(\`INSERT INTO rate_limit_hits (key, window_start_ms, hits) VALUES (?, ?, 1)
       ON CONFLICT (key) DO UPDATE SET hits = hits + 1\`);
     let n = 0;
     const timer = setInterval(() => { hit.run('other' + (n++ % 100), Date.now()); }, 1);
     parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.postMessage(n); });`,
    { eval: true, workerData: { file } },
  );
  await new Promise((resolve) => setTimeout(resolve, 200));
  await round(' (another connection writing)');
  other.postMessage('stop');
  const written = await new Promise<number>((resolve) => other.once('message', resolve));
  console.log(`the other connection committed ${written} hits meanwhile`);
  await other.terminate();
} finally {
  sql.close();
  rmSync(dir, { recursive: true, force: true });
}
