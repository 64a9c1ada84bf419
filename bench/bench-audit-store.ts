/**
 * The cost of the converted stores' hot statements on each engine, same run:
 *   - audit events recorded/s (read the head, hash, insert; one transaction each): the store on
 *     SQLite against a same-run baseline of hand-prepared better-sqlite3 statements doing the
 *     same work (what the store was before the query layer), then the store on PostgreSQL;
 *   - webhook deliveries claimed and recorded delivered/s (two autocommit UPDATEs each);
 *   - status list places taken/s (one transaction each: entry check, open list, index check, insert).
 * PostgreSQL is a throwaway local cluster (Debian's server, as `npm run test:pg` starts), on the
 * same 2 shared cores: a round trip costs ~0.1–0.3 ms there, which bounds one node's rate.
 *
 *   tsx bench/bench-audit-store.ts [--count 1000] [--no-postgres]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { postgresSql } from '../src/adapters/postgres/postgres-sql.ts';
import { chainHash, createSqlAuditLog } from '../src/adapters/sql/audit-log.ts';
import { migrateSchema } from '../src/adapters/sql/migrate.ts';
import type { Sql } from '../src/adapters/sql/sql.ts';
import { sqliteSql } from '../src/adapters/sql/sqlite-sql.ts';
import { createSqlStatusListStore } from '../src/adapters/sql/status-list-store.ts';
import { createSqlWebhookDeliveryQueue } from '../src/adapters/sql/webhook-delivery-queue.ts';
import { openDatabase, type SqliteDatabase } from '../src/adapters/sqlite/database.ts';
import { startCluster } from '../tests/pg/cluster.ts';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '1000' }, 'no-postgres': { type: 'boolean', default: false } },
});
const count = Number(values.count);
const at = new Date('2026-11-29T08:00:00Z');
const institution = '12440000455862437X';
const event = (i: number) => ({
  action: 'certificate.read',
  actor: `police-${i % 50}`,
  role: 'police',
  institution: null,
  target: `Q44${String(i).padStart(7, '0')}`,
  purpose: '落户核验',
  details: { i },
});

const ROUNDS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function perSecond(n: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(100, n); i++) fn(-1_000_000 - i); // warm-up, numbers of its own
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

/** The audit log as hand-prepared statements: the pre-query-layer store's work, for the baseline. */
function baselineAudit(db: SqliteDatabase) {
  const last = db.prepare<[], { seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
  );
  const insert = db.prepare(
    `INSERT INTO audit_events (seq, at, action, actor, role, institution, target, purpose, details, prev_hash, hash)
     VALUES (@seq, @at, @action, @actor, @role, @institution, @target, @purpose, @details, @prev_hash, @hash)`,
  );
  return db.transaction((i: number) => {
    const previous = last.get();
    const row = { seq: (previous?.seq ?? 0) + 1, at: at.toISOString(), ...event(i), details: JSON.stringify({ i }) };
    const prevHash = previous?.hash ?? '0'.repeat(64);
    insert.run({ ...row, prev_hash: prevHash, hash: chainHash(prevHash, row) });
  });
}

/** Seeds what the queue and status list rounds need: an institution, a subscription, `n` due deliveries. */
function seed(sql: Sql, n: number) {
  const { db } = sql;
  sql.transaction(() => {
    sql.run(
      db
        .insertInto('institutions')
        .values({ credit_code: institution, name: '医院', division_code: '440106', created_at: at.toISOString() }),
    );
    sql.run(
      db.insertInto('subscriptions').values({
        id: 'sub_1',
        url: 'https://example.cn/hooks',
        event_types: '[]',
        secret: 's',
        created_by: 'bench',
        created_at: at.toISOString(),
      }),
    );
    for (let i = 0; i < n; i++) {
      const { seq } = sql.get(
        db
          .insertInto('events')
          .values({
            id: `evt_${i}`,
            type: 't',
            ordering_key: `L:${i}`,
            division_code: '440106',
            body: '{}',
            occurred_at: '',
          })
          .returning('seq'),
      )!;
      sql.run(
        db.insertInto('webhook_deliveries').values({
          id: `dlv_${i}`,
          subscription_id: 'sub_1',
          event_seq: seq,
          ordering_key: `L:${i}`,
          status: 'pending',
          window_started_at: 0,
          next_attempt_at: 0,
        }),
      );
    }
  });
}

