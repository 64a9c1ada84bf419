import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqlApplicationStore } from '../../src/adapters/sql/application-store.ts';
import { createSqlStoredPdfs } from '../../src/adapters/sql/certificate-pdf-store.ts';
import { createSqlCertificateRegister } from '../../src/adapters/sql/certificate-register.ts';
import { createSqlClaimCodeStore } from '../../src/adapters/sql/claim-code-store.ts';
import { createSqlHouseholdRegistrations } from '../../src/adapters/sql/household-registrations.ts';
import { createSqlOnlineApplicationStore } from '../../src/adapters/sql/online-application-store.ts';
import { createSqlPoliceArchiveStore, policeUnitsOf } from '../../src/adapters/sql/police-archive-store.ts';
import type { Sql } from '../../src/adapters/sql/sql.ts';
import type { Account } from '../../src/domain/accounts/account.ts';
import type { PoliceArchive } from '../../src/domain/lifecycle/police-archives.ts';
import type { ApplicationRecord, DeliveryRecord } from '../../src/domain/lifecycle/records.ts';
import { applicationBodyFor, deliveryBodyFor } from '../fixtures/records.ts';
import { openTestSql, testEngine } from '../storage-kit.ts';
import { at, certificateRecord, institution, record, seedInstitution } from './lifecycle-store-kit.ts';

const iso = (minute: number) => new Date(at.getTime() + minute * 60_000).toISOString();
const pdfOf = (text: string) => new TextEncoder().encode(`%PDF-1.7 ${text}`);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64url');

const delivery = (id: string, recordedAt: string): DeliveryRecord => ({
  ...deliveryBodyFor(record),
  id,
  institution,
  recordedBy: 'midwife-gz',
  recordedAt,
});

const application = (id: string, deliveryId: string | null, createdAt = iso(0)): ApplicationRecord => ({
  id,
  institution,
  deliveryId,
  input: applicationBodyFor(record, deliveryId ?? undefined),
  status: 'submitted',
  certificateNo: null,
  licenceSerial: null,
  createdBy: 'issuer-gz',
  createdAt,
});

let sql: Sql;
beforeEach(async () => {
  sql = await openTestSql();
  seedInstitution(sql);
});
afterEach(() => sql.close());

/** Moves an application to `issuing` with a number, as the number stock does. */
const holdNumber = (applicationId: string, no: string) =>
  sql.run(
    sql.db
      .updateTable('applications')
      .set({ status: 'issuing', certificate_no: no, licence_serial: `lin-${no}` })
      .where('id', '=', applicationId),
  );

