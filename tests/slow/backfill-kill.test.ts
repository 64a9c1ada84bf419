/**
 * `backfill` killed with SIGKILL at random moments and started again on the same input: in the
 * end every valid record is issued exactly once (one certificate, one status-list place, one
 * audit event, one outbox event), every invalid one is in the reject file once, a number given
 * twice in the file is issued once (its first line), and the audit chain is intact.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateRecords } from '../../scripts/gen-records.ts';
import { seedDemoDataDir, testEnvironment } from '../http/demo-data-dir.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RECORDS = 4000;
const KILLS = 4;

let dir: string;
let dataDir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'backfill-kill-'));
  dataDir = path.join(dir, 'data');
  await seedDemoDataDir(dataDir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Lines committed so far by the run of this input (0 before its first commit). */
function linesDone(): number {
  const db = new Database(path.join(dataDir, 'service.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare<[], { n: number }>('SELECT max(lines_done) AS n FROM backfill_runs').get()?.n ?? 0;
  } finally {
    db.close();
  }
}

/**
 * The CLI as an operator runs it; `kill` (if given) resolves when to send SIGKILL, if it is
 * still running then (it is told whether the CLI still runs, so that it stops waiting once not).
 */
function cli(args: string[], kill?: (running: () => boolean) => Promise<void>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...testEnvironment(dataDir) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let exited = false;
  void kill?.(() => !exited).then(() => {
    if (!exited) child.kill('SIGKILL');
  });
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) =>
      child.on('exit', (code, signal) => {
        exited = true;
        resolve({ code, signal, stdout, stderr });
      }),
  );
}

it('killed at random moments and restarted, issues every valid record exactly once and keeps the audit chain intact', async () => {
  const records = [...generateRecords(RECORDS, 11)];
  const lines = records.map((record) => JSON.stringify(record));
  // A number twice in one file: the first line wins, the second is skipped.
  const twice = records.find((r) => typeof r.certificateNo === 'string' && r.certificateNo.startsWith('N'));
  lines.push(JSON.stringify(twice));
  const file = path.join(dir, 'records.ndjson');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const rejectFile = `${file}.rejects`;
  const args = ['backfill', file, '--reject-file', rejectFile];

  const kills: string[] = [];
  let midRun = 0;
  for (let i = 0; i < KILLS; i++) {
    const before = linesDone();
    const delay = Math.floor(Math.random() * (i % 2 === 0 ? 1500 : 400));
    // Even rounds: anywhere from start-up (opening keys, the first batches) on, but early enough
    // that a quiet machine has not finished the whole input (a finished input leaves the later
    // rounds nothing to interrupt). Odd rounds: a random moment after this run's first commit, so
    // some kills surely land mid-run.
    const outcome = await cli(args, async (running) => {
      // A run that ends (or finds nothing left to do) before committing leaves nothing to wait for.
      if (i % 2 === 1) while (running() && linesDone() === before) await sleep(10);
      await sleep(delay);
    });
    const after = linesDone();
    kills.push(
      `${i % 2 === 1 ? 'first commit + ' : ''}${delay} ms: ${outcome.signal ?? `exit ${outcome.code}`} at line ${after}`,
    );
    if (outcome.signal === null) expect(outcome.code, outcome.stderr).toBe(0);
    else if (after > before && after < lines.length) midRun++;
  }
  expect(midRun, kills.join(', ')).toBeGreaterThan(0);
  const last = await cli(args);
  expect(last.code, `${kills.join(', ')}\n${last.stderr}`).toBe(0);
  const summary = JSON.parse(last.stdout.trim().split('\n').at(-1)!) as {
    issued: number;
    rejected: number;
    skipped: number;
  };
  expect(summary.issued + summary.rejected + summary.skipped, kills.join(', ')).toBe(lines.length);
  expect(summary.skipped).toBe(1);

  const rejects = readFileSync(rejectFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { line: number });
  const rejectedLines = new Set(rejects.map((r) => r.line));
  expect(rejectedLines.size).toBe(rejects.length);
  expect(rejects.length).toBe(summary.rejected);
  const expected = new Set(records.filter((_, i) => !rejectedLines.has(i + 1)).map((r) => String(r.certificateNo)));
  expect(expected.size).toBe(summary.issued);

  const db = new Database(path.join(dataDir, 'service.sqlite'), { readonly: true });
  try {
    const count = (sql: string) =>
      new Map(
        db
          .prepare<[], { no: string; n: number }>(sql)
          .all()
          .map((row) => [row.no, row.n]),
      );
    const certificates = count(
      'SELECT certificate_no AS no, count(*) AS n FROM certificates WHERE backfilled = 1 GROUP BY 1',
    );
    const places = count('SELECT certificate_no AS no, count(*) AS n FROM status_list_entries GROUP BY 1');
    const audited = count(
      "SELECT target AS no, count(*) AS n FROM audit_events WHERE action = 'certificate.backfilled' GROUP BY 1",
    );
    const events = count(
      `SELECT json_extract(body, '$.subject') AS no, count(*) AS n FROM events
       WHERE type = 'cn.birth-certificate.backfilled' GROUP BY 1`,
    );
    for (const [name, found] of Object.entries({ certificates, places, audited, events })) {
      expect([...found.keys()].sort(), `${name} (${kills.join(', ')})`).toEqual([...expected].sort());
      expect(
        [...found].filter(([, n]) => n !== 1),
        name,
      ).toEqual([]);
    }
  } finally {
    db.close();
  }

  const audit = await cli(['verify-audit']);
  expect(audit.code, audit.stderr).toBe(0);
  expect(JSON.parse(audit.stdout.trim().split('\n').at(-1)!)).toMatchObject({ intact: true });
}, 300_000);
