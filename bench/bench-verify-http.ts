/**
 * Verification of a QR over HTTP, against a bare express 5 JSON route measured in the same run:
 * requests/s and p50/p99 latency at 50 keep-alive connections, each server in its own process,
 * the load generator (bench/load.ts) in another, so both cores are in use as in production.
 * Product target (issue 13): ≥ 0.6 × the bare route's requests/s, and p99 ≤ 2 × the bare route's p99
 * in the same run. The bare route runs twice: as `app.listen` serves it (the target's baseline), and
 * on the server the service runs on (src/http/server.ts), which makes express itself about three
 * times cheaper per request; the ratio to the latter is printed too, as the like-for-like figure.
 *
 *   tsx bench/bench-verify-http.ts [--seconds 5] [--connections 50] [--repeat 3] [--rate 500] [--profile]
 *
 * At 50 closed-loop connections the mean latency is 50 ÷ throughput (Little's law): a p99 under
 * 25 ms there needs well over 2,000 answers/s. So latency is also measured open-loop, at a fixed
 * `--rate` below both servers' capacity, where it shows the cost of one request instead.
 *
 * The service runs as `npm start` runs it on a fresh checkout: the bundle `npm run build` makes
 * (built first), the demo trust domain, the default log level, request log lines to a file.
 * `--profile` runs it once more from the sources (`tsx`, so the profile names our files) under
 * `node --cpu-prof` and prints where its CPU time goes.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import express from 'express';
import { createHttpServer } from '../src/http/server.ts';
import {
  applicationBodyFor,
  chinaTime,
  deliveryBodyFor,
  fixtureRecords,
  withBirthTime,
} from '../tests/fixtures/records.ts';
import type { LoadResult } from './load.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'orchestrator' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    rate: { type: 'string', default: '500' },
    repeat: { type: 'string', default: '3' },
    profile: { type: 'boolean', default: false },
    made: { type: 'boolean', default: false },
  },
});

/**
 * The comparison point: express 5, a JSON body parsed and a small JSON answer, nothing else. As
 * `app.listen` serves it (the issue's baseline), or with `--made` on the server the service uses
 * (src/http/server.ts: request objects made with express's prototypes), the like-for-like figure.
 */
function serveBareRoute(made: boolean): void {
  const app = express();
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.post('/bare', express.json(), (req, res) => {
    res.json({ valid: typeof (req.body as { qr?: unknown }).qr === 'string', status: 'valid' });
  });
  const server = (made ? createHttpServer(app) : http.createServer(app)).listen(Number(process.env.PORT), '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

/**
 * The server's CPU over the generator's measured window: all its threads (the event loop, libuv's
 * pool doing the ECDSA checks, V8's GC and compiler threads) and its main thread alone, in percent
 * of one core and per answered request.
 */
type Measured = LoadResult & {
  serverCpuPercent: number;
  serverMainCpuPercent: number;
  serverCpuUsPerRequest: number;
  serverMainCpuUsPerRequest: number;
};

interface Server {
  child: ChildProcess;
  url: string;
}

/** A port nobody listens on now (the service logs its url only at level info). */
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

/** Polls GET /healthz until it answers 200. */
async function waitForHealth(child: ChildProcess, url: string, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`server exited with ${child.exitCode}: ${readFileSync(logFile, 'utf8')}`);
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server did not start within 60 s');
}

async function startServer(args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<Server> {
  const port = await freePort();
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const server = { child, url: `http://127.0.0.1:${port}` };
  started.push(server);
  await waitForHealth(child, server.url, logFile);
  return server;
}

function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGTERM');
  });
}