describe(`delivery records and applications on ${testEngine}`, () => {
  it('gives back deliveries as recorded, the newest first and as many as asked', () => {
    const store = createSqlApplicationStore(sql);
    for (const [id, minute] of [
      ['dlv-1', 1],
      ['dlv-3', 3],
      ['dlv-2', 2],
    ] as const)
      store.insertDelivery(delivery(id, iso(minute)));
    expect(store.findDelivery('dlv-2')).toEqual(delivery('dlv-2', iso(2)));
    expect(store.findDelivery('dlv-9')).toBeNull();
    expect(store.recentDeliveries(institution, 2).map((d) => d.id)).toEqual(['dlv-3', 'dlv-2']);
    expect(store.recentDeliveries('12440000455862437X', 5)).toEqual([]);
  });

  it('gives back an application as inserted, and an online one sent back as "returned"', () => {
    const store = createSqlApplicationStore(sql);
    store.insertDelivery(delivery('dlv-1', iso(0)));
    store.insertApplication(application('app-1', 'dlv-1'));
    store.insertApplication(application('app-2', null));
    expect(store.findApplication('app-1')).toEqual(application('app-1', 'dlv-1'));
    expect(store.findApplication('app-2')).toEqual(application('app-2', null));
    expect(store.findApplication('app-9')).toBeNull();

    const online = createSqlOnlineApplicationStore(sql);
    online.insert('app-1', 'dlv-1');
    expect(store.findApplication('app-1')?.status).toBe('submitted');
    online.markReturned('app-1', '母亲姓名有误', 'issuer-gz', at);
    expect(store.findApplication('app-1')?.status).toBe('returned');
    holdNumber('app-1', 'Q440000001');
    expect(store.findApplication('app-1')).toMatchObject({
      status: 'issuing',
      certificateNo: 'Q440000001',
      licenceSerial: 'lin-Q440000001',
    });
  });

  it('counts a delivery as issued while an issue is under way or a version of its birth is valid or revoked', () => {
    const store = createSqlApplicationStore(sql);
    const register = createSqlCertificateRegister(sql);
    store.insertDelivery(delivery('dlv-1', iso(0)));
    store.insertApplication(application('app-1', 'dlv-1'));
    expect(store.deliveryIssued('dlv-1')).toBe(false);
    holdNumber('app-1', 'Q440000001');
    expect(store.deliveryIssued('dlv-1')).toBe(true);

    sql.run(sql.db.updateTable('applications').set({ status: 'issued' }).where('id', '=', 'app-1'));
    register.insert(certificateRecord('Q440000001', { applicationId: 'app-1' }), pdfOf('1'));
    expect(store.deliveryIssued('dlv-1')).toBe(true);
    // Replaced: the first version superseded, the birth still has a valid one.
    register.insert(
      certificateRecord('Q440000002', { lineage: 'lin-Q440000001', version: 2, supersedes: 'Q440000001' }),
      pdfOf('2'),
    );
    register.supersede('Q440000001', 'Q440000002', 'replacement', at);
    expect(store.deliveryIssued('dlv-1')).toBe(true);
    register.setStatus('Q440000002', 'revoked', 'court order', null, at);
    expect(store.deliveryIssued('dlv-1')).toBe(true);
    register.setStatus('Q440000002', 'void', 'misprint', null, at);
    expect(store.deliveryIssued('dlv-1')).toBe(false);
    expect(store.deliveryIssued('dlv-9')).toBe(false);
  });
});

describe(`claim codes on ${testEngine}`, () => {
  const citizenToken = (hash: string, role = 'citizen') =>
    sql.run(
      sql.db.insertInto('access_tokens').values({
        token_hash: hash,
        role,
        certificate_no: 'Q440000001',
        account_id: null,
        institution: null,
        expires_at: 2_000,
        created_at: 1_000,
      }),
    );

  it('sets a code, counts and forgives wrong guesses, and withdraws it', () => {
    createSqlCertificateRegister(sql).insert(certificateRecord('Q440000001'), pdfOf('1'));
    const codes = createSqlClaimCodeStore(sql);
    expect(codes.state('Q440000001')).toEqual({ hash: null, failures: 0 });
    expect(codes.state('Q440000009')).toBeNull();
    codes.set('Q440000001', 'hash-1');
    expect([codes.recordFailure('Q440000001'), codes.recordFailure('Q440000001')]).toEqual([1, 2]);
    expect(codes.state('Q440000001')).toEqual({ hash: 'hash-1', failures: 2 });
    expect(codes.recordFailure('Q440000009')).toBe(0);
    codes.resetFailures('Q440000001');
    expect(codes.state('Q440000001')).toEqual({ hash: 'hash-1', failures: 0 });
    codes.recordFailure('Q440000001');
    codes.set('Q440000001', 'hash-2');
    expect(codes.state('Q440000001')).toEqual({ hash: 'hash-2', failures: 0 });
    codes.withdraw('Q440000001');
    expect(codes.state('Q440000001')).toEqual({ hash: null, failures: 0 });
  });

  it('ends the parents’ tokens of the certificate when a new code is set, and no other tokens', () => {
    createSqlCertificateRegister(sql).insert(certificateRecord('Q440000001'), pdfOf('1'));
    citizenToken('t-citizen');
    citizenToken('t-issuer', 'issuer');
    createSqlClaimCodeStore(sql).set('Q440000001', 'hash-1');
    const left = sql.all(sql.db.selectFrom('access_tokens').select(['token_hash', 'role']).orderBy('token_hash'));
    expect(left).toEqual([{ token_hash: 't-issuer', role: 'issuer' }]);
  });
});

