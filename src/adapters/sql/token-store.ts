import { createHash, randomBytes } from 'node:crypto';
import { type Principal, principalOf, type TokenStore } from '../../domain/accounts/account.ts';
import { compileOnce } from './compile-once.ts';
import type { Sql } from './sql.ts';

interface TokenRow {
  account_id: number | null;
  username: string | null;
  role: string;
  institution: string | null;
  certificate_no: string | null;
}

/** Bearer tokens are kept only as their SHA-256 (base64url): a copy of the table opens nothing. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Opaque bearer tokens: 256 random bits handed out once, only their SHA-256 kept, so a copy of
 * the database does not yield usable tokens. Expired rows are swept on issue; a revoked token's
 * row is deleted, so it resolves like one never issued.
 */
export function createSqlTokenStore(sql: Sql): TokenStore {
  const { db } = sql;
  // Compiled once: every API request with a bearer token resolves it (see compile-once.ts).
  const find = compileOnce<{ tokenHash: string; nowMs: number }, TokenRow>(sql, (value) =>
    db
      .selectFrom('access_tokens as t')
      .leftJoin('accounts as a', 'a.id', 't.account_id')
      .select(['t.account_id', 'a.username', 't.role', 't.institution', 't.certificate_no'])
      .where('t.token_hash', '=', value('tokenHash'))
      .where('t.expires_at', '>', value('nowMs'))
      .where((eb) => eb.or([eb('a.id', 'is', null), eb('a.disabled', '=', 0)])),
  );
  return {
    issue(principal: Principal, ttlSeconds, now) {
      const token = randomBytes(32).toString('base64url');
      const nowMs = now.getTime();
      sql.run(db.deleteFrom('access_tokens').where('expires_at', '<=', nowMs));
      sql.run(
        db.insertInto('access_tokens').values({
          token_hash: hashToken(token),
          account_id: principal.accountId,
          role: principal.role,
          institution: principal.institution,
          certificate_no: principal.certificateNo,
          expires_at: nowMs + ttlSeconds * 1000,
          created_at: nowMs,
        }),
      );
      return { token, expiresInSeconds: ttlSeconds };
    },
    resolve(token, now) {
      const row = sql.get(find({ tokenHash: hashToken(token), nowMs: now.getTime() }));
      if (!row) return null;
      return principalOf({
        role: row.role,
        accountId: row.account_id,
        username: row.username,
        institution: row.institution,
        certificateNo: row.certificate_no,
      });
    },
    revoke: (token) => sql.run(db.deleteFrom('access_tokens').where('token_hash', '=', hashToken(token))) === 1,
    revokeAllOf: (accountId) =>
      sql.run(db.deleteFrom('access_tokens').where('account_id', '=', accountId).where('expires_at', '>', Date.now())),
  };
}