/** utime + stime in ms from a Linux /proc stat file (the fields after the command's `)`). */
function statCpuMs(file: string): number {
  const text = readFileSync(file, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
}
/** USER_HZ: 100 on every Linux this runs on (the kernel's ABI since 2.6), asked once all the same. */
const clockTicksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface CpuSample {
  atMs: number;
  /** Every thread of the process. */
  allMs: number;
  /** The main thread (its thread id is the process id): the event loop. */
  mainMs: number;
}

function sampleCpu(pid: number): CpuSample {
  return {
    atMs: performance.now(),
    allMs: statCpuMs(`/proc/${pid}/stat`),
    mainMs: statCpuMs(`/proc/${pid}/task/${pid}/stat`),
  };
}

/**
 * Runs bench/load.ts in its own process and samples the server's CPU when the generator says its
 * measured window opens and closes (before, the window was guessed from timers here, and a
 * generator that finished before the second guess left a zero reading: a negative CPU figure).
 */
async function runLoad(
  server: Server,
  route: string,
  bodyFile: string,
  expect: string,
  rate: number | null = null,
): Promise<Measured> {
  const seconds = Number(values.seconds);
  const pid = server.child.pid!;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/load.ts',
      `--url=${server.url}${route}`,
      '--method=POST',
      `--body-file=${bodyFile}`,
      `--connections=${values.connections}`,
      `--duration=${seconds}`,
      '--warmup=2',
      `--expect=${expect}`,
      ...(rate === null ? [] : [`--rate=${rate}`]),
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let pending = '';
  let result: LoadResult | null = null;
  let before: CpuSample | null = null;
  let after: CpuSample | null = null;
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (!line) continue;
      const message = JSON.parse(line) as { event?: string } & LoadResult;
      if (message.event === 'window-start') before = sampleCpu(pid);
      else if (message.event === 'window-end') after = sampleCpu(pid);
      else result = message;
    }
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  if (!result || !before || !after) throw new Error('the load generator printed no result or no window');
  const [loaded, from, to] = [result as LoadResult, before as CpuSample, after as CpuSample];
  const wallMs = to.atMs - from.atMs;
  const perRequest = (ms: number) => (loaded.requests > 0 ? Math.round((ms * 1000) / loaded.requests) : Number.NaN);
  return {
    ...loaded,
    serverCpuPercent: Math.round(((to.allMs - from.allMs) / wallMs) * 100),
    serverMainCpuPercent: Math.round(((to.mainMs - from.mainMs) / wallMs) * 100),
    serverCpuUsPerRequest: perRequest(to.allMs - from.allMs),
    serverMainCpuUsPerRequest: perRequest(to.mainMs - from.mainMs),
  };
}

