import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { startBulkWrites } from '../../src/adapters/backfill/wal-checkpointer.ts';
import { openDatabase } from '../../src/adapters/sqlite/database.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wal-checkpointer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 40 commits of 1 MB each, with a pause after each (the checkpointer's turn). */
async function writeMuch(db: ReturnType<typeof openDatabase>, committed = () => {}) {
  db.exec('CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, data BLOB)');
  const insert = db.prepare('INSERT INTO filler (data) VALUES (?)');
  for (let i = 0; i < 40; i++) {
    db.transaction(() => {
      for (let j = 0; j < 16; j++) insert.run(Buffer.alloc(64 * 1024, i));
    })();
    committed();
    await sleep(30);
  }
}

const walBytes = (file: string) => statSync(`${file}-wal`).size;

it('bulk writes: no automatic checkpoint, the WAL started over every few commits so it stays well below what was written; afterwards as before', async () => {
  const file = path.join(dir, 'bulk.sqlite');
  const db = openDatabase(file);
  const bulk = startBulkWrites(db);
  expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
  await writeMuch(db, () => bulk.committed());
  // 40 MB committed; the WAL starts over after each writer's checkpoint (every 8 commits of 1 MB).
  expect(walBytes(file)).toBeLessThan(16 * 1024 * 1024);
  await bulk.finish();
  expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  expect(db.prepare('SELECT count(*) FROM filler').pluck().get()).toBe(640);
  db.close();
});

it('without the checkpointer the same writes with the automatic checkpoint off grow the WAL to all of them', async () => {
  const file = path.join(dir, 'plain.sqlite');
  const db = openDatabase(file);
  db.pragma('wal_autocheckpoint = 0');
  await writeMuch(db);
  expect(walBytes(file)).toBeGreaterThan(40 * 1024 * 1024);
  db.close();
});
