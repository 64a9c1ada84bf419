/**
 * One node of `npm run bench:storage`: the real service in this process (port 0) on the data
 * directory and database it is given, its PDF left out (BENCHMARK ONLY: an empty PDF, so the
 * figures are the storage's), driven from this process over HTTP. Talks to the parent in JSON
 * lines: prepares its applications and says `ready`; on `issue` issues them all with
 * `--concurrency` requests in flight; on `verify` verifies their QR codes for `--seconds`.
 */
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { LifecyclePorts } from '../src/domain/lifecycle/ports.ts';
import {
  chinaTime,
  fixtureRecords,
  isInstitutionalBirth,
  withAnotherMother,
  withBirthTime,
} from '../tests/fixtures/records.ts';
import { startTestService } from '../tests/http/harness.ts';
import { startProfile, submitApplication } from './bench-kit.ts';

const { values } = parseArgs({
  options: {
    node: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    'database-url': { type: 'string' },
    count: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '5' },
  },
});
const node = Number(values.node);
const count = Number(values.count);
const concurrency = Number(values.concurrency);
const say = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);

const svc = await startTestService({
  dataDir: values['data-dir']!,
  env: {
    ...(values['database-url'] ? { DATABASE_URL: values['database-url'] } : {}),
    RATE_LIMIT_PER_MINUTE: '1000000',
  },
});
const ports: LifecyclePorts = svc.running.service.lifecycle;
// BENCHMARK ONLY: no PDF, so what is measured is issuing's storage and signatures.
ports.renderer = { render: async () => new Uint8Array(0) };
/** Statements sent to PostgreSQL, and the calls that sent them (round trips), counted while issuing. */
const statements = new Map<string, number>();
let roundTrips = 0;
let counting = false;
type Call = (...args: never[]) => unknown;
type Counted = { query: Call; exec: Call; batch: Call };
const sqlLayer = svc.running.service.sql as { engine: string; connection?: Counted };
if (sqlLayer.engine === 'postgres' && sqlLayer.connection) {
  const connection = sqlLayer.connection;
  const seen = (text: string) => statements.set(text, (statements.get(text) ?? 0) + 1);
  for (const op of ['query', 'exec', 'batch'] as const) {
    const original = connection[op].bind(connection) as (...args: unknown[]) => unknown;
    connection[op] = ((...args: unknown[]) => {
      if (counting) {
        roundTrips++;
        if (op === 'batch') for (const statement of args[0] as { sql: string }[]) seen(statement.sql);
        else seen(args[0] as string);
      }
      return original(...args);
    }) as Call;
  }
}
const midwife = await svc.token('midwife', 'gz');
const issuer = await svc.token('issuer', 'gz');

/** Births distinct across nodes: each node its own mothers (serials) and minutes. */
async function prepare(): Promise<string[]> {
  const ids: string[] = [];
  const from = Date.now();
  for (let k = 0; k < count; k++) {
    const base = fixtureRecords[k % fixtureRecords.length]!;
    const minutesAgo = 30 + node * 120 + Math.floor(k / fixtureRecords.length);
    const record = withAnotherMother(
      withBirthTime(base, chinaTime(new Date(from - minutesAgo * 60_000))),
      node * 250 + Math.floor(k / fixtureRecords.length),
    );
    if (isInstitutionalBirth(record)) record.birthPlace = { divisionCode: '440106' };
    ids.push(await submitApplication(svc, record, { midwife, issuer }));
  }
  return ids;
}

/** Runs `work` over `items` with `concurrency` in flight. */
async function inFlight<T>(items: T[], work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

const applications = await prepare();
const issued: string[] = [];
say({ ready: true });
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'issue') {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const profiler = process.env.ISSUE_PROFILE_DIR ? await startProfile() : null;
    counting = true;
    await inFlight(applications, async (id) => {
      const reply = await svc.request('POST', `/api/v1/applications/${id}/issue`, { token: issuer });
      if (reply.status !== 201) throw new Error(`issue refused: ${reply.status} ${JSON.stringify(reply.body)}`);
      issued.push(reply.body.certificateNo);
    });
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    counting = false;
    if (profiler) await profiler.stopInto(path.join(process.env.ISSUE_PROFILE_DIR!, `issue-node${node}.cpuprofile`));
    const sent = [...statements.values()].reduce((a, b) => a + b, 0);
    if (process.env.TRACE_STATEMENTS) {
      for (const [text, n] of [...statements].sort((a, b) => b[1] - a[1])) {
        process.stderr.write(`${(n / issued.length).toFixed(2)}  ${text.replace(/\s+/g, ' ').slice(0, 160)}\n`);
      }
    }
    say({ issued: issued.length, ms, statements: sent, roundTrips, cpuMs: (cpu.user + cpu.system) / 1000 });
  } else if (line === 'verify') {
    const qrs = issued.map((no) => ports.register.find(no)!.qrText);
    const until = performance.now() + Number(values.seconds) * 1000;
    let verified = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < until) {
          const reply = await svc.request('POST', '/api/v1/verifications', {
            json: { qr: qrs[verified % qrs.length] },
          });
          if (reply.status !== 200 || reply.body.valid !== true) throw new Error(`verification: ${reply.status}`);
          verified++;
        }
      }),
    );
    say({ verified, ms: performance.now() - started });
  } else if (line === 'stop') {
    await svc.stop();
    say({ stopped: true });
    process.exit(0);
  }
}
