import { describe, expect, it } from 'vitest';
import { createBackfillRowWriter, storedBackfillRow } from '../../src/adapters/backfill/backfill-rows.ts';
import { createSqlCertificateRegister } from '../../src/adapters/sql/certificate-register.ts';
import { sqliteSql } from '../../src/adapters/sql/sqlite-sql.ts';
import { openDatabase } from '../../src/adapters/sqlite/database.ts';
import type { CertificateRecord } from '../../src/domain/lifecycle/records.ts';
import { certificateFor, fixtureRecords } from '../fixtures/records.ts';

/** A back-issued record as signBackfillRecords makes it (the signed parts are opaque text here). */
function backIssued(no: string): CertificateRecord {
  const certificate = { ...certificateFor(fixtureRecords[0]!, no), issueDate: '2016-03-02' };
  return {
    certificateNo: no,
    licenceId: `1.2.156.3005.2.11100000000013338W001.${certificate.issuer.creditCode}.${no}.001.Z`,
    lineage: `L-${no}`,
    version: 1,
    institution: certificate.issuer.creditCode,
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
    licence: {
      id: `licence-${no}`,
      name: '出生医学证明',
      typeCode: '11100000000013338W001',
      issuer: certificate.issuer,
      issueDate: '2016-03-02',
      validUntil: null,
      holder: { name: certificate.newborn.name },
      version: '001',
      supersedes: null,
    },
    registrationItems: {},
    signedJson: '{"protected":"p","payload":"q","signature":"s"}',
    licenceDigest: 'digest',
    qrText: 'BC1:QR',
    issuedAt: '2026-11-29T10:00:00.000Z',
    issuedBy: 'cli',
    backfilled: true,
  };
}

function database() {
  const db = openDatabase(':memory:');
  const issuer = certificateFor(fixtureRecords[0]!).issuer;
  db.prepare('INSERT INTO institutions (credit_code, name, division_code, created_at) VALUES (?, ?, ?, ?)').run(
    issuer.creditCode,
    issuer.name,
    issuer.divisionCode,
    '2026-01-01T00:00:00.000Z',
  );
  return db;
}

describe('a back-issued certificate row made on the signing thread', () => {
  it('is the row the register writes for the same record, column for column, and reads back as that record', () => {
    const byRegister = database();
    const byWriter = database();
    const record = backIssued('N100000001');
    createSqlCertificateRegister(sqliteSql(byRegister)).insertBackfilled(record);
    // Through a structured clone, as it crosses from the worker thread.
    createBackfillRowWriter(sqliteSql(byWriter)).insert(structuredClone(storedBackfillRow(record)));

    const all = 'SELECT * FROM certificates';
    const written = byWriter.prepare(all).all();
    expect(written).toEqual(byRegister.prepare(all).all());
    expect(written).toHaveLength(1);
    expect(createSqlCertificateRegister(sqliteSql(byWriter)).find('N100000001')).toEqual(record);
    expect(createSqlCertificateRegister(sqliteSql(byWriter)).pdf('N100000001')).toBeNull();
  });

  it('refuses a row of another shape rather than shifting columns', () => {
    const writer = createBackfillRowWriter(sqliteSql(database()));
    expect(() => writer.insert(storedBackfillRow(backIssued('N100000002')).slice(1))).toThrow(/26 columns/);
  });
});
