/**
 * The staff console: server render p50/p99 of every console page (sequential requests, against
 * GET /healthz of the same service in the same run), the issuer's "issue" click to the
 * certificate page with its PDF (goal p50 ≤ 150 ms), and the statistician's report pages on
 * `--count` certificates (goal ≤ 300 ms each), with migration 012's indexes and, as the same-run
 * baseline, after dropping them.
 *
 * The certificates are copies of one the service really issued, written straight into its SQLite
 * file (tests/fixtures/seed-certificates.ts): 100,000 take seconds, not the hours of issuing them.
 *
 *   tsx bench/bench-console.ts [--count 100000] [--requests 200] [--issues 30]
 */
import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { loadConfig } from '../src/config.ts';
import { start } from '../src/start.ts';
import {
  applicationBodyFor,
  chinaTime,
  deliveryBodyFor,
  fixtureRecords,
  withAnotherMother,
  withBirthTime,
} from '../tests/fixtures/records.ts';
import { seedCertificates } from '../tests/fixtures/seed-certificates.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    requests: { type: 'string', default: '200' },
    issues: { type: 'string', default: '30' },
  },
});
const count = Number(values.count);
const requests = Number(values.requests);
const issues = Number(values.issues);

const dataDir = mkdtempSync(path.join(tmpdir(), 'bc-bench-console-'));
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
const dbFile = path.join(dataDir, 'service.sqlite');

interface Call {
  token?: string;
  cookie?: string;
  json?: unknown;
  form?: Record<string, string>;
}
async function call(method: string, route: string, init: Call = {}) {
  const headers: Record<string, string> = { 'accept-language': 'zh-CN', origin: base };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.cookie) headers.cookie = init.cookie;
  let body: string | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  if (init.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  // A kept-alive socket the server closed while the seeding held the machine fails once: retry it.
  const send = () => fetch(`${base}${route}`, { method, headers, body, redirect: 'manual' });
  const res = await send().catch(send);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, bytes, headers: res.headers };
}
const json = (r: { bytes: Buffer }) => JSON.parse(r.bytes.toString());

const accounts = JSON.parse(readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8')).accounts as {
  role: string;
  username: string;
  password: string;
  institution: string | null;
}[];
const accountOf = (role: string) =>
  accounts.find((a) => a.role === role && (a.institution === null || a.username.endsWith('-gz')))!;
const apiToken = async (role: string) => {
  const a = accountOf(role);
  return json(await call('POST', '/api/v1/auth/token', { json: { username: a.username, password: a.password } }))
    .accessToken as string;
};
/** A console session: the cookie, and the CSRF token its forms carry. */
async function consoleSession(role: string) {
  const a = accountOf(role);
  const res = await call('POST', '/console/sign-in', { form: { username: a.username, password: a.password } });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const home = (await call('GET', res.headers.get('location') ?? '/console', { cookie })).bytes.toString();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home)?.[1] ?? '';
  return { cookie, csrf };
}

// Pending applications for the issue clicks (and one certificate to copy), through the API.
const midwife = await apiToken('midwife');
const issuer = await apiToken('issuer');
async function apply(serial: number): Promise<string> {
  const record = withAnotherMother(
    withBirthTime(fixtureRecords[0]!, chinaTime(new Date(Date.now() - 3_600_000))),
    serial,
  );
  record.birthPlace = { divisionCode: '440106' };
  const delivery = json(await call('POST', '/api/v1/deliveries', { token: midwife, json: deliveryBodyFor(record) }));
  const applied = json(
    await call('POST', '/api/v1/applications', { token: issuer, json: applicationBodyFor(record, delivery.id) }),
  );
  if (!applied.id) throw new Error(`application refused: ${JSON.stringify(applied)}`);
  return applied.id as string;
}
const firstId = await apply(1);
const first = json(await call('POST', `/api/v1/applications/${firstId}/issue`, { token: issuer }));
const pendingIds: string[] = [];
for (let i = 0; i < issues + 20; i++) pendingIds.push(await apply(i + 2));

