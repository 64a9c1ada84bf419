import type { ClaimCodeStore } from '../../domain/lifecycle/ports.ts';
import type { SqliteDatabase } from './database.ts';

/** Claim codes live on the certificate's row: `claim_code_hash` and `claim_failures`. */
export function createSqliteClaimCodeStore(db: SqliteDatabase): ClaimCodeStore {
  const q = {
    state: db.prepare<[string], { claim_code_hash: string | null; claim_failures: number }>(
      'SELECT claim_code_hash, claim_failures FROM certificates WHERE certificate_no = ?',
    ),
    set: db.prepare('UPDATE certificates SET claim_code_hash = ?, claim_failures = 0 WHERE certificate_no = ?'),
    endCitizenTokens: db.prepare("DELETE FROM access_tokens WHERE role = 'citizen' AND certificate_no = ?"),
    withdraw: db.prepare('UPDATE certificates SET claim_code_hash = NULL WHERE certificate_no = ?'),
    failure: db.prepare<[string], { claim_failures: number }>(
      'UPDATE certificates SET claim_failures = claim_failures + 1 WHERE certificate_no = ? RETURNING claim_failures',
    ),
    reset: db.prepare('UPDATE certificates SET claim_failures = 0 WHERE certificate_no = ?'),
  };
  return {
    state(no) {
      const row = q.state.get(no);
      return row ? { hash: row.claim_code_hash, failures: row.claim_failures } : null;
    },
    // A new code ends the tokens opened with earlier ones: handing the parents a new code is how
    // an issuer shuts out whoever got hold of the old one. One transaction, so no token outlives it.
    set: db.transaction((no: string, hash: string) => {
      q.set.run(hash, no);
      q.endCitizenTokens.run(no);
    }),
    withdraw(no) {
      q.withdraw.run(no);
    },
    recordFailure: (no) => q.failure.get(no)?.claim_failures ?? 0,
    resetFailures(no) {
      q.reset.run(no);
    },
  };
}
