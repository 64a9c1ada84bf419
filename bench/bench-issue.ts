/**
 * Issue throughput over HTTP: POST /api/v1/applications/{id}/issue on the real app (in this
 * process, port 0, its own temporary data directory), deliveries and applications made
 * beforehand so only the issue calls are timed. Measured:
 *   - certificates/s one at a time and with `--concurrency` requests in flight, with the PDF;
 *   - the same with the PDF left out (BENCHMARK ONLY: the renderer returns an empty PDF);
 *   - the cost of one issue split by stage (validate, sign, render, store), by timing the
 *     service's own LifecyclePorts wrapped here, in the one-at-a-time runs.
 * The HTTP client runs in a thread of its own in this process; its CPU is reported apart.
 *
 *   - the same with the PDF in a pool of 1 and of one-per-core render workers (fresh services).
 *   - for every run, CPU per issue by thread (Linux schedstat): the main thread (HTTP, SQLite, the
 *     e-licence signatures, the key store answering the workers), the render workers (the threads
 *     their service started), and all other threads (V8's GC helpers, the libuv pool). On a shared
 *     machine the main thread's share is the figure to watch: it bounds what a second core can add.
 *   - `PROFILE_MAIN=file.cpuprofile`: a CPU profile of the main thread over the worker rounds.
 *
 *   tsx bench/bench-issue.ts [--count 100] [--concurrency 4] [--threads 0] [--pool-warmup 200] [--pools-only]
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { citizenIdCheckCharacter } from '../src/domain/check/citizen-id.ts';
import type { CertificateRenderer, LifecyclePorts } from '../src/domain/lifecycle/ports.ts';
import { chinaTime, fixtureRecords, isInstitutionalBirth, withBirthTime } from '../tests/fixtures/records.ts';
import { startTestService } from '../tests/http/harness.ts';
import { startProfile, submitApplication } from './bench-kit.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '4' },
    /** Render workers of the main measured service (0: PDFs on the event loop). */
    threads: { type: 'string', default: '0' },
    /**
     * Issues per render worker that each pool's service makes before its measured rounds. Every render worker is its own
     * V8 isolate that compiles pdf-lib, fontkit and the CMS code for itself: over the first ~100
     * PDFs per worker the JIT compiler threads cost as much CPU as the rendering, which is a
     * start-up cost, not the steady state these rounds measure.
     */
    'pool-warmup': { type: 'string', default: '200' },
    /** Only the render-worker rounds (1 worker against one per core), not the event-loop runs before them. */
    'pools-only': { type: 'boolean', default: false },
  },
});
const count = Number(values.count);
const concurrency = Number(values.concurrency);

/** CPU time of each thread of this process so far (ns, Linux schedstat): the main thread is the one whose id is the pid. */
function threadCpuNs(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      out.set(Number(tid), Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}
const threadIds = () => new Set(readdirSync('/proc/self/task').map(Number));

/** Render worker threads of the pool being measured (the threads its service started); empty: PDFs on the event loop. */
let poolThreads = new Set<number>();

type Stage = 'validate' | 'sign' | 'render' | 'store';
const stageMs: Record<Stage, number> = { validate: 0, sign: 0, render: 0, store: 0 };
let timing = false;
/** Storage time by outermost method (`transactions.run` holds everything run inside one). */
const storeByMethod = new Map<string, number>();

function timed<F extends (...args: any[]) => any>(stage: Stage, fn: F): F {
  return ((...args: Parameters<F>) => {
    if (!timing) return fn(...args);
    const started = performance.now();
    const result = fn(...args);
    if (result instanceof Promise) {
      return result.finally(() => {
        stageMs[stage] += performance.now() - started;
      });
    }
    stageMs[stage] += performance.now() - started;
    return result;
  }) as F;
}

/** Every storage call, counted once at the outermost level (a unit of work's inner calls are in it). */
let depth = 0;
function timedStore<T extends object>(name: string, store: T): T {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (!timing || depth > 0) return value.apply(target, args);
        depth++;
        const started = performance.now();
        try {
          return value.apply(target, args);
        } finally {
          const ms = performance.now() - started;
          stageMs.store += ms;
          storeByMethod.set(`${name}.${String(key)}`, (storeByMethod.get(`${name}.${String(key)}`) ?? 0) + ms);
          depth--;
        }
      };
    },
  });
}

