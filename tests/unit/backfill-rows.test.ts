import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createBackfillRowWriter, storedBackfillRows } from '../../src/adapters/backfill/backfill-rows.ts';
import { createSqlCertificateRegister } from '../../src/adapters/sql/certificate-register.ts';
import { sqliteSql } from '../../src/adapters/sql/sqlite-sql.ts';
import { openDatabase } from '../../src/adapters/sqlite/database.ts';
import type { CertificateRecord } from '../../src/domain/lifecycle/records.ts';
import { certificateFor, fixtureRecords } from '../fixtures/records.ts';

/** A back-issued record as signBackfillRecords makes it (the signed parts are opaque text here). */
function backIssued(no: string, signedJson = '{"protected":"p","payload":"q","signature":"s"}'): CertificateRecord {
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
    signedJson,
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
    createBackfillRowWriter(sqliteSql(byWriter)).insert(structuredClone(storedBackfillRows([record])[0]!));

    const all = 'SELECT * FROM certificates';
    const written = byWriter.prepare(all).all();
    expect(written).toEqual(byRegister.prepare(all).all());
    expect(written).toHaveLength(1);
    const headers = 'SELECT * FROM jws_headers';
    expect(byWriter.prepare(headers).all()).toEqual(byRegister.prepare(headers).all());
    expect(byWriter.prepare(headers).all()).toHaveLength(1);
    expect(createSqlCertificateRegister(sqliteSql(byWriter)).find('N100000001')).toEqual(record);
    expect(createSqlCertificateRegister(sqliteSql(byWriter)).pdf('N100000001')).toBeNull();
  });

  it('stores a signature header once: the first row of each batch carries it, the others name it', () => {
    const db = database();
    const writer = createBackfillRowWriter(sqliteSql(db));
    const signed = (no: string) => `{"protected":"aGVhZGVyLTE","payload":"${no}","signature":"c2ln"}`;
    const records = ['N100000011', 'N100000012', 'N100000013'].map((no) => backIssued(no, signed(no)));
    const rows = structuredClone(storedBackfillRows(records));
    expect(rows.map((row) => row.shared !== undefined)).toEqual([true, false, false]);
    for (const row of rows) writer.insert(row);
    // A later batch with the same header (same key, same second) brings it again; it is kept once.
    const again = storedBackfillRows([backIssued('N100000014', signed('N100000014'))]);
    expect(again[0]!.shared).toBeDefined();
    writer.insert(again[0]!);
    records.push(backIssued('N100000014', signed('N100000014')));

    expect(db.prepare('SELECT digest, protected FROM jws_headers').all()).toEqual([
      { digest: createHash('sha256').update('aGVhZGVyLTE').digest('base64url'), protected: 'aGVhZGVyLTE' },
    ]);
    expect(db.prepare('SELECT signed_json FROM certificates ORDER BY certificate_no').pluck().all()).toEqual(
      ['N100000011', 'N100000012', 'N100000013', 'N100000014'].map((no) => `{"payload":"${no}","signature":"c2ln"}`),
    );
    const register = createSqlCertificateRegister(sqliteSql(db));
    for (const record of records) expect(register.find(record.certificateNo)?.signedJson).toBe(record.signedJson);
    expect(register.signedWithKeySince(records[0]!.institution, 'no-such-kid', new Date(0))).toEqual([]);
  });

  it('refuses a row that names a header never stored, rather than keep a JWS it cannot give back whole', () => {
    const [first, later] = storedBackfillRows([
      backIssued('N100000021', '{"protected":"aGVhZGVyLTI","payload":"x","signature":"y"}'),
      backIssued('N100000022', '{"protected":"aGVhZGVyLTI","payload":"z","signature":"y"}'),
    ]);
    expect(first!.shared).toBeDefined();
    expect(later!.shared).toBeUndefined();
    // The batch's first row lost on the way: the second cannot land on its own.
    expect(() => createBackfillRowWriter(sqliteSql(database())).insert(later!)).toThrow(/FOREIGN KEY/);
  });

  it('keeps a JWS of another form whole', () => {
    const db = database();
    for (const signedJson of [
      '{"payload":"q","protected":"p","signature":"s"}',
      '{"protected":"a\\"b","payload":"q"}',
    ]) {
      db.prepare('DELETE FROM certificates').run();
      const record = backIssued('N100000031', signedJson);
      createBackfillRowWriter(sqliteSql(db)).insert(storedBackfillRows([record])[0]!);
      expect(db.prepare('SELECT signed_json, jws_header FROM certificates').get()).toEqual({
        signed_json: signedJson,
        jws_header: null,
      });
      expect(createSqlCertificateRegister(sqliteSql(db)).find('N100000031')?.signedJson).toBe(signedJson);
    }
  });

  it('refuses a row of another shape rather than shifting columns', () => {
    const writer = createBackfillRowWriter(sqliteSql(database()));
    const [row] = storedBackfillRows([
      backIssued('N100000002', '{"protected":"aGVhZGVyLTM","payload":"q","signature":"s"}'),
    ]);
    expect(() => writer.insert({ values: row!.values.slice(1) })).toThrow(/27 columns/);
  });
});
