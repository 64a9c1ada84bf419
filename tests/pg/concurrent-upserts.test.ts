import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { workerSource } from '../../src/adapters/backfill/worker-pool.ts';
import { createSqlConsoleSessionStore } from '../../src/adapters/sql/console-session-store.ts';
import { sharedTestDatabase } from '../adapters/shared-test-database.ts';
import { testEngine } from '../storage-kit.ts';

const nodes = 4;
const rounds = 150;

let database: Awaited<ReturnType<typeof sharedTestDatabase>> | undefined;
afterEach(() => database?.remove());

/**
 * Several connections in threads of their own (as several nodes), started together on one
 * database: every rate-limit hit is counted exactly once, each answered with a count no other
 * hit got, and a session's idle clock ends at the latest touch of any node. Each is one
 * INSERT … ON CONFLICT … DO UPDATE, with no transaction around it.
 */
describe(`upserts from several nodes at once on ${testEngine}`, () => {
  it('lose no rate-limit hit and never move a session clock back', async () => {
    database = await sharedTestDatabase();
    const main = database.connect(); // migrates the SQLite file before the nodes open it
    const start = new SharedArrayBuffer(4);
    const t0 = 1_900_000_000_000;
    const source = workerSource(new URL('../adapters/concurrent-node-worker.ts', import.meta.url));
    const workers = Array.from(
      { length: nodes },
      (_, node) =>
        new Worker(source.code, {
          eval: source.eval,
          workerData: { engine: testEngine, location: database!.location, node, rounds, start, t0 },
        }),
    );
    const messages = workers.map((worker) => {
      const queue: Promise<{ ready?: true; hits?: number[] }>[] = [];
      let resolveNext: ((m: { ready?: true; hits?: number[] }) => void)[] = [];
      for (let i = 0; i < 2; i++) {
        queue.push(
          new Promise((resolve, reject) => {
            resolveNext.push(resolve);
            worker.once('error', reject);
          }),
        );
      }
      worker.on('message', (m) => {
        resolveNext[0]?.(m);
        resolveNext = resolveNext.slice(1);
      });
      return queue;
    });
    await Promise.all(messages.map((q) => q[0]));
    Atomics.store(new Int32Array(start), 0, 1);
    Atomics.notify(new Int32Array(start), 0);
    const answers = await Promise.all(messages.map((q) => q[1]));
    await Promise.all(workers.map((worker) => worker.terminate()));

    const all = answers.flatMap((answer) => answer!.hits!).sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: nodes * rounds }, (_, i) => i + 1));
    expect(main.all(main.db.selectFrom('rate_limit_hits').select(['hits', 'window_start_ms']))).toEqual([
      { hits: nodes * rounds, window_start_ms: t0 },
    ]);
    expect(main.all(main.db.selectFrom('service_secrets').select('name'))).toEqual([{ name: 'rate-limit-keys' }]);
    expect(createSqlConsoleSessionStore(main).lastSeen('session')).toBe(t0 + nodes - 1 + (rounds - 1) * 16);
  }, 120_000);
});