/** A fresh data directory each (seeded as in production): the harness's shared seed exists only under vitest. */
const freshService = (threads: string) =>
  startTestService({ dataDir: mkdtempSync(path.join(tmpdir(), 'bench-issue-')), env: { PDF_RENDER_THREADS: threads } });
let svc = await freshService(values.threads);
const ports: LifecyclePorts = svc.running.service.lifecycle;
const real = { renderer: ports.renderer };
// The routes hold this same ports object, so replacing its members here reaches every request.
ports.signer = { sign: timed('sign', ports.signer.sign.bind(ports.signer)) };
const pdfRenderer: CertificateRenderer = { render: timed('render', real.renderer.render.bind(real.renderer)) };
/** BENCHMARK ONLY: no PDF at all, to show what the rest of issuing costs. */
const noPdfRenderer: CertificateRenderer = { render: timed('render', async () => new Uint8Array(0)) };
ports.validateCertificate = timed('validate', ports.validateCertificate);
ports.transactions = timedStore('transactions', ports.transactions);
ports.stock = timedStore('stock', ports.stock);
ports.applications = timedStore('applications', ports.applications);
ports.register = timedStore('register', ports.register);
ports.claimCodes = timedStore('claimCodes', ports.claimCodes);

/** The gz demo institution's division (its staff issue here). */
const GZ_DIVISION = '440106';
let midwife = await svc.token('midwife', 'gz');
let issuer = await svc.token('issuer', 'gz');
let births = 0;
/** Birth times count back from one instant, so no two births of one mother share a minute. */
const preparedFrom = Date.now();

/** Applications ready to issue: births an hour or so ago, cycling through the fixture records. */
async function prepare(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = births++;
    // Each birth distinct (record × minute): one birth may hold only one current certificate.
    const minutesAgo = 30 + Math.floor(k / fixtureRecords.length);
    const record = withBirthTime(
      fixtureRecords[k % fixtureRecords.length]!,
      chinaTime(new Date(preparedFrom - minutesAgo * 60_000)),
    );
    // A midwife records births in her own institution's division only.
    if (isInstitutionalBirth(record)) record.birthPlace = { divisionCode: GZ_DIVISION };
    // A mother holds one certificate per birth (280 days): each issue gets a mother of its own,
    // her ID number's sequence digits varied (same region, birth date and sex digit).
    if (record.mother.idType === '01') {
      const sequence = String((k % 499) * 2 + 2).padStart(3, '0');
      const first17 = `${record.mother.idNumber.slice(0, 14)}${sequence}`;
      record.mother = { ...record.mother, idNumber: first17 + citizenIdCheckCharacter(first17) };
    } else {
      record.mother = {
        ...record.mother,
        idNumber: `${record.mother.idNumber.slice(0, -3)}${String(k % 1000).padStart(3, '0')}`,
      };
    }
    ids.push(await submitApplication(svc, record, { midwife, issuer }));
  }
  return ids;
}

interface Run {
  perS: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsEach: number;
  /** CPU per issue of the main thread (event loop: HTTP, signing for the workers, SQLite), of the render workers, and of every other thread (GC helpers, libuv pool). */
  mainCpuMsEach: number;
  workerCpuMsEach: number;
  otherCpuMsEach: number;
  /** The HTTP client's thread (not part of the service's figures). */
  clientCpuMsEach: number;
  stages: Record<Stage, number>;
  storeTop: string;
}