describe(`household registrations (落户) on ${testEngine}`, () => {
  it('keeps one per birth with the registered name and place, and knows the child ID numbers', () => {
    createSqlCertificateRegister(sql).insert(certificateRecord('Q440000001'), pdfOf('1'));
    createSqlCertificateRegister(sql).insert(certificateRecord('Q440000002', { mother: 3 }), pdfOf('2'));
    const households = createSqlHouseholdRegistrations(sql);
    const withPlace = {
      certificateNo: 'Q440000001',
      childIdNumber: '440106202611240017',
      registeredOn: '2026-11-28',
      policeUnit: '广州市公安局天河区分局天河南派出所',
      recordedAt: iso(5),
      registeredName: '𠮷祥',
      nameDiffers: true,
      householdPlace: { divisionCode: '440106', address: '天河路 1 号' },
    };
    households.insert('lin-Q440000001', withPlace, 'police-a1');
    const bare = { ...withPlace, certificateNo: 'Q440000002', childIdNumber: '440106202611240025' };
    households.insert(
      'lin-Q440000002',
      { ...bare, registeredName: null, nameDiffers: false, householdPlace: null },
      'p',
    );
    expect(households.find('lin-Q440000001')).toEqual(withPlace);
    expect(households.find('lin-Q440000002')).toEqual({
      ...bare,
      registeredName: null,
      nameDiffers: false,
      householdPlace: null,
    });
    expect(households.find('lin-none')).toBeNull();
    expect(households.holdsChildIdNumber('440106202611240017')).toBe(true);
    expect(households.holdsChildIdNumber('440106202611240033')).toBe(false);
  });
});

