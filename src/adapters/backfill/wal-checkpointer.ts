import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteDatabase } from '../sqlite/database.ts';

/** How often the checkpointer thread copies committed WAL frames into the database file. */
const CHECKPOINT_EVERY_MS = 250;
/** Commits between two checkpoints of the writer's own (see `committed`). */
const WRITER_CHECKPOINT_EVERY_COMMITS = 8;

/**
 * Plain JavaScript (no loader needed): a connection of its own that runs PASSIVE checkpoints,
 * which never block the writer nor wait for readers.
 */
const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.postMessage('closed');
});
parentPort.postMessage('ready');
`;

/**
 * Bulk writes with the WAL checkpoints off the writing thread. SQLite's automatic checkpoint
 * runs inside the COMMIT that crosses its threshold (1,000 pages), on the thread that commits:
 * for back-issuance that was about half of the commit time of the main thread, whose serial work
 * bounds the whole run. While bulk writing, the writer's automatic checkpoint is off and a
 * thread of its own checkpoints every 250 ms, and the writer only appends. But SQLite starts the WAL file over only when a writer begins while every frame
 * is checkpointed, which a checkpointer racing a busy writer seldom leaves it (a PASSIVE one of
 * the writer's own lost to the thread's often enough for the WAL to reach 340 MB in 175,000
 * records): so every 8th `committed` the writer makes a TRUNCATE checkpoint, which copies only
 * the frames the thread has not (tens of ms), and its next transaction starts the WAL over (when
 * the thread's checkpoint holds the lock just then, the writer tries again after each commit); TRUNCATE also empties the file (peak WAL in a 100,000-record run: 154 MB, what 8
 * commits write; 213 MB with RESTART); `journal_size_limit` cuts a grown WAL back. `finish` stops the
 * thread, restores both settings and checkpoints what is left. A run killed meanwhile leaves a
 * valid WAL: the next connection recovers it.
 */
export function startBulkWrites(db: SqliteDatabase): { committed(): void; finish(): Promise<void> } {
  if (db.memory || db.readonly) return { committed: () => {}, finish: async () => {} };
  let commits = 0;
  let due = false;
  const sizeLimit = Number(db.pragma('journal_size_limit', { simple: true }));
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  const previous = Number(db.pragma('wal_autocheckpoint', { simple: true }));
  const thread = new Worker(CHECKPOINTER_SOURCE, {
    eval: true,
    workerData: {
      file: db.name,
      everyMs: CHECKPOINT_EVERY_MS,
      betterSqlite3: createRequire(import.meta.url).resolve('better-sqlite3'),
    },
  });
  db.pragma('wal_autocheckpoint = 0');
  const failed = new Promise<never>((_, reject) => thread.once('error', reject));
  failed.catch(() => {});
  return {
    committed() {
      if (++commits % WRITER_CHECKPOINT_EVERY_COMMITS === 0) due = true;
      // A checkpoint cannot start while the thread's is running (SQLite answers busy at once,
      // without the busy handler): then it is due again after the next commit, not 8 later.
      if (due) due = (db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[])[0]?.busy === 1;
    },
    async finish() {
      const closed = new Promise<void>((resolve) => thread.on('message', (m) => m === 'closed' && resolve()));
      thread.postMessage('close');
      await Promise.race([closed, failed]).finally(() => thread.terminate());
      db.pragma(`wal_autocheckpoint = ${previous}`);
      db.pragma(`journal_size_limit = ${sizeLimit}`);
      db.pragma('wal_checkpoint(PASSIVE)');
    },
  };
}
