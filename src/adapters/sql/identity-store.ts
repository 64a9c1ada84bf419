import { createHash, randomBytes } from 'node:crypto';
import type { FlowPurpose, IdentityLink, IdentityStore, TakenFlow } from '../../domain/accounts/identity.ts';
import type { Sql } from './sql.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

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
export function createSqlIdentityStore(sql: Sql): IdentityStore {
  const { db } = sql;
  const links = () =>
    db
      .selectFrom('staff_identity_links as l')
      .innerJoin('accounts as a', 'a.id', 'l.account_id')
      .select(['l.issuer', 'l.subject', 'a.username', 'l.linked_at', 'l.linked_by']);

  const take = (hash: string, nowMs: number): TakenFlow =>
    sql.transaction(() => {
      const row = sql.get(
        db
          .selectFrom('oidc_flows')
          .select(['purpose', 'target', 'nonce', 'code_verifier', 'expires_at', 'used_at'])
          .where('state_hash', '=', hash),
      );
      if (!row) return { ok: false, cause: 'unknown' };
      // The claim is conditional on the row being unused: of two callbacks racing past the read
      // above, only the one whose update changed the row goes on.
      const claimed = sql.run(
        db
          .updateTable('oidc_flows')
          .set({ used_at: nowMs })
          .where('state_hash', '=', hash)
          .where('used_at', 'is', null),
      );
      if (claimed !== 1) return { ok: false, cause: 'used' };
      if (row.expires_at <= nowMs) return { ok: false, cause: 'expired' };
      return {
        ok: true,
        flow: {
          purpose: row.purpose as FlowPurpose,
          target: row.target,
          nonce: row.nonce,
          codeVerifier: row.code_verifier,
        },
      };
    });

  return {
    saveFlow(state, flow, now, ttlSeconds) {
      const nowMs = now.getTime();
      // Expired flows are kept one more lifetime so a late callback is told "expired", not "unknown".
      sql.run(db.deleteFrom('oidc_flows').where('expires_at', '<=', nowMs - ttlSeconds * 1000));
      sql.run(
        db.insertInto('oidc_flows').values({
          state_hash: sha256(state),
          purpose: flow.purpose,
          target: flow.target,
          nonce: flow.nonce,
          code_verifier: flow.codeVerifier,
          created_at: nowMs,
          expires_at: nowMs + ttlSeconds * 1000,
        }),
      );
    },
    takeFlow: (state, now) => take(sha256(state), now.getTime()),
    grantApplication(deliveryId, now, ttlSeconds) {
      const grant = randomBytes(32).toString('base64url');
      const nowMs = now.getTime();
      sql.run(db.deleteFrom('oidc_apply_grants').where('expires_at', '<=', nowMs));
      sql.run(
        db
          .insertInto('oidc_apply_grants')
          .values({ grant_hash: sha256(grant), delivery_id: deliveryId, expires_at: nowMs + ttlSeconds * 1000 }),
      );
      return { token: grant, expiresInSeconds: ttlSeconds };
    },
    resolveGrant: (grant, now) =>
      sql.get(
        db
          .selectFrom('oidc_apply_grants')
          .select('delivery_id')
          .where('grant_hash', '=', sha256(grant))
          .where('expires_at', '>', now.getTime()),
      )?.delivery_id ?? null,
    revokeGrant(grant) {
      sql.run(db.deleteFrom('oidc_apply_grants').where('grant_hash', '=', sha256(grant)));
    },
    linkedAccount: (issuer, subject) =>
      sql.get(
        db
          .selectFrom('staff_identity_links')
          .select('account_id')
          .where('issuer', '=', issuer)
          .where('subject', '=', subject),
      )?.account_id ?? null,
    link(issuer, subject, accountId, by, now) {
      const inserted = sql.run(
        db
          .insertInto('staff_identity_links')
          .values({ issuer, subject, account_id: accountId, linked_at: now.toISOString(), linked_by: by })
          .onConflict((oc) => oc.columns(['issuer', 'subject']).doNothing()),
      );
      if (inserted !== 1) return null;
      return linkOf(sql.get(links().where('l.issuer', '=', issuer).where('l.subject', '=', subject))!);
    },
    unlink: (issuer, subject, accountId) =>
      sql.run(
        db
          .deleteFrom('staff_identity_links')
          .where('issuer', '=', issuer)
          .where('subject', '=', subject)
          .where('account_id', '=', accountId),
      ) === 1,
    linksOf: (accountId) =>
      sql
        .all(
          links().where('l.account_id', '=', accountId).orderBy('l.linked_at').orderBy('l.issuer').orderBy('l.subject'),
        )
        .map(linkOf),
  };
}
