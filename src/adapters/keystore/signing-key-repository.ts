import { sql as raw, type Selectable } from 'kysely';
import type { KeyPurpose, KeyRegister, SigningKeyRecord } from '../../domain/trust/ports.ts';
import type { EcPublicJwk, TrustedKeyStatus } from '../../domain/verification/ports.ts';
import { compileOnce } from '../sql/compile-once.ts';
import type { SigningKeys } from '../sql/schema.generated.ts';
import type { Sql } from '../sql/sql.ts';

const toRecord = (row: Selectable<SigningKeys>): SigningKeyRecord => ({
  kid: row.kid,
  purpose: row.purpose as KeyPurpose,
  institutionCreditCode: row.institution_credit_code,
  institutionName: row.institution_name,
  publicJwk: JSON.parse(row.public_jwk) as EcPublicJwk,
  x509Pem: row.x509_pem,
  issuerKid: row.issuer_kid,
  notBefore: row.not_before,
  notAfter: row.not_after,
  status: row.status as TrustedKeyStatus,
  createdAt: row.created_at,
  retiredAt: row.retired_at,
  revokedAt: row.revoked_at,
  revocationReason: row.revocation_reason,
});

/**
 * The key register in the service database: `signing_keys` (migration 002). Every write also
 * bumps the counter of `key_register_changes` (migration 019) in the same transaction; the
 * counter is the change mark, so a node sees another node's rotation or revocation on its next
 * read of one row, on either engine.
 */
export function createSigningKeyRepository(sql: Sql): KeyRegister {
  const { db } = sql;
  const keys = () => db.selectFrom('signing_keys').selectAll();
  const changed = () =>
    sql.run(
      db
        .updateTable('key_register_changes')
        .set((eb) => ({ generation: eb('generation', '+', 1) }))
        .where('id', '=', 1),
    );
  /** A write and its bump of the counter, together (a savepoint when a transaction is open). */
  const write = (statement: () => void) =>
    sql.transaction(() => {
      statement();
      changed();
    });

  // Read about once per verification (trust lookups check it before using what they cached):
  // compiled once, as building and compiling the query each time cost more than running it.
  const mark = db.selectFrom('key_register_changes').select('generation').where('id', '=', 1).compile();
  // Read on every signature and verification: compiled once (npm run bench:key-register).
  const byKid = compileOnce<{ kid: string }, Selectable<SigningKeys>>(sql, (value) =>
    keys().where('kid', '=', value('kid')),
  );
  // The status and the coalesce default as literals: the planners use migration 002's partial
  // index on (purpose, coalesce(institution_credit_code, '')) WHERE status = 'active' only for a
  // query whose own text matches it (with parameters SQLite scans the table, 3–4× slower).
  const activeKey = compileOnce<{ purpose: string; institution: string }, Selectable<SigningKeys>>(sql, (value) =>
    keys()
      .where('status', '=', raw.lit('active'))
      .where('purpose', '=', value('purpose'))
      .where((eb) => eb.fn.coalesce('institution_credit_code', raw.lit('')), '=', value('institution')),
  );

  return {
    changeMark: () => String(sql.get(mark)?.generation),
    insert(record) {
      write(() =>
        sql.run(
          db.insertInto('signing_keys').values({
            kid: record.kid,
            purpose: record.purpose,
            institution_credit_code: record.institutionCreditCode,
            institution_name: record.institutionName,
            public_jwk: JSON.stringify(record.publicJwk),
            x509_pem: record.x509Pem,
            issuer_kid: record.issuerKid,
            not_before: record.notBefore,
            not_after: record.notAfter,
            status: record.status,
            created_at: record.createdAt,
            retired_at: record.retiredAt,
            revoked_at: record.revokedAt,
            revocation_reason: record.revocationReason,
          }),
        ),
      );
    },
    get(kid) {
      const row = sql.get(byKid({ kid }));
      return row ? toRecord(row) : null;
    },
    findByKid: (kid) =>
      sql
        .all(
          kid.length === 8
            ? keys()
                .where((eb) => eb.fn('substr', ['kid', eb.lit(1), eb.lit(8)]), '=', kid)
                .orderBy('kid')
            : byKid({ kid }),
        )
        .map(toRecord),
    active(purpose, institutionCreditCode) {
      const row = sql.get(activeKey({ purpose, institution: institutionCreditCode ?? '' }));
      return row ? toRecord(row) : null;
    },
    list: (purpose) =>
      sql
        .all((purpose ? keys().where('purpose', '=', purpose) : keys()).orderBy('created_at').orderBy('kid'))
        .map(toRecord),
    retire(kid, retiredAt) {
      write(() =>
        sql.run(
          db
            .updateTable('signing_keys')
            .set({ status: 'retired', retired_at: retiredAt })
            .where('kid', '=', kid)
            .where('status', '=', 'active'),
        ),
      );
    },
    revoke(kid, revokedAt, reason) {
      write(() =>
        sql.run(
          db
            .updateTable('signing_keys')
            .set({ status: 'revoked', revoked_at: revokedAt, revocation_reason: reason })
            .where('kid', '=', kid),
        ),
      );
    },
    replaceCertificate(kid, x509Pem) {
      write(() => sql.run(db.updateTable('signing_keys').set({ x509_pem: x509Pem }).where('kid', '=', kid)));
    },
    transaction: (work) => sql.transaction(work),
  };
}
