import { createHash, randomBytes } from 'node:crypto';
import type { FlowPurpose, IdentityLink, IdentityStore, StoredFlow } from '../../domain/accounts/identity.ts';
import type { SqliteDatabase } from './database.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

interface FlowRow {
  purpose: FlowPurpose;
  target: string | null;
  nonce: string;
  code_verifier: string;
  expires_at: number;
  used_at: number | null;
}

interface LinkRow {
  issuer: string;
  subject: string;
  username: string;
  linked_at: string;
  linked_by: string;
}

const linkOf = (row: LinkRow): IdentityLink => ({
  issuer: row.issuer,
  subject: row.subject,
  username: row.username,
  linkedAt: row.linked_at,
  linkedBy: row.linked_by,
});

/**
 * OpenID Connect flows, application grants and staff identity links. States and grants are kept
 * as SHA-256 only; a flow row is marked used in the same statement that claims it, so two
 * callbacks with one state cannot both pass.
 */
export function createSqliteIdentityStore(db: SqliteDatabase): IdentityStore {
  const sweepFlows = db.prepare('DELETE FROM oidc_flows WHERE expires_at <= ?');
  const insertFlow = db.prepare(
    `INSERT INTO oidc_flows (state_hash, purpose, target, nonce, code_verifier, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const findFlow = db.prepare<[string], FlowRow>(
    'SELECT purpose, target, nonce, code_verifier, expires_at, used_at FROM oidc_flows WHERE state_hash = ?',
  );
  const useFlow = db.prepare('UPDATE oidc_flows SET used_at = ? WHERE state_hash = ? AND used_at IS NULL');
  const sweepGrants = db.prepare('DELETE FROM oidc_apply_grants WHERE expires_at <= ?');
  const insertGrant = db.prepare(
    'INSERT INTO oidc_apply_grants (grant_hash, delivery_id, expires_at) VALUES (?, ?, ?)',
  );
  const findGrant = db.prepare<[string, number], { delivery_id: string }>(
    'SELECT delivery_id FROM oidc_apply_grants WHERE grant_hash = ? AND expires_at > ?',
  );
  const deleteGrant = db.prepare('DELETE FROM oidc_apply_grants WHERE grant_hash = ?');
  const findLink = db.prepare<[string, string], { account_id: number }>(
    'SELECT account_id FROM staff_identity_links WHERE issuer = ? AND subject = ?',
  );
  const insertLink = db.prepare(
    `INSERT INTO staff_identity_links (issuer, subject, account_id, linked_at, linked_by) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (issuer, subject) DO NOTHING`,
  );
  const deleteLink = db.prepare('DELETE FROM staff_identity_links WHERE issuer = ? AND subject = ? AND account_id = ?');
  const links = db.prepare<[number], LinkRow>(
    `SELECT l.issuer, l.subject, a.username, l.linked_at, l.linked_by
       FROM staff_identity_links l JOIN accounts a ON a.id = l.account_id
      WHERE l.account_id = ? ORDER BY l.linked_at, l.issuer, l.subject`,
  );
  const oneLink = db.prepare<[string, string], LinkRow>(
    `SELECT l.issuer, l.subject, a.username, l.linked_at, l.linked_by
       FROM staff_identity_links l JOIN accounts a ON a.id = l.account_id
      WHERE l.issuer = ? AND l.subject = ?`,
  );
  const take = db.transaction((hash: string, nowMs: number) => {
    const row = findFlow.get(hash);
    if (!row) return { ok: false as const, cause: 'unknown' as const };
    if (row.used_at !== null) return { ok: false as const, cause: 'used' as const };
    useFlow.run(nowMs, hash);
    if (row.expires_at <= nowMs) return { ok: false as const, cause: 'expired' as const };
    const flow: StoredFlow = {
      purpose: row.purpose,
      target: row.target,
      nonce: row.nonce,
      codeVerifier: row.code_verifier,
    };
    return { ok: true as const, flow };
  });

  return {
    saveFlow(state, flow, now, ttlSeconds) {
      const nowMs = now.getTime();
      // Expired flows are kept one more lifetime so a late callback is told "expired", not "unknown".
      sweepFlows.run(nowMs - ttlSeconds * 1000);
      insertFlow.run(
        sha256(state),
        flow.purpose,
        flow.target,
        flow.nonce,
        flow.codeVerifier,
        nowMs,
        nowMs + ttlSeconds * 1000,
      );
    },
    takeFlow: (state, now) => take(sha256(state), now.getTime()),
    grantApplication(deliveryId, now, ttlSeconds) {
      const grant = randomBytes(32).toString('base64url');
      const nowMs = now.getTime();
      sweepGrants.run(nowMs);
      insertGrant.run(sha256(grant), deliveryId, nowMs + ttlSeconds * 1000);
      return { token: grant, expiresInSeconds: ttlSeconds };
    },
    resolveGrant: (grant, now) => findGrant.get(sha256(grant), now.getTime())?.delivery_id ?? null,
    revokeGrant(grant) {
      deleteGrant.run(sha256(grant));
    },
    linkedAccount: (issuer, subject) => findLink.get(issuer, subject)?.account_id ?? null,
    link(issuer, subject, accountId, by, now) {
      const inserted = insertLink.run(issuer, subject, accountId, now.toISOString(), by).changes === 1;
      return inserted ? linkOf(oneLink.get(issuer, subject)!) : null;
    },
    unlink: (issuer, subject, accountId) => deleteLink.run(issuer, subject, accountId).changes === 1,
    linksOf: (accountId) => links.all(accountId).map(linkOf),
  };
}