function storeRounds(sql: Sql, options: { audit: boolean }) {
  const audit = createSqlAuditLog(sql);
  const queue = createSqlWebhookDeliveryQueue(sql);
  const lists = createSqlStatusListStore(sql, { baseUrl: 'https://example.cn' });
  seed(sql, count + 100);
  const now = Date.now();
  const id = (i: number) => `dlv_${i < 0 ? count - 1_000_000 - i : i}`;
  return {
    audit: options.audit
      ? median(Array.from({ length: ROUNDS }, () => perSecond(count, (i) => audit.record(event(i), at))))
      : 0,
    claims: perSecond(count, (i) => {
      if (!queue.claim(id(i), now, now + 60_000)) throw new Error(`not claimed: ${id(i)}`);
      queue.delivered(id(i), { at: now, status: 204, error: null });
    }),
    places: perSecond(count, (i) =>
      lists.assign(`Q44${String(i + 1000).padStart(7, '0')}`, { institution, year: 2026 }),
    ),
    intact: audit.verify().intact,
  };
}

/**
 * Baseline and store alternate, ROUNDS times each, on databases of their own, and the medians are
 * compared: on this shared machine one round of either can be off by 2× (other processes' I/O).
 * In memory the figures are the CPU cost; on files (WAL, synchronous=NORMAL, as the service runs)
 * they include the writes.
 */
function auditAgainstBaseline(baselineFile: string, storeFile: string) {
  const baselineDb = openDatabase(baselineFile);
  const record = baselineAudit(baselineDb);
  const sqlite = sqliteSql(openDatabase(storeFile));
  const audit = createSqlAuditLog(sqlite);
  const baselines: number[] = [];
  const stores: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    baselines.push(perSecond(count, (i) => record(round * count + i)));
    stores.push(perSecond(count, (i) => audit.record(event(round * count + i), at)));
  }
  baselineDb.close();
  return { baseline: median(baselines), store: median(stores), sqlite };
}

const directory = mkdtempSync(path.join(tmpdir(), 'bench-audit-store-'));
try {
  const inMemory = auditAgainstBaseline(':memory:', ':memory:');
  inMemory.sqlite.close();
  const { baseline, store, sqlite } = auditAgainstBaseline(
    path.join(directory, 'baseline.db'),
    path.join(directory, 'store.db'),
  );
  const onSqlite = { ...storeRounds(sqlite, { audit: false }), audit: store };
  sqlite.close();

  const fmt = (n: number) => n.toFixed(0).padStart(7);
  console.log(`${count} of each, one at a time, this process only; audit figures: median of ${ROUNDS} rounds`);
  console.log(`audit events/s   SQLite in memory, by hand (baseline) ${fmt(inMemory.baseline)}`);
  console.log(
    `audit events/s   SQLite in memory, the store          ${fmt(inMemory.store)}  ×${(inMemory.store / inMemory.baseline).toFixed(2)} of baseline`,
  );
  console.log(`audit events/s   SQLite prepared by hand (baseline) ${fmt(baseline)}`);
  console.log(
    `audit events/s   SQLite, the store                  ${fmt(onSqlite.audit)}  ×${(onSqlite.audit / baseline).toFixed(2)} of baseline`,
  );
  console.log(`claims+delivered/s SQLite                           ${fmt(onSqlite.claims)}`);
  console.log(`status places/s  SQLite                             ${fmt(onSqlite.places)}`);

  if (!values['no-postgres']) {
    const cluster = await startCluster();
    try {
      const admin = new pg.Client({ connectionString: cluster.url() });
      await admin.connect();
      await admin.query('CREATE DATABASE bench_stores');
      await admin.end();
      const postgres = postgresSql(cluster.url('bench_stores'));
      migrateSchema(postgres);
      const onPostgres = storeRounds(postgres, { audit: true });
      postgres.close();
      console.log(
        `audit events/s   PostgreSQL, the store              ${fmt(onPostgres.audit)}  ×${(onPostgres.audit / baseline).toFixed(2)} of baseline, ×${(onPostgres.audit / onSqlite.audit).toFixed(2)} of SQLite`,
      );
      console.log(
        `claims+delivered/s PostgreSQL                       ${fmt(onPostgres.claims)}  ×${(onPostgres.claims / onSqlite.claims).toFixed(2)} of SQLite`,
      );
      console.log(
        `status places/s  PostgreSQL                         ${fmt(onPostgres.places)}  ×${(onPostgres.places / onSqlite.places).toFixed(2)} of SQLite`,
      );
      if (!onPostgres.intact) throw new Error('the PostgreSQL audit chain is broken');
    } finally {
      cluster.stop();
    }
  }
  if (!onSqlite.intact) throw new Error('the SQLite audit chain is broken');
} finally {
  rmSync(directory, { recursive: true, force: true });
}
