/**
 * Back-issuance throughput: generates N records (scripts/gen-records.ts, ~3 % deliberately
 * invalid) into a temporary file, seeds a temporary data directory with the demo trust domain,
 * runs `backfill` over it with the worker threads (one per core) and prints records/s, total
 * time and the peak RSS of that process (VmHWM: main thread and workers). Same-run
 * baselines: bare ECDSA P-256 signing on one core (two signatures per record, node crypto) and,
 * unless --no-single, the same backfill with everything on the main thread.
 *
 * It runs the CLI as `npm run cli` does, compiled (it runs `npm run build` first); with --source,
 * from the TypeScript through tsx (every thread then also loads the compiler: more memory, a
 * slower start).
 *
 *   npm run bench:backfill [-- --count 1000000] [--threads N] [--no-single] [--source]
 *   BACKFILL_PROFILE_DIR=dir: CPU profiles of every thread of each run (node --cpu-prof)
 */
import 'reflect-metadata';
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateRecords } from '../scripts/gen-records.ts';
import { seedDemoDataDir, testEnvironment } from '../tests/http/demo-data-dir.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    threads: { type: 'string' },
    'no-single': { type: 'boolean', default: false },
    source: { type: 'boolean', default: false },
  },
});
const count = Number(values.count);
const work = mkdtempSync(path.join(tmpdir(), 'bench-backfill-'));

async function writeRecords(file: string, n: number): Promise<void> {
  const out = createWriteStream(file);
  for (const record of generateRecords(n, 7)) {
    if (!out.write(`${JSON.stringify(record)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

/** Two P-256 signatures per record over ~1 KB, as many as one core makes in `ms`. */
function bareSigningRecordsPerSecond(ms = 2000): number {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = Buffer.alloc(1200, 7);
  const end = performance.now() + ms;
  let signatures = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    signatures += 100;
  }
  return signatures / 2 / (ms / 1000);
}

/**
 * `backfill` as an operator runs it: its own process (node with tsx's loader), timed from spawn
 * to exit; peak RSS is the kernel's high-water mark of that process (VmHWM), threads included.
 */
async function backfill(label: string, file: string, threads: number | undefined) {
  const dataDir = path.join(work, `data-${label}`);
  await seedDemoDataDir(dataDir);
  // BACKFILL_PROFILE_DIR: a CPU profile of each thread of the run (main and workers), written at exit.
  const profile = process.env.BACKFILL_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${path.join(process.env.BACKFILL_PROFILE_DIR, label)}`]
    : [];
  const cli = [...profile, ...(values.source ? ['--import', 'tsx', 'src/cli/main.ts'] : ['dist/src/cli/main.js'])];
  const args = [...cli, 'backfill', file, '--reject-file', `${file}.${label}.rejects`];
  if (threads !== undefined) args.push('--threads', String(threads));
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...testEnvironment(dataDir) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let peakKb = 0;
  let cpuTicks = 0;
  let mainTicks = 0;
  /** CPU ticks per thread (task id): where the time goes besides the main thread. */
  const threadTicks = new Map<string, number>();
  const sampler = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
      // utime + stime (fields 14 and 15), all threads, in clock ticks (100 per second here).
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpuTicks = Math.max(cpuTicks, Number(fields[11]) + Number(fields[12]));
      // The main thread alone (its task id is the process id): the serial share of the run.
      const main = readFileSync(`/proc/${child.pid}/task/${child.pid}/stat`, 'utf8');
      const mainFields = main.slice(main.lastIndexOf(')') + 2).split(' ');
      mainTicks = Math.max(mainTicks, Number(mainFields[11]) + Number(mainFields[12]));
      for (const task of readdirSync(`/proc/${child.pid}/task`)) {
        try {
          const text = readFileSync(`/proc/${child.pid}/task/${task}/stat`, 'utf8');
          const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
          threadTicks.set(task, Math.max(threadTicks.get(task) ?? 0, Number(f[11]) + Number(f[12])));
        } catch {
          // the thread ended between the listing and the read
        }
      }
    } catch {
      // exited between samples
    }
  }, 50);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    for (const line of chunk.toString().split('\n')) if (line.startsWith('backfill ')) console.log(`  ${line}`);
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`backfill exited with ${code}`);
  const summary = JSON.parse(output.trim().split('\n').at(-1)!) as {
    issued: number;
    rejected: number;
    skipped: number;
    stages?: Record<string, number>;
  };
  return {
    ...summary,
    seconds,
    rate: count / seconds,
    peakMb: peakKb / 1024,
    cpuSeconds: cpuTicks / 100,
    mainCpuSeconds: mainTicks / 100,
    /** Every other thread's CPU seconds, largest first (worker threads, V8's GC helpers, the checkpointer …). */
    otherThreads: [...threadTicks]
      .filter(([task]) => task !== String(child.pid))
      .map(([, ticks]) => ticks / 100)
      .filter((seconds) => seconds >= 0.5)
      .sort((a, b) => b - a),
  };
}

const file = path.join(work, 'records.ndjson');
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; node ${process.version}; generating ${count} records …`,
);
await writeRecords(file, count);
if (!values.source) {
  console.log('building (npm run build) …');
  execFileSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
const bare = bareSigningRecordsPerSecond();
console.log(`baseline: bare ECDSA P-256 signing, one core: ${Math.round(bare)} records/s (2 signatures each)`);
const results: { label: string; r: Awaited<ReturnType<typeof backfill>> }[] = [];
if (!values['no-single']) results.push({ label: 'one thread (main)', r: await backfill('single', file, 0) });
const threads = values.threads === undefined ? undefined : Number(values.threads);
results.push({ label: `worker threads (${threads ?? 'one per core'})`, r: await backfill('workers', file, threads) });
for (const { label, r } of results) {
  console.log(
    `${label.padEnd(28)} ${count} records in ${r.seconds.toFixed(1)} s: ${Math.round(r.rate)} records/s ` +
      `(${(r.rate / bare).toFixed(2)} × bare one-core signing), peak RSS ${Math.round(r.peakMb)} MB; ` +
      `${r.issued} issued, ${r.rejected} rejected, ${r.skipped} skipped`,
  );
  const perRecord = (ms: number) => `${Math.round((ms * 1000) / count)} µs`;
  console.log(
    `${''.padEnd(28)} CPU ${r.cpuSeconds.toFixed(1)} s (${perRecord(r.cpuSeconds * 1000)}/record, all threads; ` +
      `main thread ${r.mainCpuSeconds.toFixed(1)} s, ${perRecord(r.mainCpuSeconds * 1000)}/record); ` +
      `stages per record (wall, threads summed): ${Object.entries(r.stages ?? {})
        .map(([stage, ms]) => `${stage.replace(/Ms$/, '')} ${perRecord(ms)}`)
        .join(', ')}`,
  );
  console.log(
    `${''.padEnd(28)} other threads' CPU (s, each ≥ 0.5 s, largest first; node names them all "node": the ` +
      `worker threads, V8's platform threads that run the isolates' GC tasks, the WAL checkpointer): ` +
      r.otherThreads.map((seconds) => seconds.toFixed(1)).join(', '),
  );
}
console.log(
  `load average at the end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (${availableParallelism()} cores)`,
);
rmSync(work, { recursive: true, force: true });
