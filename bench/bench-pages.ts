/**
 * The pages: server render time per page (p50/p99 of sequential requests, against GET /healthz of
 * the same service in the same run), the JavaScript each page ships (gzip; the decoder's wasm
 * apart), and with Chromium's fake camera the time from navigation start to the verdict.
 * Goals (issue 11): ≤ 60 KB of JavaScript per page without the wasm; verdict ≤ 1.5 s.
 *
 *   tsx bench/bench-pages.ts [--requests 300] [--camera-runs 5]
 */
import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { inspectPdf } from '../src/adapters/pdf/index.ts';
import { loadConfig } from '../src/config.ts';
import { start } from '../src/start.ts';
import { fakeCameraOf, launch } from '../tests/browser/browser-kit.ts';
import { chinaTime, deliveryBodyFor, fixtureRecords, withBirthTime } from '../tests/fixtures/records.ts';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '300' }, 'camera-runs': { type: 'string', default: '5' } },
});
const requests = Number(values.requests);
const cameraRuns = Number(values['camera-runs']);

const dataDir = mkdtempSync(path.join(tmpdir(), 'bc-bench-pages-'));
const config = await loadConfig({
  DATA_DIR: dataDir,
  PORT: '0',
  HOST: '127.0.0.1',
  NODE_ENV: 'development',
  KEY_PASSPHRASE: 'bench-passphrase',
  RATE_LIMIT_PER_MINUTE: '1000000',
});
const running = await start(config, { logger: pino({ level: 'silent' }), clock: { now: () => new Date() } });
const base = running.url;

async function call(method: string, route: string, init: { token?: string; json?: unknown; form?: string } = {}) {
  const headers: Record<string, string> = { 'accept-language': 'zh-CN' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  if (init.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = init.form;
  }
  const res = await fetch(`${base}${route}`, { method, headers, body, redirect: 'manual' });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, bytes };
}

// One certificate to verify, through the API as staff would make it.
const accounts = JSON.parse(readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8')).accounts as {
  role: string;
  username: string;
  password: string;
}[];
const signIn = async (role: string) => {
  const a = accounts.find((x) => x.role === role && x.username.endsWith('-gz'))!;
  const res = await call('POST', '/api/v1/auth/token', { json: { username: a.username, password: a.password } });
  return JSON.parse(res.bytes.toString()).accessToken as string;
};
const record = withBirthTime(fixtureRecords[0]!, chinaTime(new Date(Date.now() - 3_600_000)));
record.birthPlace = { divisionCode: '440106' };
const midwife = await signIn('midwife');
const issuer = await signIn('issuer');
const delivery = JSON.parse(
  (await call('POST', '/api/v1/deliveries', { token: midwife, json: deliveryBodyFor(record) })).bytes.toString(),
);
const { newborn, father, mother } = record;
const applied = JSON.parse(
  (
    await call('POST', '/api/v1/applications', {
      token: issuer,
      json: {
        deliveryId: delivery.id,
        newborn: { name: newborn.name },
        mother,
        father,
        applicant: { name: mother.name, relation: 'mother', idType: mother.idType, idNumber: mother.idNumber },
      },
    })
  ).bytes.toString(),
);
const issued = JSON.parse(
  (await call('POST', `/api/v1/applications/${applied.id}/issue`, { token: issuer })).bytes.toString(),
);
const pdf = (await call('GET', `/api/v1/certificates/${issued.certificateNo}/pdf`, { token: issuer })).bytes;
const inspection = await inspectPdf(pdf);
if (!inspection.ok) throw new Error('the issued PDF does not inspect');
const qr = inspection.qrText;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
async function timeOf(label: string, fn: () => Promise<{ status: number }>) {
  for (let i = 0; i < 20; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const t0 = performance.now();
    const { status } = await fn();
    times.push(performance.now() - t0);
    if (status >= 500) throw new Error(`${label}: ${status}`);
  }
  times.sort((a, b) => a - b);
  return { label, p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

const rows = [
  await timeOf('GET /healthz (baseline)', () => call('GET', '/healthz')),
  await timeOf('GET /', () => call('GET', '/')),
  await timeOf('GET /verify', () => call('GET', '/verify')),
  await timeOf('POST /verify (QR → verdict)', () => call('POST', '/verify', { form: `qr=${encodeURIComponent(qr)}` })),
  await timeOf('GET /my (claim form)', () => call('GET', '/my')),
  await timeOf('GET /apply', () => call('GET', '/apply')),
];
const baseline = rows[0]!;
console.log(`server render, ${requests} sequential requests each (ms; ratio to the baseline's p50)`);
for (const r of rows) {
  console.log(
    `  ${r.label.padEnd(30)} p50 ${r.p50.toFixed(2).padStart(6)}  p99 ${r.p99.toFixed(2).padStart(6)}  ×${(r.p50 / baseline.p50).toFixed(2)}`,
  );
}

// JavaScript per page: the scripts its HTML names, plus what /verify loads later (decoder, offline verifier, worker).
const gz = async (route: string) => gzipSync((await call('GET', route)).bytes).length;
const scriptsOf = (html: string) => [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
console.log('JavaScript shipped per page (gzip, KB; the ZXing wasm apart)');
for (const route of ['/', '/verify', '/my', '/apply']) {
  const scripts = scriptsOf((await call('GET', route)).bytes.toString());
  // The camera's decoder, the offline verifier (imported when a QR is verified offline) and the service worker.
  if (route === '/verify')
    scripts.push('/static/vendor/barcode-detector.js', '/static/offline-verify.js', '/verify-sw.js');
  let total = 0;
  for (const s of scripts) total += await gz(s);
  console.log(`  ${route.padEnd(8)} ${(total / 1024).toFixed(1).padStart(5)} KB  (${scripts.join(', ')})`);
}
console.log(
  `  the decoder's wasm: ${((await gz('/static/vendor/zxing_reader.wasm')) / 1024).toFixed(0)} KB gzip, loaded only by the camera`,
);

// Fake camera: navigation start → verdict on screen.
const browser = await launch([
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  `--use-file-for-fake-video-capture=${await fakeCameraOf(qr)}`,
]);
const verdictTimes: number[] = [];
for (let i = 0; i < cameraRuns; i++) {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 360, height: 800 } });
  await context.grantPermissions(['camera'], { origin: base });
  const page = await context.newPage();
  await page.goto(`${base}/verify`);
  await page.getByRole('button', { name: '用摄像头扫描' }).click();
  await page.locator('#verdict-heading').waitFor({ timeout: 20_000 });
  verdictTimes.push(await page.evaluate(() => performance.now()));
  await context.close();
}
await browser.close();
verdictTimes.sort((a, b) => a - b);
console.log(
  `fake camera, page load → verdict (ms, ${cameraRuns} runs, a fresh context each, wasm not cached): ` +
    `median ${percentile(verdictTimes, 0.5).toFixed(0)}, max ${verdictTimes.at(-1)!.toFixed(0)} (goal ≤ 1500)`,
);

await running.stop();
rmSync(dataDir, { recursive: true, force: true });
