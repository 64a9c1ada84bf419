import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postgresSql } from '../../src/adapters/postgres/postgres-sql.ts';
import { formatCertificateNo } from '../../src/domain/institution.ts';
import { demoInstitutions } from '../../src/setup/demo-trust-domain.ts';
import {
  applicationBodyFor,
  chinaTime,
  deliveryBodyFor,
  fixtureRecords,
  isInstitutionalBirth,
  withAnotherMother,
  withBirthTime,
} from '../fixtures/records.ts';
import { copyOfDatabase, PG_TEMPLATE, testEngine } from '../storage-kit.ts';
import { killHard, type Launched, launchService } from './service-process.ts';

/**
 * The real service process, killed with SIGKILL at random moments while it issues, replaces and
 * reissues under load, then restarted on the same data directory. After every restart the
 * register must account for every number once, hold no certificate without its signed e-licence
 * and PDF, let interrupted issues finish with their reserved numbers, keep its audit chain, and
 * verify every certificate it answered 201 for.
 *
 * On PostgreSQL (`npm run test:pg`) two nodes share the database and no disk, the load runs
 * through both at once, and each round kills one of them while the other keeps working: numbers
 * are never handed out twice across nodes, and the survivor loses nothing.
 */

const guangzhou = demoInstitutions.find((institution) => institution.key === 'gz')!;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const nodeCount = testEngine === 'postgres' ? 2 : 1;
/** One data directory per node: on PostgreSQL a node keeps nothing there but the demo credentials. */
const dataDirs = Array.from({ length: nodeCount }, () => mkdtempSync(path.join(tmpdir(), 'bc-crash-')));
const dataDir = dataDirs[0]!;
const rounds = Number(process.env.CRASH_ROUNDS ?? 4);
const workers = 3;
// A fixed seed, printed: every run picks the same operations and kill delays; TEST_SEED (or CRASH_SEED) picks others.
const seed = Number(process.env.TEST_SEED ?? process.env.CRASH_SEED ?? 20_260_801);
console.log(`crash recovery on ${testEngine}, ${nodeCount} node(s): seed ${seed} (replay with TEST_SEED=${seed})`);
const running = new Set<ChildProcess>();
let databaseUrl: string | null = null;