/**
 * The HTTP client: its own thread, so that the main thread's figure is the service's alone (its
 * CPU is reported as "client"; it still runs on the same cores, as a load generator on this
 * machine must).
 */
interface ClientAnswer {
  latencies: number[];
  failure: string | null;
}
let clientAnswered: (answer: ClientAnswer) => void = () => undefined;
async function startClient() {
  const before = threadIds();
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
    parentPort.on('message', async ({ url, token, ids, inFlight }) => {
      const latencies = [];
      const queue = [...ids];
      let failure = null;
      await Promise.all(Array.from({ length: inFlight }, async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
          const sent = performance.now();
          const res = await fetch(url + '/api/v1/applications/' + id + '/issue', {
            method: 'POST',
            headers: { authorization: 'Bearer ' + token },
          });
          const body = await res.text();
          latencies.push(performance.now() - sent);
          if (res.status !== 201) failure ??= 'issue failed: ' + res.status + ' ' + body;
        }
      }));
      parentPort.postMessage({ latencies, failure });
    });
    parentPort.postMessage('ready');`,
    { eval: true },
  );
  worker.unref();
  await new Promise((resolve) => worker.once('message', resolve));
  worker.on('message', (answer: ClientAnswer) => clientAnswered(answer));
  worker.on('error', (error) => clientAnswered({ latencies: [], failure: String(error) }));
  return { worker, threads: new Set([...threadIds()].filter((tid) => !before.has(tid))) };
}
let client = await startClient();

async function issueAll(ids: string[], inFlight: number): Promise<Run> {
  for (const stage of Object.keys(stageMs) as Stage[]) stageMs[stage] = 0;
  storeByMethod.clear();
  const threadsBefore = threadCpuNs();
  const started = performance.now();
  timing = true;
  const answer = new Promise<ClientAnswer>((resolve) => {
    clientAnswered = resolve;
  });
  client.worker.postMessage({ url: svc.url, token: issuer, ids, inFlight });
  const { latencies, failure } = await answer;
  timing = false;
  if (failure) throw new Error(failure);
  const wallMs = performance.now() - started;
  const threadMs = { main: 0, workers: 0, other: 0, client: 0 };
  for (const [tid, ns] of threadCpuNs()) {
    const ms = (ns - (threadsBefore.get(tid) ?? 0)) / 1e6;
    if (tid === process.pid) threadMs.main += ms;
    else if (poolThreads.has(tid)) threadMs.workers += ms;
    else if (client.threads.has(tid)) threadMs.client += ms;
    else threadMs.other += ms;
  }
  latencies.sort((a, b) => a - b);
  const stages = { ...stageMs };
  for (const stage of Object.keys(stages) as Stage[]) stages[stage] /= ids.length;
  const storeTop = [...storeByMethod]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([method, ms]) => `${method} ${(ms / ids.length).toFixed(2)}`)
    .join(', ');
  return {
    storeTop,
    perS: (ids.length * 1000) / wallMs,
    p50Ms: latencies[Math.floor(latencies.length * 0.5)]!,
    p99Ms: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))]!,
    cpuMsEach: (threadMs.main + threadMs.workers + threadMs.other) / ids.length,
    clientCpuMsEach: threadMs.client / ids.length,
    mainCpuMsEach: threadMs.main / ids.length,
    workerCpuMsEach: threadMs.workers / ids.length,
    otherCpuMsEach: threadMs.other / ids.length,
    stages,
  };
}

const line = (label: string, r: Run) =>
  `${label.padEnd(44)} ${r.perS.toFixed(1).padStart(6)} certificates/s  p50 ${r.p50Ms.toFixed(1).padStart(6)} ms  p99 ${r.p99Ms
    .toFixed(1)
    .padStart(
      6,
    )} ms  ${r.cpuMsEach.toFixed(1).padStart(5)} ms CPU each (service)\n${''.padEnd(46)}CPU per issue: main thread ${r.mainCpuMsEach.toFixed(2)} ms, render workers ${r.workerCpuMsEach.toFixed(2)} ms, other threads ${r.otherCpuMsEach.toFixed(2)} ms; the HTTP client ${r.clientCpuMsEach.toFixed(2)} ms`;

const split = (r: Run) => {
  const total = 1000 / r.perS;
  const known = Object.values(r.stages).reduce((a, b) => a + b, 0);
  return `${Object.entries(r.stages)
    .map(([stage, ms]) => `${stage} ${ms.toFixed(2)}`)
    .join('  ')}  other (HTTP, auth, cross-check, client) ${(total - known).toFixed(2)}  = ${total.toFixed(2)} ms`;
};

/** The machine's load average (1, 5, 15 minutes): these machines are shared, so every figure is read against it. */
const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`;
console.log(
  `node ${process.version}, ${count} issues per run, ${concurrency} in flight for the concurrent runs; ${load()}`,
);
const poolsOnly = values['pools-only'];
console.log(`preparing ${poolsOnly ? 0 : 4 * count + 20} deliveries and applications…`);
let pdfMany: Run | null = null;
if (!poolsOnly) {
  const batches = await prepare(4 * count + 20);
  const take = (n: number) => batches.splice(0, n);

  ports.renderer = pdfRenderer;
  await issueAll(take(20), concurrency); // warm-up: JIT, fonts, key caches
  const pdfOne = await issueAll(take(count), 1);
  pdfMany = await issueAll(take(count), concurrency);
  ports.renderer = noPdfRenderer;
  const bareOne = await issueAll(take(count), 1);
  const bareMany = await issueAll(take(count), concurrency);
  ports.renderer = real.renderer;

  console.log('\nwith the signed PDF (the product):');
  console.log(line('  one at a time', pdfOne));
  console.log(line(`  ${concurrency} in flight`, pdfMany));
  console.log(`  per issue, one at a time, ms: ${split(pdfOne)}`);
  console.log(`  store by call, ms: ${pdfOne.storeTop}`);
  console.log('without the PDF (BENCHMARK ONLY: empty PDF renderer):');
  console.log(line('  one at a time', bareOne));
  console.log(line(`  ${concurrency} in flight`, bareMany));
  console.log(`  per issue, one at a time, ms: ${split(bareOne)}`);
  console.log(`  store by call, ms: ${bareOne.storeTop}`);
  console.log(
    `\nthe PDF costs ${(1000 / pdfOne.perS - 1000 / bareOne.perS).toFixed(1)} ms of each issue, one at a time`,
  );
}
// The client's keep-alive connections would hold a closing server open: end them first.
await client.worker.terminate();
await svc.stop();
client = await startClient();

