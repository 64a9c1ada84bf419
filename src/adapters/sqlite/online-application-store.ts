import { createHash, randomBytes } from 'node:crypto';
import type { OnlineApplicationStore, QueueStatus } from '../../domain/lifecycle/online-application-ports.ts';
import type { ApplicationRecord } from '../../domain/lifecycle/records.ts';
import type { SqliteDatabase } from './database.ts';

interface QueueRow {
  id: string;
  institution: string;
  delivery_id: string | null;
  record: string;
  certificate_no: string | null;
  licence_serial: string | null;
  created_by: string;
  created_at: string;
  status: ApplicationRecord['status'];
  online: number;
}

interface OnlineRow {
  application_id: string;
  delivery_id: string;
  return_reason: string | null;
  returned_at: string | null;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** The application codes, online applications and the parents' tokens of migration 008. */
export function createSqliteOnlineApplicationStore(db: SqliteDatabase): OnlineApplicationStore {
  // "returned" is an open return on a submitted application (the applications table's CHECK predates it).
  const statusSql = `CASE WHEN a.status = 'submitted' AND o.return_reason IS NOT NULL THEN 'returned' ELSE a.status END`;
  const q = {
    setCode: db.prepare(
      'INSERT INTO application_codes (delivery_id, code_hash, mother_id_number, created_at) VALUES (?, ?, ?, ?)',
    ),
    findCode: db.prepare<[string], { delivery_id: string; mother_id_number: string; failures: number }>(
      'SELECT delivery_id, mother_id_number, failures FROM application_codes WHERE code_hash = ?',
    ),
    failure: db.prepare<[string], { failures: number }>(
      'UPDATE application_codes SET failures = failures + 1 WHERE mother_id_number = ? RETURNING failures',
    ),
    reset: db.prepare('UPDATE application_codes SET failures = 0 WHERE delivery_id = ?'),
    insert: db.prepare('INSERT INTO online_applications (application_id, delivery_id) VALUES (?, ?)'),
    find: db.prepare<[string], OnlineRow>('SELECT * FROM online_applications WHERE application_id = ?'),
    byDelivery: db.prepare<[string], OnlineRow>('SELECT * FROM online_applications WHERE delivery_id = ?'),
    markReturned: db.prepare(
      'UPDATE online_applications SET return_reason = ?, returned_by = ?, returned_at = ? WHERE application_id = ?',
    ),
    clearReturn: db.prepare(
      'UPDATE online_applications SET return_reason = NULL, resubmitted_at = ? WHERE application_id = ?',
    ),
    updateInput: db.prepare("UPDATE applications SET record = ? WHERE id = ? AND status = 'submitted'"),
    queue: db.prepare<[string, string], QueueRow>(
      `SELECT a.*, ${statusSql} AS status, o.application_id IS NOT NULL AS online
         FROM applications a LEFT JOIN online_applications o ON o.application_id = a.id
        WHERE a.institution = ? AND ${statusSql} = ?
        ORDER BY a.created_at, a.id`,
    ),
    insertToken: db.prepare(
      'INSERT INTO application_tokens (token_hash, application_id, expires_at, created_at) VALUES (?, ?, ?, ?)',
    ),
    token: db.prepare<[string, number], { application_id: string }>(
      'SELECT application_id FROM application_tokens WHERE token_hash = ? AND expires_at > ?',
    ),
    sweep: db.prepare('DELETE FROM application_tokens WHERE expires_at <= ?'),
    revokeToken: db.prepare('DELETE FROM application_tokens WHERE token_hash = ?'),
  };
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
      q.setCode.run(deliveryId, codeHash, motherIdNumber, at.toISOString());
    },
    findCode(codeHash) {
      const row = q.findCode.get(codeHash);
      return row ? { deliveryId: row.delivery_id, motherIdNumber: row.mother_id_number, failures: row.failures } : null;
    },
    recordFailure(motherIdNumber) {
      const rows = q.failure.all(motherIdNumber);
      return rows.length === 0 ? null : Math.max(...rows.map((r) => r.failures));
    },
    resetFailures(deliveryId) {
      q.reset.run(deliveryId);
    },
    insert(applicationId, deliveryId) {
      q.insert.run(applicationId, deliveryId);
    },
    find: (id) => entry(q.find.get(id)),
    byDelivery: (id) => entry(q.byDelivery.get(id)),
    markReturned(applicationId, reason, by, at) {
      q.markReturned.run(reason, by, at.toISOString(), applicationId);
    },
    resubmit(applicationId, input, at) {
      q.updateInput.run(JSON.stringify(input), applicationId);
      q.clearReturn.run(at.toISOString(), applicationId);
    },
    queue(institution, status: QueueStatus) {
      return q.queue.all(institution, status).map((row) => ({
        channel: row.online ? 'online' : 'walk-in',
        application: {
          id: row.id,
          institution: row.institution,
          deliveryId: row.delivery_id,
          input: JSON.parse(row.record),
          status: row.status,
          certificateNo: row.certificate_no,
          licenceSerial: row.licence_serial,
          createdBy: row.created_by,
          createdAt: row.created_at,
        },
      }));
    },
    issueToken(applicationId, ttlSeconds, now) {
      const token = randomBytes(32).toString('base64url');
      const nowMs = now.getTime();
      q.sweep.run(nowMs);
      q.insertToken.run(hashToken(token), applicationId, nowMs + ttlSeconds * 1000, nowMs);
      return { token, expiresInSeconds: ttlSeconds };
    },
    resolveToken(token, now) {
      return q.token.get(hashToken(token), now.getTime())?.application_id ?? null;
    },
    revokeToken(token) {
      return q.revokeToken.run(hashToken(token)).changes > 0;
    },
  };
}
