import { randomBytes } from 'node:crypto';
import type { OnlineApplicationStore, QueueStatus } from '../../domain/lifecycle/online-application-ports.ts';
import { applicationOf, applicationStatus, applications } from './application-store.ts';
import type { Sql } from './sql.ts';
import { hashToken } from './token-store.ts';

interface OnlineRow {
  application_id: string;
  delivery_id: string;
  return_reason: string | null;
  returned_at: string | null;
}

/** The application codes, online applications and the parents' tokens of migration 008. */
export function createSqlOnlineApplicationStore(sql: Sql): OnlineApplicationStore {
  const { db } = sql;
  const online = () =>
    db.selectFrom('online_applications').select(['application_id', 'delivery_id', 'return_reason', 'returned_at']);
  const entry = (row: OnlineRow | undefined) =>
    row
      ? {
          applicationId: row.application_id,
          deliveryId: row.delivery_id,
          returnReason: row.return_reason,
          returnedAt: row.returned_at,
        }
      : null;

  return {
    setCode(deliveryId, codeHash, motherIdNumber, at) {
      sql.run(
        db.insertInto('application_codes').values({
          delivery_id: deliveryId,
          code_hash: codeHash,
          mother_id_number: motherIdNumber,
          created_at: at.toISOString(),
        }),
      );
    },
    findCode(codeHash) {
      const row = sql.get(
        db
          .selectFrom('application_codes')
          .select(['delivery_id', 'mother_id_number', 'failures'])
          .where('code_hash', '=', codeHash),
      );
      return row ? { deliveryId: row.delivery_id, motherIdNumber: row.mother_id_number, failures: row.failures } : null;
    },
    recordFailure(motherIdNumber) {
      const rows = sql.all(
        db
          .updateTable('application_codes')
          .set((eb) => ({ failures: eb('failures', '+', 1) }))
          .where('mother_id_number', '=', motherIdNumber)
          .returning('failures'),
      );
      return rows.length === 0 ? null : Math.max(...rows.map((r) => r.failures));
    },
    resetFailures(deliveryId) {
      sql.run(db.updateTable('application_codes').set({ failures: 0 }).where('delivery_id', '=', deliveryId));
    },
    insert(applicationId, deliveryId) {
      sql.run(db.insertInto('online_applications').values({ application_id: applicationId, delivery_id: deliveryId }));
    },
    find: (id) => entry(sql.get(online().where('application_id', '=', id))),
    byDelivery: (id) => entry(sql.get(online().where('delivery_id', '=', id))),
    markReturned(applicationId, reason, by, at) {
      sql.run(
        db
          .updateTable('online_applications')
          .set({ return_reason: reason, returned_by: by, returned_at: at.toISOString() })
          .where('application_id', '=', applicationId),
      );
    },
    resubmit(applicationId, input, at) {
      sql.run(
        db
          .updateTable('applications')
          .set({ record: JSON.stringify(input) })
          .where('id', '=', applicationId)
          .where('status', '=', 'submitted'),
      );
      sql.run(
        db
          .updateTable('online_applications')
          .set({ return_reason: null, resubmitted_at: at.toISOString() })
          .where('application_id', '=', applicationId),
      );
    },
    queue(institution, status: QueueStatus) {
      const rows = sql.all(
        applications(db)
          // 0/1 on both engines (a bare IS NOT NULL is a boolean in PostgreSQL).
          .select((eb) =>
            eb.case().when('o.application_id', 'is not', null).then(eb.lit(1)).else(eb.lit(0)).end().as('online'),
          )
          .where('a.institution', '=', institution)
          .where((eb) => eb(applicationStatus(eb), '=', status))
          .orderBy('a.created_at')
          .orderBy('a.id'),
      );
      return rows.map((row) => ({
        channel: row.online === 1 ? ('online' as const) : ('walk-in' as const),
        application: applicationOf(row),
      }));
    },
    issueToken(applicationId, ttlSeconds, now) {
      const token = randomBytes(32).toString('base64url');
      const nowMs = now.getTime();
      sql.run(db.deleteFrom('application_tokens').where('expires_at', '<=', nowMs));
      sql.run(
        db.insertInto('application_tokens').values({
          token_hash: hashToken(token),
          application_id: applicationId,
          expires_at: nowMs + ttlSeconds * 1000,
          created_at: nowMs,
        }),
      );
      return { token, expiresInSeconds: ttlSeconds };
    },
    resolveToken(token, now) {
      const row = sql.get(
        db
          .selectFrom('application_tokens')
          .select('application_id')
          .where('token_hash', '=', hashToken(token))
          .where('expires_at', '>', now.getTime()),
      );
      return row?.application_id ?? null;
    },
    revokeToken(token) {
      return sql.run(db.deleteFrom('application_tokens').where('token_hash', '=', hashToken(token))) > 0;
    },
  };
}
