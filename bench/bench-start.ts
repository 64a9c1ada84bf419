/**
 * Start-up time as an operator sees it: from running the start command to the first
 * `GET /healthz` that answers 200 {"status":"ok"}.
 *   - cold: an empty DATA_DIR (the demo trust domain is created: keys, accounts, credentials file);
 *   - warm: the same DATA_DIR again, already populated.
 * Each repetition uses a fresh temporary DATA_DIR and a free port; the command runs in its own
 * process group, which is stopped (SIGTERM, then SIGKILL after 10 s) before the next run.
 * Also prints the CPU time the command's processes used until then (a shared machine's load
 * stretches wall time, much less CPU time) and the service's own share of the wall time (the
 * `startMs` of its "listening" log line).
 * Several `--command`s are run in turn within each repetition, so a comparison (say of two
 * checkouts: `--command "npm start" --command "cd ../other && npm start"`) sees the same load.
 *
 *   tsx bench/bench-start.ts [--repeat 5] [--warm 1] [--command "npm start"]...
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    repeat: { type: 'string', default: '5' },
    warm: { type: 'string', default: '1' },
    command: { type: 'string', multiple: true, default: ['npm start'] },
  },
});
const repeat = Number(values.repeat);
const warmPerCold = Number(values.warm);
const commands = values.command;
const pollMs = 10;
// As a fresh shell would run it: no passphrase or environment from whoever runs the benchmark.
const env = { ...process.env };
for (const name of ['NODE_ENV', 'KEY_PASSPHRASE', 'KEY_PASSPHRASE_FILE', 'LOG_LEVEL']) delete env[name];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

interface Run {
  wallMs: number;
  /** What the service logs as its own start time (config → listening), if it logged one. */
  serviceMs: number | null;
  /** CPU time (user + system) the command's processes had used by then: less sensitive to load. */
  cpuMs: number;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Stops the whole process group: `npm start` runs a shell that runs node. */
async function stopGroup(child: ChildProcess): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // the group is gone already
    }
  };
  signal('SIGTERM');
  const killer = setTimeout(() => signal('SIGKILL'), 10_000);
  await exited(child);
  clearTimeout(killer);
  // The shell may exit before node does; wait until no process of the group is left.
  for (let i = 0; i < 500; i++) {
    try {
      process.kill(-child.pid!, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  signal('SIGKILL');
}

/** utime + stime of every live process in the group, in ms (Linux /proc, 100 ticks per second). */
function groupCpuMs(pgid: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks * 10;
}

function serviceMsFrom(logFile: string): number | null {
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { msg?: string; startMs?: number };
      if (entry.msg === 'listening' && typeof entry.startMs === 'number') return entry.startMs;
    } catch {
      // not a log line of the service
    }
  }
  return null;
}

async function timeStart(command: string, dataDir: string, logFile: string): Promise<Run> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/healthz`;
  const out = openSync(logFile, 'w');
  const startedAt = performance.now();
  const child = spawn(command, {
    cwd: repoRoot,
    shell: true,
    detached: true,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  try {
    const deadline = startedAt + 120_000;
    while (performance.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`"${command}" exited with ${child.exitCode}:\n${readFileSync(logFile, 'utf8')}`);
      try {
        const response = await fetch(url);
        const body = await response.text();
        if (response.status === 200) {
          if (body !== '{"status":"ok"}') throw new Error(`unexpected /healthz body ${body}`);
          const wallMs = performance.now() - startedAt;
          const cpuMs = groupCpuMs(child.pid!);
          await stopGroup(child);
          // Read once stopped: the service logs asynchronously.
          return { wallMs, cpuMs, serviceMs: serviceMsFrom(logFile) };
        }
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('unexpected')) throw error;
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    throw new Error(`"${command}" was not healthy within 120 s`);
  } finally {
    await stopGroup(child);
  }
}

function summary(label: string, runs: Run[]): string {
  const stats = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    return `median ${s(median)}  min ${s(sorted[0]!)}  max ${s(sorted.at(-1)!)}`;
  };
  const service = runs.map((r) => r.serviceMs).filter((ms): ms is number => ms !== null);
  const inService = service.length === runs.length;
  return [
    `${label.padEnd(5)} n=${runs.length}  ${stats(runs.map((r) => r.wallMs))}`,
    `      cpu     ${stats(runs.map((r) => r.cpuMs))}`,
    ...(inService ? [`      service ${stats(service)}`] : []),
  ].join('\n');
}

const cold = commands.map((): Run[] => []);
const warm = commands.map((): Run[] => []);
console.log(`repetitions: ${repeat} cold, ${repeat * warmPerCold} warm`);
for (let i = 0; i < repeat; i++) {
  for (const [c, command] of commands.entries()) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-start-'));
    try {
      const logFile = path.join(dataDir, 'start.log');
      // The log sits beside, not inside, the data directory the service is given.
      const dir = path.join(dataDir, 'data');
      const run = await timeStart(command, dir, logFile);
      cold[c]!.push(run);
      const line = [`cold ${(run.wallMs / 1000).toFixed(2)} s`];
      for (let w = 0; w < warmPerCold; w++) {
        const again = await timeStart(command, dir, logFile);
        warm[c]!.push(again);
        line.push(`warm ${(again.wallMs / 1000).toFixed(2)} s`);
      }
      console.log(`  #${i + 1} ${command}: ${line.join(', ')}`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}
for (const [c, command] of commands.entries()) {
  console.log(`command: ${command}`);
  console.log(summary('cold', cold[c]!));
  console.log(summary('warm', warm[c]!));
}