describe(`online applications on ${testEngine}`, () => {
  beforeEach(() => {
    const store = createSqlApplicationStore(sql);
    for (const id of ['dlv-1', 'dlv-2', 'dlv-3']) store.insertDelivery(delivery(id, iso(0)));
  });

  it('finds an application code by its hash and counts wrong guesses per mother', () => {
    const online = createSqlOnlineApplicationStore(sql);
    online.setCode('dlv-1', 'code-1', '440106199001010028', at);
    online.setCode('dlv-2', 'code-2', '440106199001010028', at);
    online.setCode('dlv-3', 'code-3', '440106199202020046', at);
    expect(online.findCode('code-2')).toEqual({
      deliveryId: 'dlv-2',
      motherIdNumber: '440106199001010028',
      failures: 0,
    });
    expect(online.findCode('code-9')).toBeNull();
    expect(online.recordFailure('440106199001010028')).toBe(1);
    online.resetFailures('dlv-1');
    expect(online.recordFailure('440106199001010028')).toBe(2);
    expect([
      online.findCode('code-1')?.failures,
      online.findCode('code-2')?.failures,
      online.findCode('code-3')?.failures,
    ]).toEqual([1, 2, 0]);
    expect(online.recordFailure('110101199001010000')).toBeNull();
  });

  it('returns an application to the parents and takes it back corrected; queues it by status and channel', () => {
    const store = createSqlApplicationStore(sql);
    const online = createSqlOnlineApplicationStore(sql);
    store.insertApplication(application('app-b', 'dlv-1', iso(2)));
    store.insertApplication(application('app-a', 'dlv-2', iso(2)));
    store.insertApplication(application('app-c', null, iso(1)));
    online.insert('app-b', 'dlv-1');
    expect(online.find('app-b')).toEqual({
      applicationId: 'app-b',
      deliveryId: 'dlv-1',
      returnReason: null,
      returnedAt: null,
    });
    expect(online.byDelivery('dlv-1')).toEqual(online.find('app-b'));
    expect([online.find('app-a'), online.byDelivery('dlv-2')]).toEqual([null, null]);
    const queued = (status: 'submitted' | 'returned' | 'issued') =>
      online.queue(institution, status).map((q) => [q.application.id, q.channel, q.application.status]);
    expect(queued('submitted')).toEqual([
      ['app-c', 'walk-in', 'submitted'],
      ['app-a', 'walk-in', 'submitted'],
      ['app-b', 'online', 'submitted'],
    ]);

    online.markReturned('app-b', '母亲姓名有误', 'issuer-gz', at);
    expect(online.find('app-b')).toMatchObject({ returnReason: '母亲姓名有误', returnedAt: at.toISOString() });
    expect(queued('returned')).toEqual([['app-b', 'online', 'returned']]);
    expect(queued('submitted').map(([id]) => id)).toEqual(['app-c', 'app-a']);
    expect(online.queue('12440000455862437X', 'submitted')).toEqual([]);

    const corrected = structuredClone(application('app-b', 'dlv-1').input);
    corrected.newborn.name = '更正后的名字';
    online.resubmit('app-b', corrected, at);
    expect(online.find('app-b')).toMatchObject({ returnReason: null });
    expect(store.findApplication('app-b')).toMatchObject({ status: 'submitted', input: corrected });
    expect(queued('returned')).toEqual([]);
    expect(online.queue(institution, 'submitted')[2]?.application.input).toEqual(corrected);

    // Only a submitted application takes new input.
    holdNumber('app-a', 'Q440000001');
    online.resubmit('app-a', corrected, at);
    expect(store.findApplication('app-a')?.input).toEqual(application('app-a', 'dlv-2').input);
    sql.run(sql.db.updateTable('applications').set({ status: 'issued' }).where('id', '=', 'app-a'));
    expect(queued('issued')).toEqual([['app-a', 'walk-in', 'issued']]);
  });

  it('opens an application with a token until it expires or is revoked, and sweeps expired ones', () => {
    const store = createSqlApplicationStore(sql);
    const online = createSqlOnlineApplicationStore(sql);
    store.insertApplication(application('app-1', 'dlv-1'));
    const first = online.issueToken('app-1', 60, at);
    expect(first.expiresInSeconds).toBe(60);
    expect(online.resolveToken(first.token, new Date(at.getTime() + 59_999))).toBe('app-1');
    expect(online.resolveToken(first.token, new Date(at.getTime() + 60_000))).toBeNull();
    expect(online.resolveToken('not-a-token', at)).toBeNull();

    const second = online.issueToken('app-1', 60, new Date(at.getTime() + 60_000));
    const stored = sql.all(sql.db.selectFrom('application_tokens').select(['expires_at', 'created_at']));
    expect(stored).toEqual([{ expires_at: at.getTime() + 120_000, created_at: at.getTime() + 60_000 }]);
    expect(online.revokeToken(second.token)).toBe(true);
    expect(online.revokeToken(second.token)).toBe(false);
    expect(online.resolveToken(second.token, at)).toBeNull();
  });
});

