import { parentPort, workerData } from 'node:worker_threads';
import { postgresSql } from '../../src/adapters/postgres/postgres-sql.ts';
import { createSqlAuditLog } from '../../src/adapters/sql/audit-log.ts';
import type { Engine, Sql } from '../../src/adapters/sql/sql.ts';
import { sqliteSql } from '../../src/adapters/sql/sqlite-sql.ts';
import { createSqlStatusListStore } from '../../src/adapters/sql/status-list-store.ts';
import { createSqlWebhookDeliveryQueue } from '../../src/adapters/sql/webhook-delivery-queue.ts';
import { openDatabase } from '../../src/adapters/sqlite/database.ts';

/**
 * One "node" of a race (store-race.ts): its own connection to the shared database, waiting on
 * a shared flag so both start at once, then claiming deliveries, appending audit events or taking status list entries.
 */
export interface RaceJob {
  engine: Engine;
  /** A PostgreSQL URL or an SQLite file. */
  database: string;
  start: SharedArrayBuffer;
  task:
    | { kind: 'claim'; ids: string[]; now: number; until: number }
    | { kind: 'audit'; node: string; events: number }
    | { kind: 'status'; certificateNos: string[]; institution: string; year: number; listSize: number };
}

const job = workerData as RaceJob;
const sql: Sql = job.engine === 'postgres' ? postgresSql(job.database) : sqliteSql(openDatabase(job.database));
// A first statement, so a PostgreSQL connection is made before the race starts.
sql.get(sql.db.selectFrom('audit_events').select('seq').limit(1));
parentPort!.postMessage({ connected: true });
Atomics.wait(new Int32Array(job.start), 0, 0);
const { task } = job;
let result: unknown;
try {
  if (task.kind === 'claim') {
    const queue = createSqlWebhookDeliveryQueue(sql);
    result = task.ids.filter((id) => queue.claim(id, task.now, task.until));
  } else if (task.kind === 'status') {
    const store = createSqlStatusListStore(sql, { baseUrl: 'https://zzzx.example.cn', listSize: task.listSize });
    result = task.certificateNos.map((no) => store.assign(no, task));
  } else {
    const audit = createSqlAuditLog(sql);
    const at = new Date('2026-11-29T08:00:00Z');
    for (let i = 0; i < task.events; i++) {
      audit.record(
        {
          action: 'race',
          actor: task.node,
          role: null,
          institution: null,
          target: null,
          purpose: null,
          details: { i },
        },
        at,
      );
    }
    result = task.events;
  }
  parentPort!.postMessage({ result });
} catch (error) {
  parentPort!.postMessage({ error: String(error) });
} finally {
  sql.close();
}
