import type { ClaimCodeStore } from '../../domain/lifecycle/ports.ts';
import { atomically, type Sql } from './sql.ts';

/** Claim codes live on the certificate's row: `claim_code_hash` and `claim_failures`. */
export function createSqlClaimCodeStore(sql: Sql): ClaimCodeStore {
  const { db } = sql;
  const certificate = (no: string) => db.updateTable('certificates').where('certificate_no', '=', no);
  return {
    state(no) {
      const row = sql.get(
        db.selectFrom('certificates').select(['claim_code_hash', 'claim_failures']).where('certificate_no', '=', no),
      );
      return row ? { hash: row.claim_code_hash, failures: row.claim_failures } : null;
    },
    // A new code ends the tokens opened with earlier ones: handing the parents a new code is how
    // an issuer shuts out whoever got hold of the old one. One transaction, so no token outlives it.
    set(no, hash) {
      atomically(sql, () => {
        sql.write(certificate(no).set({ claim_code_hash: hash, claim_failures: 0 }));
        sql.write(db.deleteFrom('access_tokens').where('role', '=', 'citizen').where('certificate_no', '=', no));
      });
    },
    withdraw(no) {
      sql.run(certificate(no).set({ claim_code_hash: null }));
    },
    recordFailure: (no) =>
      sql.get(
        certificate(no)
          .set((eb) => ({ claim_failures: eb('claim_failures', '+', 1) }))
          .returning('claim_failures'),
      )?.claim_failures ?? 0,
    resetFailures(no) {
      sql.run(certificate(no).set({ claim_failures: 0 }));
    },
  };
}
