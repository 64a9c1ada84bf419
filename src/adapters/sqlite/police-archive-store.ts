import type { AccountRepository } from '../../domain/accounts/account.ts';
import type { PoliceArchive, PoliceArchiveStore, PoliceUnits } from '../../domain/lifecycle/police-archives.ts';
import type { VerificationResult } from '../../domain/verification/result.ts';
import type { SqliteDatabase } from './database.ts';

interface ArchiveRow {
  id: string;
  certificate_no: string;
  case_no: string;
  police_unit: string;
  officer: string;
  purpose: string;
  signed_json: Buffer;
  result: string;
  verified_at: string;
  archived_at: string;
}

const toArchive = (row: ArchiveRow): PoliceArchive => ({
  id: row.id,
  certificateNo: row.certificate_no,
  caseNo: row.case_no,
  policeUnit: row.police_unit,
  officer: row.officer,
  purpose: row.purpose,
  signedJson: row.signed_json.toString('utf8'),
  result: JSON.parse(row.result) as VerificationResult,
  verifiedAt: row.verified_at,
  archivedAt: row.archived_at,
});

/** The police archives; the signed e-licence is kept as its bytes (a BLOB), never re-serialised. */
export function createSqlitePoliceArchiveStore(db: SqliteDatabase): PoliceArchiveStore {
  const insert = db.prepare(
    `INSERT INTO police_archives (id, certificate_no, case_no, police_unit, officer, purpose, signed_json, result, verified_at, archived_at)
     VALUES (@id, @certificateNo, @caseNo, @policeUnit, @officer, @purpose, @signedJson, @result, @verifiedAt, @archivedAt)`,
  );
  const byId = db.prepare<[string], ArchiveRow>('SELECT * FROM police_archives WHERE id = ?');
  const byCase = db.prepare<[string, string], ArchiveRow>(
    'SELECT * FROM police_archives WHERE police_unit = ? AND case_no = ? ORDER BY archived_at, rowid',
  );
  return {
    insert(a) {
      insert.run({ ...a, signedJson: Buffer.from(a.signedJson, 'utf8'), result: JSON.stringify(a.result) });
    },
    find(id) {
      const row = byId.get(id);
      return row ? toArchive(row) : null;
    },
    byCase: (policeUnit, caseNo) => byCase.all(policeUnit, caseNo).map(toArchive),
  };
}

/** A police account's unit, read from the account at each use (an operator may move an officer). */
export const policeUnitsOf = (accounts: Pick<AccountRepository, 'findByUsername'>): PoliceUnits => ({
  unitOf(username) {
    const account = accounts.findByUsername(username);
    return account?.role === 'police' && !account.disabled ? account.policeUnit : null;
  },
});
