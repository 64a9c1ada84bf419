import type { AuditCheckpoint, AuditCheckpointStore } from '../../domain/audit/audit-checkpoint.ts';
import type { SqliteDatabase } from './database.ts';

/** Checkpoints next to the log they pin; append-only like the log (triggers in migration 006). */
export function createSqliteAuditCheckpointStore(db: SqliteDatabase): AuditCheckpointStore {
  const insert = db.prepare<[number, string, string, string, string], { number: number }>(
    'INSERT INTO audit_checkpoints (seq, hash, at, kid, jws) VALUES (?, ?, ?, ?, ?) RETURNING number',
  );
  const all = db.prepare<[], AuditCheckpoint>(
    'SELECT number, seq, hash, at, kid, jws FROM audit_checkpoints ORDER BY number',
  );
  const newest = db.prepare<[], AuditCheckpoint>(
    'SELECT number, seq, hash, at, kid, jws FROM audit_checkpoints ORDER BY number DESC LIMIT 1',
  );
  return {
    append(checkpoint) {
      const { number } = insert.get(checkpoint.seq, checkpoint.hash, checkpoint.at, checkpoint.kid, checkpoint.jws)!;
      return { number, ...checkpoint };
    },
    list: () => all.all(),
    newest: () => newest.get() ?? null,
  };
}