const seedStart = performance.now();
seedCertificates(dbFile, count);
console.log(`seeded ${count} certificates and deliveries in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
async function timeOf(label: string, n: number, fn: () => Promise<{ status: number }>) {
  for (let i = 0; i < Math.min(20, n); i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const { status } = await fn();
    times.push(performance.now() - t0);
    if (status >= 400) throw new Error(`${label}: ${status}`);
  }
  times.sort((a, b) => a - b);
  return { label, p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}
type Row = Awaited<ReturnType<typeof timeOf>>;
const print = (title: string, rows: Row[], baseline: Row) => {
  console.log(title);
  for (const r of rows) {
    console.log(
      `  ${r.label.padEnd(52)} p50 ${r.p50.toFixed(2).padStart(7)}  p99 ${r.p99.toFixed(2).padStart(7)}  ×${(r.p50 / baseline.p50).toFixed(1)}`,
    );
  }
};

const s = {
  midwife: await consoleSession('midwife'),
  issuer: await consoleSession('issuer'),
  police: await consoleSession('police'),
  auditor: await consoleSession('auditor'),
  statistician: await consoleSession('statistician'),
};
const get = (role: keyof typeof s, route: string) => () => call('GET', route, { cookie: s[role].cookie });
const post =
  (role: keyof typeof s, route: string, form: Record<string, string> = {}) =>
  () =>
    call('POST', route, { cookie: s[role].cookie, form: { _csrf: s[role].csrf, ...form } });

const baseline = await timeOf('GET /healthz (baseline)', requests, () => call('GET', '/healthz'));
const period = 'from=2025-01-01&to=2027-01-01';
const pages: Row[] = [
  baseline,
  await timeOf('GET /console/sign-in', requests, () => call('GET', '/console/sign-in')),
  await timeOf('GET /console/midwife', requests, get('midwife', '/console/midwife')),
  await timeOf('GET /console/issuer (queue)', requests, get('issuer', '/console/issuer')),
  await timeOf(
    'GET /console/issuer/applications/:id',
    requests,
    get('issuer', `/console/issuer/applications/${pendingIds.at(-1)}`),
  ),
  await timeOf(
    'GET /console/issuer/certificates/:no',
    requests,
    get('issuer', `/console/issuer/certificates/${first.certificateNo}`),
  ),
  await timeOf('GET /console/issuer/search', requests, get('issuer', '/console/issuer/search')),
  await timeOf(
    'POST /console/issuer/search (by number)',
    requests,
    post('issuer', '/console/issuer/search', { certificateNo: first.certificateNo }),
  ),
  await timeOf('GET /console/police', requests, get('police', '/console/police')),
  await timeOf(
    'POST /console/police/lookup',
    requests,
    post('police', '/console/police/lookup', { certificateNo: first.certificateNo, purpose: '核验出生医学证明真伪' }),
  ),
  await timeOf('GET /console/auditor', requests, get('auditor', '/console/auditor')),
  await timeOf(
    'GET /console/auditor?certificateNo=…',
    requests,
    get('auditor', `/console/auditor?certificateNo=${first.certificateNo}`),
  ),
];
print(`console pages, ${requests} sequential requests each (ms; ratio to the baseline's p50)`, pages, baseline);

// The chain check reads every event: its time grows with the log, shown with the log's size.
const events = (
  new Database(dbFile, { readonly: true }).prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number }
).n;
print(
  `auditor actions (${events} audit events)`,
  [
    await timeOf('POST /console/auditor/verify (whole chain)', 20, post('auditor', '/console/auditor/verify')),
    await timeOf('GET /console/auditor/export (NDJSON, whole log)', 20, get('auditor', '/console/auditor/export')),
  ],
  baseline,
);

// The issue click: POST → the certificate page (PDF inline) → the PDF the page frames.
const clicks: number[] = [];
for (const id of pendingIds.slice(0, issues)) {
  const t0 = performance.now();
  const page = await post('issuer', `/console/issuer/applications/${id}/issue`)();
  const no = /\/console\/issuer\/certificates\/([A-Z]\d{9})\/pdf/.exec(page.bytes.toString())?.[1];
  if (page.status !== 201 || !no) throw new Error(`issue click: ${page.status}`);
  const pdf = await get('issuer', `/console/issuer/certificates/${no}/pdf`)();
  if (pdf.status !== 200 || pdf.bytes.subarray(0, 5).toString() !== '%PDF-') throw new Error('no PDF');
  clicks.push(performance.now() - t0);
}
clicks.sort((a, b) => a - b);
console.log(
  `issuer's issue click → certificate page + its PDF, ${issues} certificates: p50 ${percentile(clicks, 0.5).toFixed(1)} ms, p99 ${percentile(clicks, 0.99).toFixed(1)} ms (goal p50 ≤ 150 ms)`,
);

const reportPages = async (label: string, n: number) => [
  await timeOf(
    `GET /console/statistician (by month) ${label}`,
    n,
    get('statistician', `/console/statistician?${period}`),
  ),
  await timeOf(`GET …/divisions ${label}`, n, get('statistician', `/console/statistician/divisions?${period}`)),
  await timeOf(`GET …/institutions ${label}`, n, get('statistician', `/console/statistician/institutions?${period}`)),
  await timeOf(
    `GET …/institutions.csv ${label}`,
    n,
    get('statistician', `/console/statistician/institutions.csv?${period}`),
  ),
];
const indexed = await reportPages('', 50);
print(`statistician's report pages on ${count} certificates, 2 years (goal ≤ 300 ms each)`, indexed, baseline);

// Same run, without migration 012's report indexes: what they are for.
const admin = new Database(dbFile);
for (const index of [
  'certificates_birth_day',
  'certificates_issued_day',
  'certificates_void_day',
  'voided_numbers_day',
  'deliveries_birth_day',
]) {
  admin.exec(`DROP INDEX ${index}`);
}
admin.close();
const unindexed = await reportPages('(no 012)', 5);
print('the same without the indexes of migration 012', unindexed, baseline);
console.log('speed-up from the indexes (p50):');
indexed.forEach((r, i) => {
  console.log(`  ${r.label.padEnd(52)} ×${(unindexed[i]!.p50 / r.p50).toFixed(1)}`);
});

await running.stop();
rmSync(dataDir, { recursive: true, force: true });
