/**
 * The PDF deflate bomb (a few KB, an attachment deflated twice that inflates to 1 GiB) against
 * the real service in this process: how long the bomb takes to be refused, and how /healthz
 * answers while three bombs are in flight, as ratios to /healthz on an idle service measured in
 * the same run. Targets (issue 16): the bomb refused within 1 s; /healthz under 100 ms meanwhile.
 *
 *   npm run bench:pdf-bomb [-- --rounds 5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { demoInstitutions } from '../src/setup/demo-trust-domain.ts';
import { buildPdfBomb } from '../tests/fixtures/pdf-bomb.ts';
import { startInProcess } from '../tests/http/demo-data-dir.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-pdf-bomb-'));
const running = await startInProcess(dataDir);
const { service } = running;

const timed = async (run: () => Promise<Response>) => {
  const started = performance.now();
  const res = await run();
  await res.arrayBuffer();
  return { ms: performance.now() - started, status: res.status };
};
const healthz = () => timed(() => fetch(`${running.url}/healthz`));
const post = (body: Uint8Array) =>
  fetch(`${running.url}/api/v1/verifications`, {
    method: 'POST',
    headers: { 'content-type': 'application/pdf' },
    body,
  });
const stats = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)! };
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

try {
  const key = service.keyStore.activeKey(demoInstitutions[0]!.creditCode);
  const bomb = await buildPdfBomb({ keyStore: service.keyStore, signingKey: key, signingTime: new Date() });
  console.log(`bomb: ${bomb.length} bytes, inflates to 1 GiB`);

  // Baseline: /healthz on an idle service (after one request to warm the route).
  await healthz();
  const idle: number[] = [];
  for (let i = 0; i < 50; i++) idle.push((await healthz()).ms);

  // The first bomb also starts the worker (~0.3 s once); measured apart.
  const first = await timed(() => post(bomb));
  const bombs: number[] = [];
  let body = '';
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    const res = await post(bomb);
    body = await res.text();
    bombs.push(performance.now() - started);
  }

  const loaded: number[] = [];
  const inFlight: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let done = false;
    const three = Promise.all([0, 1, 2].map(() => timed(() => post(bomb)))).then((results) => {
      done = true;
      return results;
    });
    while (!done) loaded.push((await healthz()).ms);
    inFlight.push(...(await three).map((r) => r.ms));
  }

  const base = stats(idle);
  const single = stats(bombs);
  const during = stats(loaded);
  const three = stats(inFlight);
  console.log(`answer: ${body}`);
  console.log(`/healthz idle (baseline, n=${idle.length}):   p50 ${fmt(base.p50)}  max ${fmt(base.max)}`);
  console.log(`first bomb (worker start):        ${fmt(first.ms)}`);
  console.log(
    `bomb refused (n=${rounds}):             p50 ${fmt(single.p50)}  max ${fmt(single.max)}  (${(single.p50 / base.p50).toFixed(1)}× idle /healthz)`,
  );
  console.log(`3 bombs at once, each (n=${inFlight.length}):     p50 ${fmt(three.p50)}  max ${fmt(three.max)}`);
  console.log(
    `/healthz with 3 bombs (n=${loaded.length}):   p50 ${fmt(during.p50)}  max ${fmt(during.max)}  (${(during.p50 / base.p50).toFixed(1)}× idle p50)`,
  );
  console.log(`RSS after: ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
} finally {
  await running.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
