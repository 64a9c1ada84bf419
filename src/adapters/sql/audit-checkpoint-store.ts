import type { AuditCheckpointStore } from '../../domain/audit/audit-checkpoint.ts';
import type { Sql } from './sql.ts';

const columns = ['number', 'seq', 'hash', 'at', 'kid', 'jws'] as const;

/** Checkpoints next to the log they pin; append-only like the log (triggers in migration 006). */
export function createSqlAuditCheckpointStore(sql: Sql): AuditCheckpointStore {
  const { db } = sql;
  return {
    append(checkpoint) {
      const { seq, hash, at, kid, jws } = checkpoint;
      const { number } = sql.get(
        db.insertInto('audit_checkpoints').values({ seq, hash, at, kid, jws }).returning('number'),
      )!;
      return { number, ...checkpoint };
    },
    list: () => sql.all(db.selectFrom('audit_checkpoints').select(columns).orderBy('number')),
    newest: () =>
      sql.get(db.selectFrom('audit_checkpoints').select(columns).orderBy('number', 'desc').limit(1)) ?? null,
  };
}
