import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { workerSource } from '../../src/adapters/backfill/worker-pool.ts';
import { postgresSql } from '../../src/adapters/postgres/postgres-sql.ts';
import type { Sql } from '../../src/adapters/sql/sql.ts';
import { sqliteSql } from '../../src/adapters/sql/sqlite-sql.ts';
import { openDatabase } from '../../src/adapters/sqlite/database.ts';
import { copyOfDatabase, PG_TEMPLATE, testEngine } from '../storage-kit.ts';
import type { RaceJob } from './store-race-worker.ts';

/**
 * One database of the test engine that several connections open, as nodes do: a copy of the
 * migrated template on PostgreSQL, a temporary file on SQLite. `connect` opens another
 * connection in this thread; `race` runs tasks at once, each in a thread with a connection of
 * its own (the connections are synchronous: two in one thread could not overlap).
 */
export async function sharedDatabase() {
  let database: string;
  let directory: string | null = null;
  if (testEngine === 'postgres') database = await copyOfDatabase(PG_TEMPLATE);
  else {
    directory = mkdtempSync(path.join(tmpdir(), 'store-race-'));
    database = path.join(directory, 'service.db');
  }
  const opened: Sql[] = [];
  const connect = (): Sql => {
    const sql = testEngine === 'postgres' ? postgresSql(database) : sqliteSql(openDatabase(database));
    opened.push(sql);
    return sql;
  };
  const race = async (tasks: RaceJob['task'][]): Promise<unknown[]> => {
    const start = new SharedArrayBuffer(4);
    const source = workerSource(new URL('./store-race-worker.ts', import.meta.url));
    const ready: Promise<void>[] = [];
    const results = tasks.map((task) => {
      const job: RaceJob = { engine: testEngine, database, start, task };
      const thread = new Worker(source.code, { eval: source.eval, workerData: job });
      let connected: () => void;
      ready.push(new Promise((resolve) => (connected = resolve)));
      return new Promise<unknown>((resolve, reject) => {
        thread.on('message', (message: { connected?: true; result?: unknown; error?: string }) => {
          if (message.connected) connected();
          else if (message.error === undefined) resolve(message.result);
          else reject(new Error(message.error));
        });
        thread.once('error', reject);
      });
    });
    // Every thread has its connection open and is about to wait on the flag (or already is).
    await Promise.all(ready);
    const flag = new Int32Array(start);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    return Promise.all(results);
  };
  // The first connection migrates an SQLite file, before any thread opens it.
  connect();
  const close = () => {
    for (const sql of opened) sql.close();
    if (directory) rmSync(directory, { recursive: true, force: true });
  };
  return { connect, race, close };
}