describe(`police archives on ${testEngine}`, () => {
  const archive = (id: string, fields: Partial<PoliceArchive> = {}): PoliceArchive => ({
    id,
    certificateNo: 'Q440000001',
    caseNo: '2026-001',
    policeUnit: '天河南派出所',
    officer: 'police-a1',
    purpose: '核验留档',
    signedJson: '{"payload":"出生医学证明 𠮷","signature":"AA"}',
    result: { valid: true, status: 'valid', householdRegistered: false, checks: [] },
    verifiedAt: at.toISOString(),
    archivedAt: at.toISOString(),
    ...fields,
  });

  it('keeps the signed e-licence’s bytes and lists a unit’s case oldest first, same-instant ones as archived', () => {
    createSqlCertificateRegister(sql).insert(certificateRecord('Q440000001'), pdfOf('1'));
    const archives = createSqlPoliceArchiveStore(sql);
    const ids = ['pa-z', 'pa-a', 'pa-m', 'pa-b'];
    archives.insert(archive('pa-late', { archivedAt: iso(1) }));
    for (const id of ids) archives.insert(archive(id));
    archives.insert(archive('pa-other-case', { caseNo: '2026-002' }));
    archives.insert(archive('pa-other-unit', { policeUnit: '北京街派出所' }));
    archives.insert(
      archive('pa-early', {
        archivedAt: iso(-1),
        result: { valid: false, status: 'superseded', householdRegistered: true, checks: [] },
      }),
    );

    expect(archives.find('pa-early')).toEqual(
      archive('pa-early', {
        archivedAt: iso(-1),
        result: { valid: false, status: 'superseded', householdRegistered: true, checks: [] },
      }),
    );
    expect(archives.find('pa-none')).toBeNull();
    const stored = sql.get(sql.db.selectFrom('police_archives').select('signed_json').where('id', '=', 'pa-z'));
    expect(Buffer.from(stored!.signed_json).toString('utf8')).toBe(archive('pa-z').signedJson);
    expect(archives.byCase('天河南派出所', '2026-001').map((a) => a.id)).toEqual(['pa-early', ...ids, 'pa-late']);
    expect(archives.byCase('北京街派出所', '2026-002')).toEqual([]);
  });

  it('reads an officer’s unit from the account at each use', () => {
    const accounts = new Map<string, Pick<Account, 'role' | 'disabled' | 'policeUnit'>>([
      ['police-a1', { role: 'police', disabled: false, policeUnit: '天河南派出所' }],
      ['police-off', { role: 'police', disabled: true, policeUnit: '天河南派出所' }],
      ['issuer-gz', { role: 'issuer', disabled: false, policeUnit: null }],
    ]);
    const units = policeUnitsOf({ findByUsername: (name) => (accounts.get(name) as Account | undefined) ?? null });
    expect(['police-a1', 'police-off', 'issuer-gz', 'nobody'].map((name) => units.unitOf(name))).toEqual([
      '天河南派出所',
      null,
      null,
      null,
    ]);
  });
});

describe(`stored PDFs on ${testEngine}`, () => {
  it('reads PDFs in batches by number and replaces one only over the bytes that were read, keeping the old digest', () => {
    const register = createSqlCertificateRegister(sql);
    for (const no of ['Q440000003', 'Q440000001', 'Q440000002']) register.insert(certificateRecord(no), pdfOf(no));
    const pdfs = createSqlStoredPdfs(sql);
    const batch = pdfs.batchAfter('', 2);
    expect(batch).toEqual([
      { certificateNo: 'Q440000001', pdf: pdfOf('Q440000001'), pdfDigest: sha256(pdfOf('Q440000001')) },
      { certificateNo: 'Q440000002', pdf: pdfOf('Q440000002'), pdfDigest: sha256(pdfOf('Q440000002')) },
    ]);
    expect(pdfs.batchAfter('Q440000002', 2).map((p) => p.certificateNo)).toEqual(['Q440000003']);
    expect(pdfs.batchAfter('Q440000003', 2)).toEqual([]);

    const original = sha256(pdfOf('Q440000001'));
    expect(pdfs.replace('Q440000001', original, pdfOf('extended'), at)).toBe(true);
    expect(pdfs.replace('Q440000001', original, pdfOf('again'), at)).toBe(false);
    expect(register.pdf('Q440000001')).toEqual(pdfOf('extended'));
    // Back to the original bytes and extended again: the original digest is remembered once.
    expect(pdfs.replace('Q440000001', sha256(pdfOf('extended')), pdfOf('Q440000001'), at)).toBe(true);
    expect(pdfs.replace('Q440000001', original, pdfOf('extended twice'), new Date(at.getTime() + 1))).toBe(true);
    const history = sql.all(
      sql.db
        .selectFrom('certificate_pdf_history')
        .select(['pdf_sha256', 'replaced_at'])
        .where('certificate_no', '=', 'Q440000001')
        .orderBy('pdf_sha256'),
    );
    expect(history).toEqual(
      [
        { pdf_sha256: original, replaced_at: at.toISOString() },
        { pdf_sha256: sha256(pdfOf('extended')), replaced_at: at.toISOString() },
      ].sort((a, b) => (a.pdf_sha256 < b.pdf_sha256 ? -1 : 1)),
    );
    expect(register.lookup('Q440000001')?.pdfDigest).toBe(sha256(pdfOf('extended twice')));
    expect(pdfs.replace('Q440000009', original, pdfOf('none'), at)).toBe(false);
  });
});
