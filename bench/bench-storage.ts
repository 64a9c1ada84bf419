/**
 * The storage on both engines (figures for the closing note; nothing asserted): the real service
 * in one or two node processes, its PDF left out (BENCHMARK ONLY, see storage-node.ts), on
 *   - SQLite: the embedded file (two nodes: two processes on one file), and
 *   - PostgreSQL: a throwaway cluster on this machine (initdb + pg_ctl, as `npm run test:pg`).
 * Each configuration starts from a fresh database; every node prepares `--count` applications of
 * the same institution, then all nodes issue at once (issues/s: all issued ÷ the slowest node's
 * time), then all verify QR codes at once for `--seconds` (verifications/s summed).
 *
 *   tsx bench/bench-storage.ts [--count 300] [--concurrency 8] [--seconds 5]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startCluster } from '../tests/pg/cluster.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '5' },
    /** `postgres` alone skips SQLite (and the ratios between the engines). */
    engines: { type: 'string', default: 'sqlite,postgres' },
  },
});
const engines = values.engines.split(',') as ('sqlite' | 'postgres')[];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Node {
  child: ChildProcess;
  lines: AsyncIterator<string>;
}

function startNode(index: number, dataDir: string, databaseUrl: string | null): Node {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/storage-node.ts',
      '--node',
      String(index),
      '--data-dir',
      dataDir,
      '--count',
      values.count!,
      '--concurrency',
      values.concurrency!,
      '--seconds',
      values.seconds!,
      ...(databaseUrl ? ['--database-url', databaseUrl] : []),
    ],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'test' } },
  );
  const reader: Interface = createInterface({ input: child.stdout! });
  return { child, lines: reader[Symbol.asyncIterator]() };
}

async function answer(node: Node): Promise<Record<string, number | boolean>> {
  for (;;) {
    const { value, done } = await node.lines.next();
    if (done) throw new Error('a node stopped before answering');
    if (value.startsWith('{')) return JSON.parse(value);
  }
}

const ask = async (nodes: Node[], command: string) => {
  for (const node of nodes) node.child.stdin!.write(`${command}\n`);
  return Promise.all(nodes.map(answer));
};

/** CPU seconds used so far by the PostgreSQL server's processes (Linux /proc; 0 elsewhere). */
function serverCpuSeconds(): number {
  let ticks = 0;
  for (const pid of existsSync('/proc') ? readdirSync('/proc') : []) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // gone meanwhile
    }
  }
  return ticks / 100; // USER_HZ
}

interface Figures {
  issuesPerS: number;
  verificationsPerS: number;
  /** PostgreSQL statements per issue, over all nodes, and the round trips that sent them. */
  statementsPerIssue: number;
  roundTripsPerIssue: number;
  /** CPU of the node processes (all threads, the HTTP client included) per issue. */
  nodeCpuMsPerIssue: number;
  /** CPU of the PostgreSQL server per issue. */
  serverCpuMsPerIssue: number;
}

async function run(
  engine: 'sqlite' | 'postgres',
  nodeCount: number,
  newDatabase: () => Promise<string>,
): Promise<Figures> {
  const dirs = Array.from({ length: nodeCount }, () => mkdtempSync(path.join(tmpdir(), 'bench-storage-')));
  const databaseUrl = engine === 'postgres' ? await newDatabase() : null;
  // SQLite nodes share the one file; PostgreSQL nodes share nothing but the database.
  const dirOf = (i: number) => (engine === 'sqlite' ? dirs[0]! : dirs[i]!);
  const nodes: Node[] = [];
  try {
    for (let i = 0; i < nodeCount; i++) {
      // The first node seeds the demo trust domain; the others sign in with its demo credentials.
      if (i > 0 && engine === 'postgres') {
        copyFileSync(path.join(dirs[0]!, 'demo-credentials.json'), path.join(dirs[i]!, 'demo-credentials.json'));
      }
      const node = startNode(i, dirOf(i), databaseUrl);
      nodes.push(node);
      await answer(node);
    }
    const serverBefore = serverCpuSeconds();
    const issued = await ask(nodes, 'issue');
    const serverSeconds = serverCpuSeconds() - serverBefore;
    const total = issued.reduce((sum, r) => sum + Number(r.issued), 0);
    const slowest = Math.max(...issued.map((r) => Number(r.ms)));
    const verified = await ask(nodes, 'verify');
    const verificationsPerS = verified.reduce((sum, r) => sum + Number(r.verified) / (Number(r.ms) / 1000), 0);
    await ask(nodes, 'stop');
    // Let them exit on their own (a CPU profile is written at exit).
    await Promise.all(nodes.map((n) => (n.child.exitCode === null ? once(n.child, 'exit') : null)));
    const statements = issued.reduce((sum, r) => sum + Number(r.statements), 0);
    const cpuMs = issued.reduce((sum, r) => sum + Number(r.cpuMs), 0);
    return {
      issuesPerS: total / (slowest / 1000),
      verificationsPerS,
      statementsPerIssue: statements / total,
      roundTripsPerIssue: issued.reduce((sum, r) => sum + Number(r.roundTrips), 0) / total,
      nodeCpuMsPerIssue: cpuMs / total,
      serverCpuMsPerIssue: (serverSeconds * 1000) / total,
    };
  } finally {
    for (const node of nodes) if (node.child.exitCode === null) node.child.kill('SIGKILL');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

const cluster = await startCluster();
let databases = 0;
const newDatabase = async () => {
  const name = `bench_${++databases}`;
  const admin = new pg.Client({ connectionString: cluster.url() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return cluster.url(name);
};
try {
  console.log(
    `storage: ${values.count} issues per node (one institution), ${values.concurrency} requests in flight per node, ` +
      `verification for ${values.seconds} s; load average at start ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  const figures: Record<string, Figures> = {};
  for (const engine of engines) {
    for (const nodes of [1, 2]) {
      const key = `${engine}, ${nodes} node${nodes > 1 ? 's' : ''}`;
      figures[key] = await run(engine, nodes, newDatabase);
      const f = figures[key]!;
      console.log(
        `${key.padEnd(20)} issues without the PDF ${f.issuesPerS.toFixed(0).padStart(5)}/s   QR verifications ${f.verificationsPerS
          .toFixed(0)
          .padStart(5)}/s   node CPU ${f.nodeCpuMsPerIssue.toFixed(2)} ms per issue${
          engine === 'postgres'
            ? `, ${f.statementsPerIssue.toFixed(1)} statements in ${f.roundTripsPerIssue.toFixed(1)} round trips, server CPU ${f.serverCpuMsPerIssue.toFixed(2)} ms`
            : ''
        }`,
      );
    }
  }
  const ratio = (a: string, b: string, of: keyof Figures) => (figures[a]![of] / figures[b]![of]).toFixed(2);
  if (engines.length === 2)
    console.log(
      `PostgreSQL ÷ SQLite, one node: issues ${ratio('postgres, 1 node', 'sqlite, 1 node', 'issuesPerS')}×, ` +
        `verifications ${ratio('postgres, 1 node', 'sqlite, 1 node', 'verificationsPerS')}×`,
    );
  for (const engine of engines) {
    console.log(
      `${engine}: two nodes ÷ one: issues ${ratio(`${engine}, 2 nodes`, `${engine}, 1 node`, 'issuesPerS')}×, ` +
        `verifications ${ratio(`${engine}, 2 nodes`, `${engine}, 1 node`, 'verificationsPerS')}×`,
    );
  }
  console.log(
    `load average at end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (2 cores)`,
  );
} finally {
  cluster.stop();
}