beforeAll(async () => {
  if (testEngine === 'postgres') databaseUrl = await copyOfDatabase(PG_TEMPLATE);
});
afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** mulberry32: a seeded generator, so a failing run can be replayed with TEST_SEED. */
function seeded(start: number): () => number {
  let a = start >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(seed);
let births = 0;
/** Birth times count back from one instant, so no two births of one mother share a minute. */
const loadStartedAt = Date.now();

const launch = (node = 0) =>
  launchService({
    dataDir: dataDirs[node]!,
    passphrase: 'crash-test-passphrase',
    env: databaseUrl ? { DATABASE_URL: databaseUrl } : {},
    spawned: (child) => {
      running.add(child);
      child.once('exit', () => running.delete(child));
    },
  });

interface Reply {
  status: number;
  body: any;
}

function client(url: string) {
  return async (method: string, route: string, token?: string, json?: unknown): Promise<Reply> => {
    const res = await fetch(`${url}${route}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
      signal: AbortSignal.timeout(20_000),
    });
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, body: type.includes('json') ? await res.json() : await res.arrayBuffer() };
  };
}
type Call = ReturnType<typeof client>;

interface Ledger {
  /** Every application the load created (its issue may or may not have run). */
  applications: Set<string>;
  /** Every certificate number answered with 201: each must be in the register. */
  answered: Set<string>;
  /** Answers that are neither success, an expected refusal, nor a broken connection. */
  unexpected: string[];
}

const names = ['王子涵', '李梓萱', '张一诺', '陈思远', '刘欣怡', '黄浩然'];

/** One issuer's loop: new births mostly, and replacements or reissues of its own certificates. */
async function runLoad(call: Call, tokens: { midwife: string; issuer: string }, ledger: Ledger, stop: () => boolean) {
  const own: string[] = [];
  const expect2xx = (what: string, reply: Reply, ok: number[]) => {
    if (!ok.includes(reply.status)) ledger.unexpected.push(`${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return ok.includes(reply.status);
  };
  while (!stop()) {
    try {
      const pick = random();
      if (own.length === 0 || pick < 0.6) {
        // Each birth distinct (record × minute): one birth may hold only one current certificate.
        const k = births++;
        const base = fixtureRecords[k % fixtureRecords.length]!;
        const minutesAgo = 30 + Math.floor(k / fixtureRecords.length);
        // Each birth its own mother: one mother's births minutes apart would be one pregnancy.
        const record = withAnotherMother(
          withBirthTime(base, chinaTime(new Date(loadStartedAt - minutesAgo * 60_000))),
          (k % 499) + 1,
        );
        // A delivery at the Guangzhou institution happened in its division.
        if (isInstitutionalBirth(record)) record.birthPlace = { divisionCode: guangzhou.divisionCode };
        let body = applicationBodyFor(record);
        if (isInstitutionalBirth(record)) {
          const delivery = await call('POST', '/api/v1/deliveries', tokens.midwife, deliveryBodyFor(record));
          if (!expect2xx('delivery', delivery, [201])) continue;
          body = applicationBodyFor(record, delivery.body.id);
        }
        const application = await call('POST', '/api/v1/applications', tokens.issuer, body);
        if (!expect2xx('application', application, [201])) continue;
        ledger.applications.add(application.body.id);
        const issued = await call('POST', `/api/v1/applications/${application.body.id}/issue`, tokens.issuer);
        if (!expect2xx('issue', issued, [201])) continue;
        ledger.answered.add(issued.body.certificateNo);
        own.push(issued.body.certificateNo);
      } else {
        const index = Math.floor(random() * own.length);
        const no = own[index]!;
        const amended =
          pick < 0.8
            ? await call('POST', `/api/v1/certificates/${no}/replacements`, tokens.issuer, {
                reason: '姓名录入错误',
                changes: { newborn: { name: names[Math.floor(random() * names.length)] } },
              })
            : await call('POST', `/api/v1/certificates/${no}/reissues`, tokens.issuer, { reason: '原证遗失' });
        if (!expect2xx('amendment', amended, [201])) continue;
        ledger.answered.add(amended.body.certificateNo);
        own[index] = amended.body.certificateNo;
      }
    } catch {
      // A connection cut by the kill; anything else shows up in the register checks.
      if (!stop()) ledger.unexpected.push('a request failed while the service was up');
    }
  }
}

/** Read access to the register behind the service, on either engine, for the checks. */
interface RegisterReader {
  rows<R>(sql: string): R[];
  close(): void;
}
type Db = RegisterReader;

function openRegister(): RegisterReader {
  if (databaseUrl) {
    const db = postgresSql(databaseUrl);
    return { rows: (sql) => db.all(CompiledQuery.raw(sql)), close: () => db.close() };
  }
  const db = new Database(path.join(dataDir, 'service.sqlite'), { readonly: true, fileMustExist: true });
  return { rows: <R>(sql: string) => db.prepare(sql).all() as R[], close: () => db.close() };
}

const column = (db: Db, sql: string): string[] =>
  db.rows<Record<string, unknown>>(sql).map((row) => String(Object.values(row)[0]));

/** Every number taken from a range is in exactly one place, and only taken numbers are anywhere. */
function numberAccounting(db: Db) {
  const places: Record<string, string[]> = {
    certificate: column(db, 'SELECT certificate_no FROM certificates'),
    voided: column(db, 'SELECT certificate_no FROM voided_numbers'),
    reserved: column(db, 'SELECT certificate_no FROM number_reservations'),
    issuing: column(db, "SELECT certificate_no FROM applications WHERE status = 'issuing'"),
  };
  const where = new Map<string, string[]>();
  for (const [place, numbers] of Object.entries(places)) {
    for (const no of numbers) where.set(no, [...(where.get(no) ?? []), place]);
  }
  const ranges = db.rows<{ prefix: string; first_no: number; next_no: number }>(
    'SELECT prefix, first_no, next_no FROM number_ranges',
  );
  const taken = new Set(
    ranges.flatMap((r) =>
      Array.from({ length: r.next_no - r.first_no }, (_, i) => formatCertificateNo(r.prefix, r.first_no + i)),
    ),
  );
  return {
    places,
    usedTwice: [...where].filter(([, at]) => at.length > 1).map(([no, at]) => `${no}: ${at.join(' + ')}`),
    unaccounted: [...taken].filter((no) => !where.has(no)),
    outsideRanges: [...where.keys()].filter((no) => !taken.has(no)),
  };
}

/** Certificates without their e-licence, PDF, application or predecessor, and broken lineages. */
function registerFaults(db: Db): string[] {
  const faults: string[] = [];
  const rows = db.rows<{
    certificate_no: string;
    kind: string;
    status: string;
    lineage: string;
    version: number;
    application_id: string | null;
    supersedes: string | null;
    superseded_by: string | null;
    signed_json: string;
    qr_text: string;
    pdf_head: Buffer | null;
    pdf_bytes: number;
    application_status: string | null;
    application_no: string | null;
    predecessor_successor: string | null;
  }>(
    `SELECT c.certificate_no, c.kind, c.status, c.lineage, c.version, c.application_id, c.supersedes,
              c.superseded_by, c.signed_json, c.qr_text, substr(f.pdf, 1, 5) AS pdf_head, length(f.pdf) AS pdf_bytes,
              a.status AS application_status, a.certificate_no AS application_no,
              p.superseded_by AS predecessor_successor
         FROM certificates c
         LEFT JOIN certificate_pdfs f ON f.certificate_no = c.certificate_no
         LEFT JOIN applications a ON a.id = c.application_id
         LEFT JOIN certificates p ON p.certificate_no = c.supersedes`,
  );
  const lineages = new Map<string, typeof rows>();
  for (const row of rows) {
    const no = row.certificate_no;
    lineages.set(row.lineage, [...(lineages.get(row.lineage) ?? []), row]);
    if (row.pdf_head?.toString('latin1') !== '%PDF-' || row.pdf_bytes < 1000) faults.push(`${no}: no PDF`);
    if (!row.qr_text) faults.push(`${no}: no QR`);
    try {
      const jws = JSON.parse(row.signed_json) as { payload: string; signature: string };
      const payload = JSON.parse(Buffer.from(jws.payload, 'base64url').toString('utf8'));
      if (payload.certificate.certificateNo !== no || !jws.signature) faults.push(`${no}: e-licence of another number`);
    } catch {
      faults.push(`${no}: unreadable e-licence`);
    }
    if (row.kind === 'first' || row.kind === 'out-of-institution') {
      if (row.application_status !== 'issued' || row.application_no !== no) {
        faults.push(`${no}: application ${row.application_status} with ${row.application_no}`);
      }
    } else if (row.predecessor_successor !== no) {
      faults.push(`${no}: predecessor ${row.supersedes} points at ${row.predecessor_successor}`);
    }
  }
  for (const [lineage, versions] of lineages) {
    const sorted = versions.map((v) => v.version).sort((a, b) => a - b);
    if (sorted.some((v, i) => v !== i + 1)) faults.push(`lineage ${lineage}: versions ${sorted}`);
    const live = versions.filter((v) => v.status !== 'superseded');
    if (live.length !== 1 || live[0]!.version !== sorted.length) {
      faults.push(`lineage ${lineage}: ${live.length} current versions`);
    }
  }
  const issuedApplications = column(
    db,
    `SELECT a.id FROM applications a LEFT JOIN certificates c ON c.certificate_no = a.certificate_no
      WHERE a.status = 'issued' AND c.certificate_no IS NULL`,
  );
  for (const id of issuedApplications) faults.push(`application ${id}: issued without a certificate`);
  return faults;
}

/** Certificates and voids with no audit event about them. */
function unauditedChanges(db: Db): string[] {
  const action: Record<string, string> = {
    first: 'certificate.issued',
    'out-of-institution': 'certificate.issued',
    replacement: 'certificate.replaced',
    reissue: 'certificate.reissued',
  };
  const events = new Set(
    db
      .rows<{ action: string; target: string }>('SELECT action, target FROM audit_events')
      .map((e) => `${e.action} ${e.target}`),
  );
  const certificates = db
    .rows<{ certificate_no: string; kind: string }>('SELECT certificate_no, kind FROM certificates')
    .map((c) => `${action[c.kind]} ${c.certificate_no}`);
  const voids = column(db, 'SELECT certificate_no FROM voided_numbers').map((no) => `certificate.voided ${no}`);
  return [...certificates, ...voids].filter((e) => !events.has(e));
}

async function auditIntact(call: Call, auditor: string) {
  const reply = await call('GET', '/api/v1/audit-events/verify', auditor);
  expect(reply.status).toBe(200);
  return reply.body as { intact: boolean; events: number };
}

it('survives SIGKILL at random moments under load: every number accounted for, interrupted issues finish, audit intact', async () => {
  // The first node seeds the demo trust domain; the others join the populated database.
  const nodes: Launched[] = [];
  for (let node = 0; node < nodeCount; node++) nodes.push(await launch(node));
  const accounts = (
    JSON.parse(readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8')) as {
      accounts: { role: string; username: string; password: string }[];
    }
  ).accounts;
  const signIn = async (call: Call, username: string) => {
    const account = accounts.find((a) => a.username === username)!;
    const reply = await call('POST', '/api/v1/auth/token', undefined, {
      username: account.username,
      password: account.password,
    });
    expect(reply.status).toBe(200);
    return reply.body.accessToken as string;
  };
  // Bearer tokens live in the database, so they outlast the restarts and work on every node.
  const calls = nodes.map((node) => client(node.url));
  const tokens = {
    midwife: await signIn(calls[0]!, 'demo-midwife-gz'),
    issuer: await signIn(calls[0]!, 'demo-issuer-gz'),
  };
  const auditor = await signIn(calls[0]!, 'demo-auditor');
  const ledger: Ledger = { applications: new Set(), answered: new Set(), unexpected: [] };
  let interrupted = 0;
  let voidedAtStart = 0;

  for (let round = 1; round <= rounds; round++) {
    const victim = Math.floor(random() * nodeCount);
    const context = `seed ${seed}, round ${round}, node ${victim} killed`;
    let killed = false;
    const load = calls.flatMap((call) =>
      Array.from({ length: workers }, () => runLoad(call, tokens, ledger, () => killed)),
    );
    await new Promise((resolve) => setTimeout(resolve, 300 + random() * 1_200));
    const reservedBeforeKill = openRegister();
    killed = true;
    await killHard(nodes[victim]!.child);
    const leftReserved = column(reservedBeforeKill, 'SELECT certificate_no FROM number_reservations');
    reservedBeforeKill.close();
    // The survivors finish what they had in flight.
    await Promise.all(load);

    nodes[victim] = await launch(victim);
    calls[victim] = client(nodes[victim]!.url);
    const call = calls[victim]!;
    let db = openRegister();
    const afterStart = numberAccounting(db);
    expect(afterStart.usedTwice, context).toEqual([]);
    expect(afterStart.unaccounted, context).toEqual([]);
    expect(afterStart.outsideRanges, context).toEqual([]);
    // Numbers left reserved by the killed node's amendments were voided before it listened
    // again; a survivor's landed or was voided by the survivor itself.
    expect(afterStart.places.reserved, context).toEqual([]);
    for (const no of leftReserved) {
      const landed = nodeCount > 1 && afterStart.places.certificate!.includes(no);
      if (!landed) expect(afterStart.places.voided, context).toContain(no);
    }
    voidedAtStart += leftReserved.filter((no) => afterStart.places.voided!.includes(no)).length;
    expect(registerFaults(db), context).toEqual([]);
    for (const no of ledger.answered) expect(afterStart.places.certificate, `${context}: answered ${no}`).toContain(no);

    // Interrupted issues finish with the number they reserved; never-issued ones get a new one.
    const pending = db.rows<{ id: string; status: string; certificate_no: string | null }>(
      "SELECT id, status, certificate_no FROM applications WHERE status IN ('issuing', 'submitted')",
    );
    db.close();
    for (const application of pending) {
      const retried = await call('POST', `/api/v1/applications/${application.id}/issue`, tokens.issuer);
      expect(retried.status, `${context}: retry ${application.status}`).toBe(201);
      if (application.status === 'issuing') {
        interrupted++;
        expect(retried.body.certificateNo, context).toBe(application.certificate_no);
      }
      ledger.answered.add(retried.body.certificateNo);
    }

    db = openRegister();
    const afterRetries = numberAccounting(db);
    expect(afterRetries.usedTwice, context).toEqual([]);
    expect(afterRetries.unaccounted, context).toEqual([]);
    expect(afterRetries.places.issuing, context).toEqual([]);
    expect(registerFaults(db), context).toEqual([]);
    expect(unauditedChanges(db), context).toEqual([]);
    db.close();
    expect(await auditIntact(call, auditor), context).toMatchObject({ intact: true });
  }

  // Every certificate verifies as the register says, on every node: the current ones valid, the others superseded.
  const db = openRegister();
  const register = db.rows<{
    certificate_no: string;
    status: string;
    superseded_by: string | null;
    qr_text: string;
    signed_json: string;
  }>('SELECT certificate_no, status, superseded_by, qr_text, signed_json FROM certificates');
  db.close();
  for (const [index, row] of register.entries()) {
    const verdict = await calls[index % nodeCount]!('POST', '/api/v1/verifications', undefined, {
      qr: row.qr_text,
      signedJson: row.signed_json,
    });
    const expected =
      row.status === 'valid'
        ? { valid: true, status: 'valid' }
        : { valid: false, status: 'superseded', reason: 'SUPERSEDED', supersededBy: row.superseded_by };
    expect(verdict.body, row.certificate_no).toMatchObject(expected);
  }
  expect(ledger.unexpected).toEqual([]);
  // The kills must have hit work in progress, or this test proved nothing about recovery.
  expect(interrupted + voidedAtStart, `seed ${seed}`).toBeGreaterThan(0);
  console.info(
    `crash recovery on ${testEngine} (seed ${seed}): ${rounds} kills of ${nodeCount} node(s), ${register.length} certificates, ` +
      `${interrupted} interrupted issues finished, ${voidedAtStart} interrupted amendments voided`,
  );

  await Promise.all(nodes.map((node) => killHard(node.child)));
  // The operator's check of the audit chain agrees, from a separate process.
  const cli = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'verify-audit'], {
    cwd: repoRoot,
    env: { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'test', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  cli.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
  expect({ code, report: JSON.parse(out.trim().split('\n').at(-1) ?? '{}') }).toMatchObject({
    code: 0,
    report: { intact: true },
  });
}, 240_000);
