import { sql as raw } from 'kysely';
import type { AccountRepository } from '../../domain/accounts/account.ts';
import type { PoliceArchive, PoliceArchiveStore, PoliceUnits } from '../../domain/lifecycle/police-archives.ts';
import type { VerificationResult } from '../../domain/verification/result.ts';
import type { Sql } from './sql.ts';

interface ArchiveRow {
  id: string;
  certificate_no: string;
  case_no: string;
  police_unit: string;
  officer: string;
  purpose: string;
  signed_json: Uint8Array;
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
  // A Uint8Array on PostgreSQL (the rows cross a thread), a Buffer on SQLite.
  signedJson: Buffer.from(row.signed_json.buffer, row.signed_json.byteOffset, row.signed_json.byteLength).toString(
    'utf8',
  ),
  result: JSON.parse(row.result) as VerificationResult,
  verifiedAt: row.verified_at,
  archivedAt: row.archived_at,
});

const archiveColumns = [
  'id',
  'certificate_no',
  'case_no',
  'police_unit',
  'officer',
  'purpose',
  'signed_json',
  'result',
  'verified_at',
  'archived_at',
] as const;

/** The police archives; the signed e-licence is kept as its bytes (a BLOB), never re-serialised. */
export function createSqlPoliceArchiveStore(sql: Sql): PoliceArchiveStore {
  const { db } = sql;
  const archives = () => db.selectFrom('police_archives').select(archiveColumns);
  return {
    insert(a) {
      sql.run(
        db.insertInto('police_archives').values({
          id: a.id,
          certificate_no: a.certificateNo,
          case_no: a.caseNo,
          police_unit: a.policeUnit,
          officer: a.officer,
          purpose: a.purpose,
          signed_json: Buffer.from(a.signedJson, 'utf8'),
          result: JSON.stringify(a.result),
          verified_at: a.verifiedAt,
          archived_at: a.archivedAt,
          seq: raw<number>`(SELECT coalesce(max(seq), 0) + 1 FROM police_archives)`,
        }),
      );
    },
    find(id) {
      const row = sql.get(archives().where('id', '=', id));
      return row ? toArchive(row) : null;
    },
    byCase: (policeUnit, caseNo) =>
      sql
        .all(
          archives()
            .where('police_unit', '=', policeUnit)
            .where('case_no', '=', caseNo)
            .orderBy('archived_at')
            .orderBy('seq'),
        )
        .map(toArchive),
  };
}

/** A police account's unit, read from the account at each use (an operator may move an officer). */
export const policeUnitsOf = (accounts: Pick<AccountRepository, 'findByUsername'>): PoliceUnits => ({
  unitOf(username) {
    const account = accounts.findByUsername(username);
    return account?.role === 'police' && !account.disabled ? account.policeUnit : null;
  },
});