async function post(url: string, route: string, json: unknown, token?: string) {
  const res = await fetch(`${url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(json),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** Issues one certificate through the API and returns its QR text as a scanner would read it. */
async function issueOne(url: string, dataDir: string): Promise<string> {
  const { accounts } = JSON.parse(readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8')) as {
    accounts: { username: string; password: string }[];
  };
  const signIn = async (username: string) => {
    const account = accounts.find((a) => a.username === username)!;
    return (await post(url, '/api/v1/auth/token', { username, password: account.password })).body.accessToken as string;
  };
  const [midwife, issuer] = [await signIn('demo-midwife-gz'), await signIn('demo-issuer-gz')];
  const record = withBirthTime(fixtureRecords[0]!, chinaTime(new Date(Date.now() - 3_600_000)));
  const delivery = await post(url, '/api/v1/deliveries', deliveryBodyFor(record), midwife);
  const application = await post(url, '/api/v1/applications', applicationBodyFor(record, delivery.body.id), issuer);
  const issued = await post(url, `/api/v1/applications/${application.body.id}/issue`, {}, issuer);
  if (issued.status !== 201) throw new Error(`issue failed: ${issued.status}`);
  const db = new Database(path.join(dataDir, 'service.sqlite'), { readonly: true });
  const qr = db
    .prepare('SELECT qr_text FROM certificates WHERE certificate_no = ?')
    .pluck()
    .get(issued.body.certificateNo);
  db.close();
  return String(qr);
}

function serviceEnv(dataDir: string, logLevel: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: logLevel };
  delete env.NODE_ENV;
  return env;
}

const fmt = (r: Measured) =>
  `${String(r.requestsPerS).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(2).padStart(6)} ms  p99 ${r.p99Ms
    .toFixed(2)
    .padStart(6)} ms  max ${r.maxMs.toFixed(1).padStart(6)} ms  server CPU ${r.serverCpuPercent}% (main ${
    r.serverMainCpuPercent
  }%) = ${r.serverCpuUsPerRequest} µs/req (main ${r.serverMainCpuUsPerRequest})  generator CPU ${r.generatorCpuPercent}%  statuses ${JSON.stringify(r.statuses)}${r.errors ? `  errors ${r.errors}` : ''}${
    r.unexpectedBodies ? `  UNEXPECTED BODIES ${r.unexpectedBodies}` : ''
  }`;

const started: Server[] = [];
/** What `npm start` runs. */
const serviceEntry = 'dist/main.js';

const loadAverage = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

async function orchestrate(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'bench-verify-http-'));
  try {
    const dataDir = path.join(work, 'data');
    mkdirSync(dataDir);
    console.log(
      `node ${process.version}, ${values.connections} connections, ${values.seconds} s per measurement after 2 s warm-up, ` +
        `${cpus().length} cores, load average ${loadAverage()}`,
    );

    // The product as `npm start` runs it: the bundle, built from this checkout.
    console.log('building the service (npm run build)');
    execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    // A fresh demo service, one certificate issued through the API.
    const product = await startServer([serviceEntry], serviceEnv(dataDir, 'info'), path.join(work, 'service.log'));
    const qr = await issueOne(product.url, dataDir);
    const bodyFile = path.join(work, 'qr.json');
    writeFileSync(bodyFile, JSON.stringify({ qr }));
    const check = await post(product.url, '/api/v1/verifications', { qr });
    if (check.body.valid !== true) throw new Error(`the QR does not verify: ${JSON.stringify(check.body)}`);
    console.log(`QR of ${qr.length} characters verifies: ${check.body.status}`);

    const bareServer = await startServer(
      ['--import', 'tsx', 'bench/bench-verify-http.ts', '--role=bare-server'],
      process.env,
      path.join(work, 'bare.log'),
    );
    const madeServer = await startServer(
      ['--import', 'tsx', 'bench/bench-verify-http.ts', '--role=bare-server', '--made'],
      process.env,
      path.join(work, 'bare-made.log'),
    );
    // The same service with request logging off, to show what the per-request log line costs.
    const quiet = await startServer([serviceEntry], serviceEnv(dataDir, 'warn'), path.join(work, 'quiet.log'));
    const targets = {
      bare: { server: bareServer, route: '/bare', label: 'bare express 5 JSON route      ' },
      made: { server: madeServer, route: '/bare', label: '  same, on createHttpServer    ' },
      product: { server: product, route: '/api/v1/verifications', label: 'POST /api/v1/verifications {qr}' },
      quiet: { server: quiet, route: '/api/v1/verifications', label: '  same, LOG_LEVEL=warn         ' },
    };
    type Name = keyof typeof targets;
    const names = Object.keys(targets) as Name[];

    // Alternated, so a slow spell of this shared machine hits every server alike; medians reported.
    const repeat = Number(values.repeat);
    const runs: Record<Name, Measured[]> = { bare: [], made: [], product: [], quiet: [] };
    for (let i = 1; i <= repeat; i++) {
      for (const name of names) {
        const { server, route, label } = targets[name];
        const result = await runLoad(server, route, bodyFile, '"valid":true');
        runs[name].push(result);
        console.log(`run ${i}  ${label}  ${fmt(result)}`);
      }
    }
    const median = (results: Measured[]) =>
      [...results].sort((a, b) => a.requestsPerS - b.requestsPerS)[Math.floor(results.length / 2)]!;
    const [bare, made, verify, verifyQuiet] = [runs.bare, runs.made, runs.product, runs.quiet].map(median) as [
      Measured,
      Measured,
      Measured,
      Measured,
    ];
    console.log(`\nmedian of ${repeat} closed-loop runs at ${values.connections} connections:`);
    for (const name of names) console.log(`  ${targets[name].label}  ${fmt(median(runs[name]))}`);

    const rate = Number(values.rate);
    console.log(`open loop at ${rate} requests/s:`);
    const bareAtRate = await runLoad(bareServer, '/bare', bodyFile, '"valid":true', rate);
    console.log(`  ${targets.bare.label}  ${fmt(bareAtRate)}`);
    const verifyAtRate = await runLoad(product, '/api/v1/verifications', bodyFile, '"valid":true', rate);
    console.log(`  ${targets.product.label}  ${fmt(verifyAtRate)}`);
    await Promise.all([bareServer, madeServer, product, quiet].map(stopServer));

    const ratio = verify.requestsPerS / bare.requestsPerS;
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    console.log(
      `\nratio to the bare route: ${ratio.toFixed(2)} (target ≥ 0.60: ${verdict(ratio >= 0.6)}); ` +
        `with LOG_LEVEL=warn ${(verifyQuiet.requestsPerS / bare.requestsPerS).toFixed(2)}`,
    );
    // Like for like: the bare route on the server the service runs on (its prototypes made up front).
    console.log(
      `ratio to the bare route on createHttpServer: ${(verify.requestsPerS / made.requestsPerS).toFixed(2)} ` +
        `(main thread ${made.serverMainCpuUsPerRequest} against ${verify.serverMainCpuUsPerRequest} µs per answer; ` +
        `the generator's CPU ${made.generatorCpuPercent}%)`,
    );
    console.log(
      `p99 at ${values.connections} connections: ${verify.p99Ms.toFixed(1)} ms = ${(verify.p99Ms / bare.p99Ms).toFixed(2)} × ` +
        `the bare route's ${bare.p99Ms.toFixed(1)} ms (target ≤ 2: ${verdict(verify.p99Ms <= 2 * bare.p99Ms)}); ` +
        `open loop at ${rate}/s: ${verifyAtRate.p99Ms.toFixed(1)} ms = ${(verifyAtRate.p99Ms / bareAtRate.p99Ms).toFixed(2)} × ` +
        `bare ${bareAtRate.p99Ms.toFixed(1)} ms (${verdict(verifyAtRate.p99Ms <= 2 * bareAtRate.p99Ms)})`,
    );
    // CPU per answer depends far less on what else runs on a shared machine than requests/s do.
    const cpuRatio = (a: number, b: number) => (a / b).toFixed(2);
    console.log(
      `server CPU per answer (medians): verify ${verify.serverCpuUsPerRequest} µs (main thread ${verify.serverMainCpuUsPerRequest}), ` +
        `bare ${bare.serverCpuUsPerRequest} µs (main thread ${bare.serverMainCpuUsPerRequest}): ` +
        `${cpuRatio(verify.serverCpuUsPerRequest, bare.serverCpuUsPerRequest)} × all threads, ` +
        `${cpuRatio(verify.serverMainCpuUsPerRequest, bare.serverMainCpuUsPerRequest)} × main thread; ` +
        `open loop at ${rate}/s: ${verifyAtRate.serverCpuUsPerRequest} against ${bareAtRate.serverCpuUsPerRequest} µs`,
    );
    console.log(`load average at the end: ${loadAverage()}`);

    if (values.profile) await profile(work, dataDir, bodyFile);
  } finally {
    await Promise.all(started.map(stopServer));
    rmSync(work, { recursive: true, force: true });
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Where a frame's code lives: a package, a project directory, node itself, or V8. */
function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[1] ?? url.slice(5)}`;
  const own = /\/(src|bench|tests)\/(.*)$/.exec(url);
  if (own) return `${own[1]}/${own[2]!.split('/').slice(0, -1).join('/') || '.'}`;
  return url;
}

/** A frame's file, short: `src/http/route.ts`, `express/lib/response.js`, `node:_http_outgoing`. */
function where(url: string, name: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+\/.*)$/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/((?:src|bench|tests)\/.*)$/.exec(url);
  if (own) return own[1]!;
  return area(url, name);
}

async function profile(work: string, dataDir: string, bodyFile: string): Promise<void> {
  const profileDir = path.join(work, 'profile');
  const server = await startServer(
    ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--import', 'tsx', 'src/main.ts'],
    serviceEnv(dataDir, 'info'),
    path.join(work, 'profiled.log'),
  );
  // One request first: the first validation compiles every body schema (once per process), which
  // would otherwise fill the profile's window with a one-time cost.
  await post(server.url, '/api/v1/verifications', JSON.parse(readFileSync(bodyFile, 'utf8')));
  const result = await runLoad(server, '/api/v1/verifications', bodyFile, '"valid":true');
  await stopServer(server);
  console.log(`\nprofiled run (node --cpu-prof)   ${fmt(result)}`);
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written');
  const { nodes, samples, timeDeltas } = JSON.parse(readFileSync(path.join(profileDir, file), 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  // Only the load window: the profile also holds start-up, issuing and shutdown.
  const times: number[] = [];
  let t = 0;
  for (const d of timeDeltas) {
    t += d;
    times.push(t);
  }
  const end = times.at(-1)!;
  // The measured seconds before the server was stopped (the warm-up and start-up left out).
  const from = end - (Number(values.seconds) + 0.5) * 1e6;

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const selfByArea = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    if (times[i]! < from) continue;
    const dt = timeDeltas[i + 1] ?? 0;
    const node = byId.get(samples[i]!)!;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    total += dt;
    const key = `${functionName || '(anonymous)'} ${where(url, functionName)}${url ? `:${lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    const a = area(url, functionName);
    selfByArea.set(a, (selfByArea.get(a) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      const k = `${frame.functionName || '(anonymous)'} ${where(frame.url, frame.functionName)}`;
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log(`busy main-thread time in the window: ${(total / 1e3).toFixed(0)} ms (idle excluded)`);
  console.log('\nself time by area:');
  for (const [k, v] of top(selfByArea, 14)) console.log(`  ${pct(v)}  ${k}`);
  console.log('\nself time, top functions:');
  for (const [k, v] of top(self, 18)) console.log(`  ${pct(v)}  ${k}`);
  console.log('\ninclusive time (self and callees) of project code and a few libraries:');
  const interesting = / (src\/|pino\/|ajv\/|better-sqlite3\/|express\/lib\/response)/;
  for (const [k, v] of top(inclusive, 200)
    .filter(([k]) => interesting.test(k))
    .slice(0, 28))
    console.log(`  ${pct(v)}  ${k}`);
}

if (values.role === 'bare-server') serveBareRoute(values.made);
else await orchestrate();