// Render workers, same run: a service per pool size, both up at once and given batches in turn,
// so that the machine's other load falls on both alike.
const cores = availableParallelism();
const rounds = 5;
const batch = Math.max(1, Math.floor(count / rounds));
const poolWarmup = Math.max(20, Number(values['pool-warmup']));
const pools = [];
for (const threads of [1, cores]) {
  const before = threadIds();
  svc = await freshService(String(threads));
  const started = [...threadIds()].filter((tid) => !before.has(tid));
  midwife = await svc.token('midwife', 'gz');
  issuer = await svc.token('issuer', 'gz');
  const ids = await prepare(rounds * batch + poolWarmup * threads);
  console.log(
    `pool of ${threads}: ${ids.length} applications prepared, warming up with ${poolWarmup * threads} issues…`,
  );
  await issueAll(ids.splice(0, poolWarmup * threads), concurrency);
  pools.push({ threads, svc, issuer, ids, runs: [] as Run[], workerThreads: new Set(started) });
}
// `PROFILE_MAIN=file.cpuprofile`: a CPU profile of this (the main) thread over the worker rounds.
const profiler = process.env.PROFILE_MAIN ? await startProfile() : null;
console.log(`\nworker rounds start: ${load()}`);
for (let r = 0; r < rounds; r++) {
  for (const pool of pools) {
    ({ svc, issuer } = pool);
    poolThreads = pool.workerThreads;
    pool.runs.push(await issueAll(pool.ids.splice(0, batch), concurrency));
  }
}
console.log(`worker rounds end: ${load()}`);
if (profiler) await profiler.stopInto(process.env.PROFILE_MAIN!);
await client.worker.terminate();
for (const pool of pools) await pool.svc.stop();
/** The batches of one pool as one run: throughput over their summed time, the worst batch's p99. */
const merged = (runs: Run[]): Run => {
  const seconds = runs.reduce((sum, run) => sum + batch / run.perS, 0);
  return {
    ...runs[0]!,
    perS: (runs.length * batch) / seconds,
    p50Ms: runs.map((run) => run.p50Ms).sort((a, b) => a - b)[Math.floor(runs.length / 2)]!,
    p99Ms: Math.max(...runs.map((run) => run.p99Ms)),
    cpuMsEach: runs.reduce((sum, run) => sum + run.cpuMsEach, 0) / runs.length,
    mainCpuMsEach: runs.reduce((sum, run) => sum + run.mainCpuMsEach, 0) / runs.length,
    workerCpuMsEach: runs.reduce((sum, run) => sum + run.workerCpuMsEach, 0) / runs.length,
    otherCpuMsEach: runs.reduce((sum, run) => sum + run.otherCpuMsEach, 0) / runs.length,
    clientCpuMsEach: runs.reduce((sum, run) => sum + run.clientCpuMsEach, 0) / runs.length,
  };
};
console.log(
  `\nwith the PDF rendered by worker threads (${concurrency} in flight, ${cores} cores, ${rounds} rounds of ${batch}, after ${poolWarmup} warm-up issues per worker):`,
);
const [one, all] = pools.map((pool) => merged(pool.runs)) as [Run, Run];
console.log(line('  1 worker', one));
console.log(line(`  ${cores} workers`, all));
// The ceiling these CPU figures allow on an otherwise idle machine: a pool of 1 is held to one
// core by its worker (1000 / W per second) and all of them together share the cores; a pool of
// `cores` has only the shared bound.
const cpuEach = (r: Run) => r.mainCpuMsEach + r.workerCpuMsEach + r.otherCpuMsEach;
const oneCeiling = Math.min(1000 / one.workerCpuMsEach, (cores * 1000) / cpuEach(one));
const allCeiling = (cores * 1000) / cpuEach(all);
const besideWorkers = all.mainCpuMsEach + all.otherCpuMsEach;
console.log(
  `  ceiling on ${cores} idle cores from these CPU figures: 1 worker ≤ ${oneCeiling.toFixed(0)}/s (the lower of its worker's ${one.workerCpuMsEach.toFixed(2)} ms on one core and ${cpuEach(one).toFixed(2)} ms on ${cores}), ${cores} workers ≤ ${allCeiling.toFixed(0)}/s (${cpuEach(all).toFixed(2)} ms on ${cores} cores) → ratio ≤ ${(allCeiling / oneCeiling).toFixed(2)}×`,
);
console.log(
  `  ≥ 1.7× needs main + other ≤ ${((cores / 1.7 - 1) * all.workerCpuMsEach).toFixed(2)} ms per issue beside ${all.workerCpuMsEach.toFixed(2)} ms in the workers (now ${besideWorkers.toFixed(2)} ms; with the main thread at 0, other threads alone allow ≤ ${((cores * all.workerCpuMsEach) / (all.workerCpuMsEach + all.otherCpuMsEach)).toFixed(2)}×)`,
);
console.log(
  `  ${cores} workers / 1 worker: ${(all.perS / one.perS).toFixed(2)}× throughput (goal ≥ 1.7×)${pdfMany ? `; ${cores} workers / event loop (${concurrency} in flight, above): ${(all.perS / pdfMany.perS).toFixed(2)}×` : ''}`,
);
