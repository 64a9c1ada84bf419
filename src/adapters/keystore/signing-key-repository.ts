import type Database from 'better-sqlite3';
import type { KeyPurpose, KeyRegister, SigningKeyRecord } from '../../domain/trust/ports.ts';
import type { EcPublicJwk, TrustedKeyStatus } from '../../domain/verification/ports.ts';

interface Row {
  kid: string;
  purpose: KeyPurpose;
  institution_credit_code: string | null;
  institution_name: string | null;
  public_jwk: string;
  x509_pem: string;
  issuer_kid: string | null;
  not_before: string;
  not_after: string;
  status: TrustedKeyStatus;
  created_at: string;
  retired_at: string | null;
  revoked_at: string | null;
  revocation_reason: string | null;
}

const toRecord = (row: Row): SigningKeyRecord => ({
  kid: row.kid,
  purpose: row.purpose,
  institutionCreditCode: row.institution_credit_code,
  institutionName: row.institution_name,
  publicJwk: JSON.parse(row.public_jwk) as EcPublicJwk,
  x509Pem: row.x509_pem,
  issuerKid: row.issuer_kid,
  notBefore: row.not_before,
  notAfter: row.not_after,
  status: row.status,
  createdAt: row.created_at,
  retiredAt: row.retired_at,
  revokedAt: row.revoked_at,
  revocationReason: row.revocation_reason,
});

/** The key register in the service database: `signing_keys` (migration 002). */
export function createSigningKeyRepository(db: Database.Database): KeyRegister {
  const insert = db.prepare(`INSERT INTO signing_keys (kid, purpose, institution_credit_code, institution_name,
      public_jwk, x509_pem, issuer_kid, not_before, not_after, status, created_at, retired_at, revoked_at,
      revocation_reason)
    VALUES (@kid, @purpose, @institutionCreditCode, @institutionName, @publicJwk, @x509Pem, @issuerKid, @notBefore,
      @notAfter, @status, @createdAt, @retiredAt, @revokedAt, @revocationReason)`);
  const byKid = db.prepare<[string], Row>('SELECT * FROM signing_keys WHERE kid = ?');
  const byHint = db.prepare<[string], Row>('SELECT * FROM signing_keys WHERE substr(kid, 1, 8) = ? ORDER BY kid');
  const active = db.prepare<[string, string], Row>(
    `SELECT * FROM signing_keys WHERE status = 'active' AND purpose = ? AND coalesce(institution_credit_code, '') = ?`,
  );
  const all = db.prepare<[], Row>('SELECT * FROM signing_keys ORDER BY created_at, kid');
  const ofPurpose = db.prepare<[string], Row>('SELECT * FROM signing_keys WHERE purpose = ? ORDER BY created_at, kid');
  const retire = db.prepare(
    `UPDATE signing_keys SET status = 'retired', retired_at = ? WHERE kid = ? AND status = 'active'`,
  );
  const revoke = db.prepare(
    `UPDATE signing_keys SET status = 'revoked', revoked_at = ?, revocation_reason = ? WHERE kid = ?`,
  );

  const replaceCertificate = db.prepare('UPDATE signing_keys SET x509_pem = ? WHERE kid = ?');

  // data_version moves when another connection commits; our own writes bump `generation`.
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  let generation = 0;

  return {
    changeMark: () => `${dataVersion.get()}:${generation}`,
    insert(record) {
      generation++;
      insert.run({ ...record, publicJwk: JSON.stringify(record.publicJwk) });
    },
    get: (kid) => {
      const row = byKid.get(kid);
      return row ? toRecord(row) : null;
    },
    findByKid: (kid) => (kid.length === 8 ? byHint.all(kid) : byKid.all(kid)).map(toRecord),
    active: (purpose, institutionCreditCode) => {
      const row = active.get(purpose, institutionCreditCode ?? '');
      return row ? toRecord(row) : null;
    },
    list: (purpose) => (purpose ? ofPurpose.all(purpose) : all.all()).map(toRecord),
    retire(kid, retiredAt) {
      generation++;
      retire.run(retiredAt, kid);
    },
    revoke(kid, revokedAt, reason) {
      generation++;
      revoke.run(revokedAt, reason, kid);
    },
    replaceCertificate(kid, x509Pem) {
      generation++;
      replaceCertificate.run(x509Pem, kid);
    },
    transaction: (work) => db.transaction(work)(),
  };
}
