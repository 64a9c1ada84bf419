import { createHash, randomBytes } from 'node:crypto';
import { type Principal, principalOf, type TokenStore } from '../../domain/accounts/account.ts';
import type { SqliteDatabase } from './database.ts';

interface TokenRow {
  account_id: number | null;
  username: string | null;
  role: string;
  institution: string | null;
  certificate_no: string | null;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Opaque bearer tokens: 256 random bits handed out once, only their SHA-256 kept, so a copy of
 * the database does not yield usable tokens. Expired rows are swept on issue; a revoked token's
 * row is deleted, so it resolves like one never issued.
 */
export function createSqliteTokenStore(db: SqliteDatabase): TokenStore {
  const insert = db.prepare(
    `INSERT INTO access_tokens (token_hash, account_id, role, institution, certificate_no, expires_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const find = db.prepare<[string, number], TokenRow>(
    `SELECT t.account_id, a.username, t.role, t.institution, t.certificate_no
       FROM access_tokens t LEFT JOIN accounts a ON a.id = t.account_id
      WHERE t.token_hash = ? AND t.expires_at > ? AND (a.id IS NULL OR a.disabled = 0)`,
  );
  const sweep = db.prepare('DELETE FROM access_tokens WHERE expires_at <= ?');
  const revokeOne = db.prepare('DELETE FROM access_tokens WHERE token_hash = ?');
  const revokeAccount = db.prepare<[number, number]>(
    'DELETE FROM access_tokens WHERE account_id = ? AND expires_at > ?',
  );

  return {
    issue(principal: Principal, ttlSeconds, now) {
      const token = randomBytes(32).toString('base64url');
      const nowMs = now.getTime();
      sweep.run(nowMs);
      insert.run(
        hashToken(token),
        principal.accountId,
        principal.role,
        principal.institution,
        principal.certificateNo,
        nowMs + ttlSeconds * 1000,
        nowMs,
      );
      return { token, expiresInSeconds: ttlSeconds };
    },
    resolve(token, now) {
      const row = find.get(hashToken(token), now.getTime());
      if (!row) return null;
      return principalOf({
        role: row.role,
        accountId: row.account_id,
        username: row.username,
        institution: row.institution,
        certificateNo: row.certificate_no,
      });
    },
    revoke: (token) => revokeOne.run(hashToken(token)).changes === 1,
    revokeAllOf: (accountId) => revokeAccount.run(accountId, Date.now()).changes,
  };
}
