import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqlCertificateRegister } from '../../src/adapters/sql/certificate-register.ts';
import { createSqlHouseholdRegistrations } from '../../src/adapters/sql/household-registrations.ts';
import type { Sql } from '../../src/adapters/sql/sql.ts';
import { createSqlStatusListStore } from '../../src/adapters/sql/status-list-store.ts';
import { openTestSql, testEngine } from '../storage-kit.ts';
import { at, certificateRecord, seedInstitution } from './lifecycle-store-kit.ts';

const pdfOf = (text: string) => new TextEncoder().encode(`%PDF-1.7 ${text}`);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64url');

/** A stored flattened JWS whose protected header names `kid` and the signing time `sigT`. */
const signedBy = (kid: string, sigT: string) =>
  JSON.stringify({
    payload: 'e30',
    protected: Buffer.from(JSON.stringify({ alg: 'ES256', kid, sigT })).toString('base64url'),
    signature: 'AA',
  });

describe(`the certificate register on ${testEngine}`, () => {
  let sql: Sql;
  beforeEach(async () => {
    sql = await openTestSql();
    seedInstitution(sql);
  });
  afterEach(() => sql.close());

  it('gives back a certificate as it was inserted, with its PDF and the PDF’s digest', () => {
    const register = createSqlCertificateRegister(sql);
    const inserted = certificateRecord('Q440000001', { householdRegisteredAtReissue: false });
    register.insert(inserted, pdfOf('one'));
    expect(register.find('Q440000001')).toEqual(inserted);
    expect(register.find('Q440000009')).toBeNull();
    expect(register.pdf('Q440000001')).toEqual(pdfOf('one'));
    expect(register.pdf('Q440000009')).toBeNull();
    expect(register.backfilledOf('Q440000001')).toBe(false);
    expect(register.backfilledOf('Q440000009')).toBeNull();
    expect(register.lookup('Q440000001')).toEqual({
      status: 'valid',
      supersededBy: null,
      licenceId: 'lic-Q440000001',
      licenceDigest: 'digest-Q440000001',
      pdfDigest: sha256(pdfOf('one')),
      householdRegistered: false,
      statusList: null,
    });
    expect(register.lookup('Q440000009')).toBeNull();
    // With its place in a status list, the lookup names it (a credential must name the same one).
    const place = createSqlStatusListStore(sql, { baseUrl: 'https://elicence.example' }).assign('Q440000001', {
      institution: certificateRecord('Q440000001').institution,
      year: 2026,
    });
    expect(place.uri).toMatch(/^https:\/\/elicence\.example\/api\/v1\/status-lists\/\d+$/);
    expect(register.lookup('Q440000001')?.statusList).toEqual(place);
  });

  it('lists a mother’s certificates by issue time and a birth’s versions oldest first', () => {
    const register = createSqlCertificateRegister(sql);
    register.insert(certificateRecord('Q440000002', { mother: 7, issuedAt: '2026-11-29T09:00:00.000Z' }), pdfOf('2'));
    register.insert(certificateRecord('Q440000001', { mother: 7, issuedAt: '2026-11-29T08:30:00.000Z' }), pdfOf('1'));
    register.insert(certificateRecord('Q440000003', { mother: 8 }), pdfOf('3'));
    const mother7 = certificateRecord('Q440000001', { mother: 7 }).certificate.mother.idNumber;
    expect(register.findByMother(mother7).map((c) => c.certificateNo)).toEqual(['Q440000001', 'Q440000002']);
    expect(register.findByMother('110101199001010000')).toEqual([]);

    register.insert(
      certificateRecord('Q440000005', {
        lineage: 'lin-Q440000003',
        version: 2,
        kind: 'replacement',
        supersedes: 'Q440000003',
        changeReason: '补发',
        householdRegisteredAtReissue: true,
      }),
      pdfOf('5'),
    );
    register.supersede('Q440000003', 'Q440000005', 'replacement', at);
    const versions = register.lineage('lin-Q440000003');
    expect(versions.map((c) => [c.certificateNo, c.version, c.status, c.supersededBy])).toEqual([
      ['Q440000003', 1, 'superseded', 'Q440000005'],
      ['Q440000005', 2, 'valid', null],
    ]);
    expect(versions[0]).toMatchObject({ statusReason: 'replacement', statusChangedAt: at.toISOString() });
    expect(versions[1]).toMatchObject({ householdRegisteredAtReissue: true, supersedes: 'Q440000003' });
    expect(register.lineage('lin-none')).toEqual([]);
  });

  it('sets a void or revoked status with its reason, note and time', () => {
    const register = createSqlCertificateRegister(sql);
    register.insert(certificateRecord('Q440000001'), pdfOf('1'));
    register.setStatus('Q440000001', 'void', 'misprint', '打印错位', at);
    expect(register.find('Q440000001')).toMatchObject({
      status: 'void',
      statusReason: 'misprint',
      statusNote: '打印错位',
      statusChangedAt: at.toISOString(),
    });
    expect(register.lookup('Q440000001')).toMatchObject({ status: 'void', supersededBy: null });
  });

  it('keeps a back-issued certificate without a PDF until the first one is stored, and only the first', () => {
    const register = createSqlCertificateRegister(sql);
    register.insertBackfilled(certificateRecord('Q440000001'));
    expect(register.backfilledOf('Q440000001')).toBe(true);
    expect(register.find('Q440000001')?.backfilled).toBe(true);
    expect(register.pdf('Q440000001')).toBeNull();
    expect(register.lookup('Q440000001')).toMatchObject({ pdfDigest: null, backfilled: true });

    expect(register.storePdf('Q440000001', pdfOf('first'))).toBe(true);
    expect(register.storePdf('Q440000001', pdfOf('second'))).toBe(false);
    expect(register.pdf('Q440000001')).toEqual(pdfOf('first'));
    expect(register.lookup('Q440000001')).toMatchObject({ pdfDigest: sha256(pdfOf('first')), backfilled: true });
    expect(register.storePdf('Q440000009', pdfOf('none'))).toBe(false);
  });

  it('says in the lookup whether the birth went through 落户 and which earlier PDFs it accepts', () => {
    const register = createSqlCertificateRegister(sql);
    register.insert(certificateRecord('Q440000001'), pdfOf('1'));
    register.insert(
      certificateRecord('Q440000002', { lineage: 'lin-Q440000001', version: 2, supersedes: 'Q440000001' }),
      pdfOf('2'),
    );
    createSqlHouseholdRegistrations(sql).insert(
      'lin-Q440000001',
      {
        certificateNo: 'Q440000001',
        childIdNumber: '440106202611240017',
        registeredOn: '2026-11-28',
        policeUnit: '天河南派出所',
        recordedAt: at.toISOString(),
        registeredName: null,
        nameDiffers: false,
        householdPlace: null,
      },
      'police-a1',
    );
    for (const digest of ['older-b', 'older-a']) {
      sql.run(
        sql.db
          .insertInto('certificate_pdf_history')
          .values({ certificate_no: 'Q440000002', pdf_sha256: digest, replaced_at: at.toISOString() }),
      );
    }
    const second = register.lookup('Q440000002')!;
    expect(second.householdRegistered).toBe(true);
    expect([...(second.earlierPdfDigests ?? [])].sort()).toEqual(['older-a', 'older-b']);
    expect(register.lookup('Q440000001')).toMatchObject({ householdRegistered: true });
    expect(register.lookup('Q440000001')).not.toHaveProperty('earlierPdfDigests');
  });

  it('snapshots every certificate’s status by number', () => {
    const register = createSqlCertificateRegister(sql);
    register.insert(certificateRecord('Q440000002'), pdfOf('2'));
    register.insertBackfilled(certificateRecord('Q440000001'));
    register.setStatus('Q440000002', 'revoked', 'court order', null, at);
    expect(register.snapshot()).toEqual([
      {
        certificateNo: 'Q440000001',
        status: 'valid',
        supersededBy: null,
        licenceId: 'lic-Q440000001',
        licenceDigest: 'digest-Q440000001',
        pdfDigest: null,
        householdRegistered: false,
        backfilled: true,
      },
      {
        certificateNo: 'Q440000002',
        status: 'revoked',
        supersededBy: null,
        licenceId: 'lic-Q440000002',
        licenceDigest: 'digest-Q440000002',
        pdfDigest: sha256(pdfOf('2')),
        householdRegistered: false,
      },
    ]);
  });

  it('finds the certificates an institution’s key signed from a time on, oldest first', () => {
    const register = createSqlCertificateRegister(sql);
    const issue = (no: string, kid: string, issuedAt: string, sigT = issuedAt.replace(/\.\d{3}Z$/, 'Z')) =>
      register.insert(certificateRecord(no, { issuedAt, signedJson: signedBy(kid, sigT) }), pdfOf(no));
    issue('Q440000001', 'k1', '2026-11-29T07:59:59.999Z');
    issue('Q440000003', 'k1', '2026-11-29T09:00:00.000Z');
    issue('Q440000002', 'k1', '2026-11-29T08:00:00.500Z');
    issue('Q440000004', 'k2', '2026-11-29T08:30:00.000Z');
    register.insert(certificateRecord('Q440000005', { issuedAt: '2026-11-29T10:00:00.000Z' }), pdfOf('5'));
    expect(register.signedWithKeySince(certificateRecord('x').institution, 'k1', at)).toEqual([
      'Q440000002',
      'Q440000003',
    ]);
    expect(register.signedWithKeySince('12440000455862437X', 'k1', at)).toEqual([]);
  });

  it('fills in the digest of PDFs stored before digests were kept, when it is opened', () => {
    createSqlCertificateRegister(sql).insert(certificateRecord('Q440000001'), pdfOf('1'));
    createSqlCertificateRegister(sql).insertBackfilled(certificateRecord('Q440000002'));
    sql.run(sql.db.updateTable('certificates').set({ pdf_sha256: null }));
    const reopened = createSqlCertificateRegister(sql);
    expect(reopened.lookup('Q440000001')?.pdfDigest).toBe(sha256(pdfOf('1')));
    expect(reopened.lookup('Q440000002')?.pdfDigest).toBeNull();
  });
});
