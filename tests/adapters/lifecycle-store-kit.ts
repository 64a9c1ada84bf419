import type { Sql } from '../../src/adapters/sql/sql.ts';
import type { CertificateRecord } from '../../src/domain/lifecycle/records.ts';
import { certificateFor, fixtureRecords, institutionFor, withAnotherMother } from '../fixtures/records.ts';

/** What the lifecycle stores' tests seed: one institution, and certificate rows built from the fixtures. */
export const record = fixtureRecords[0]!;
export const institution = institutionFor(record).creditCode;
export const at = new Date('2026-11-29T08:00:00.000Z');

export function seedInstitution(sql: Sql): void {
  const { name, divisionCode } = institutionFor(record);
  sql.run(
    sql.db
      .insertInto('institutions')
      .values({ credit_code: institution, name, division_code: divisionCode, created_at: at.toISOString() }),
  );
}

/**
 * A certificate record as the lifecycle makes one: `mother` picks another mother (a serial of
 * withAnotherMother), so births of different mothers can be told apart.
 */
export function certificateRecord(
  no: string,
  options: Partial<CertificateRecord> & { mother?: number } = {},
): CertificateRecord {
  const { mother, ...fields } = options;
  const certificate = certificateFor(mother === undefined ? record : withAnotherMother(record, mother), no);
  return {
    certificateNo: no,
    licenceId: `lic-${no}`,
    lineage: `lin-${no}`,
    version: 1,
    institution,
    applicationId: null,
    kind: 'first',
    status: 'valid',
    statusReason: null,
    statusNote: null,
    statusChangedAt: null,
    supersedes: null,
    supersededBy: null,
    changeReason: null,
    householdRegisteredAtReissue: null,
    certificate,
    licence: { id: `lic-${no}`, note: '出生医学证明电子证照' } as unknown as CertificateRecord['licence'],
    registrationItems: { registeredBy: '登记员' } as unknown as CertificateRecord['registrationItems'],
    signedJson: JSON.stringify({ payload: no, protected: '', signature: '' }),
    licenceDigest: `digest-${no}`,
    qrText: `QR:${no}`,
    issuedAt: at.toISOString(),
    issuedBy: 'issuer-gz',
    ...fields,
  };
}
