import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords } from '../fixtures/records.ts';
import { statements } from '../storage-kit.ts';
import { startTestService, type TestService } from './harness.ts';
import {
  auditTrail,
  bornBefore,
  childIdNumber,
  chinaDateOf,
  errorOf,
  frozenClock,
  type Issued,
  issueBirth,
  type Staff,
  staffOf,
} from './lifecycle-helpers.ts';

/** The police archive (留档) and the full 落户 feedback, over HTTP against the real service. */

const { clock, now: NOW } = frozenClock();
const purpose = '办理出生登记（落户）';
const q = `purpose=${encodeURIComponent(purpose)}`;
const unit = '广州市公安局天河区分局天河南派出所';
const place = { divisionCode: '440106', address: '广东省广州市天河区体育东路 88 号' };

let svc: TestService;
let gz: Staff;
let police: string;
let otherUnitPolice: string;
let unitlessPolice: string;

const births = {
  archived: bornBefore(fixtureRecords[0]!, NOW, 2),
  registered: bornBefore(fixtureRecords[1]!, NOW, 3),
  renamed: bornBefore(fixtureRecords[2]!, NOW, 4),
  badPlace: bornBefore(fixtureRecords[3]!, NOW, 5),
};

async function policeAccount(username: string, policeUnit: string | null): Promise<string> {
  const { service } = svc.running;
  const password = `${username} password for the archive test`;
  service.accounts.create(
    { username, passwordHash: await service.hasher.hash(password), role: 'police', institution: null, policeUnit },
    new Date(),
  );
  const res = await svc.request('POST', '/api/v1/auth/token', { json: { username, password } });
  expect(res.status).toBe(200);
  return res.body.accessToken as string;
}

const archive = (token: string, json: unknown, query = q) =>
  svc.request('POST', `/api/v1/police-archives?${query}`, { token, json });

const register = (issued: Issued, record: typeof births.registered, extra: Record<string, unknown> = {}) =>
  svc.request('POST', `/api/v1/certificates/${issued.certificateNo}/household-registration`, {
    token: police,
    json: {
      childIdNumber: childIdNumber(chinaDateOf(new Date(record.newborn.birthTime)), record.newborn.sex),
      registeredOn: chinaDateOf(NOW),
      policeUnit: unit,
      ...extra,
    },
  });

const eventsOfType = (type: string) =>
  (
    statements(svc.running.service.sql).prepare('SELECT body FROM events WHERE type = ? ORDER BY seq').all(type) as {
      body: string;
    }[]
  ).map((row) => JSON.parse(row.body) as { subject: string; data: Record<string, unknown> });

beforeAll(async () => {
  svc = await startTestService({ clock });
  gz = await staffOf(svc, 'gz');
  police = await svc.token('police');
  otherUnitPolice = await policeAccount('police-yuexiu', '广州市公安局越秀区分局北京街派出所');
  unitlessPolice = await policeAccount('police-no-unit', null);
});
afterAll(async () => {
  await svc?.stop();
});

describe('the police archive', () => {
  let issued: Issued;
  let signedJson: string;
  let archiveId: string;

  it('archives the e-licence with its verification result, time, officer, unit and purpose', async () => {
    issued = await issueBirth(svc, gz, births.archived);
    signedJson = await (
      await fetch(`${svc.url}${issued.links.signedJson}?${q}`, { headers: { authorization: `Bearer ${police}` } })
    ).text();
    const res = await archive(police, { certificateNo: issued.certificateNo, caseNo: 'HJ-2026-0001' });
    expect(res.status).toBe(201);
    archiveId = res.body.id;
    expect(res.body).toEqual({
      id: expect.stringMatching(/^arc_[A-Za-z0-9_-]+$/),
      certificateNo: issued.certificateNo,
      caseNo: 'HJ-2026-0001',
      policeUnit: unit,
      officer: 'demo-police',
      purpose,
      archivedAt: NOW.toISOString(),
      archived: {
        verifiedAt: NOW.toISOString(),
        result: expect.objectContaining({ valid: true, status: 'valid', householdRegistered: false }),
      },
    });
    expect(auditTrail(svc).filter((e) => e.action === 'police-archive.created')).toEqual([
      { action: 'police-archive.created', target: issued.certificateNo, purpose },
    ]);
  });

  it('refuses an archive without a purpose, of an unknown certificate, or by an account without a unit', async () => {
    const body = { certificateNo: issued.certificateNo, caseNo: 'HJ-2026-0001' };
    const noPurpose = await archive(police, body, '');
    expect(noPurpose.status).toBe(400);
    expect(noPurpose.body.error.code).toBe('PURPOSE_REQUIRED');
    expect(noPurpose.body.error.details[0].path).toBe('purpose');

    const unknown = await archive(police, { certificateNo: 'Q440099998', caseNo: 'HJ-2026-0001' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual(errorOf('NOT_FOUND', 'No certificate Q440099998'));

    const unitless = await archive(unitlessPolice, body);
    expect(unitless.status).toBe(403);
    expect(unitless.body).toEqual(
      errorOf('FORBIDDEN', 'This police account belongs to no police unit; an operator must assign one', [
        { path: 'policeUnit', message: 'the account has no police unit' },
      ]),
    );

    const blankCase = await archive(police, { certificateNo: issued.certificateNo, caseNo: '   ' });
    expect(blankCase.status).toBe(400);
    expect(blankCase.body.error.details.map((d: { path: string }) => d.path)).toEqual(['caseNo']);
  });

  it("answers another unit's officer with 403 and a read without purpose with 400", async () => {
    const other = await svc.request('GET', `/api/v1/police-archives/${archiveId}?${q}`, { token: otherUnitPolice });
    expect(other.status).toBe(403);
    expect(other.body).toEqual(errorOf('FORBIDDEN', "This archive belongs to another police unit's case"));
    const noPurpose = await svc.request('GET', `/api/v1/police-archives/${archiveId}`, { token: police });
    expect(noPurpose.status).toBe(400);
    expect(noPurpose.body.error.code).toBe('PURPOSE_REQUIRED');
    const unknown = await svc.request('GET', `/api/v1/police-archives/arc_nothing?${q}`, { token: police });
    expect(unknown.status).toBe(404);
  });

  it('after a 补发 shows the archived e-licence valid then and superseded now, with the successor', async () => {
    const reissued = await svc.request('POST', `/api/v1/certificates/${issued.certificateNo}/reissues`, {
      token: gz.issuer,
      json: { reason: '原证遗失' },
    });
    expect(reissued.status).toBe(201);
    const res = await svc.request('GET', `/api/v1/police-archives/${archiveId}?${q}`, { token: police });
    expect(res.status).toBe(200);
    expect(res.body.signedJson).toBe(signedJson);
    expect(res.body.archived.result).toMatchObject({ valid: true, status: 'valid' });
    expect(res.body.archived.result).not.toHaveProperty('supersededBy');
    expect(res.body.now).toEqual({
      verifiedAt: NOW.toISOString(),
      result: expect.objectContaining({
        valid: false,
        status: 'superseded',
        reason: 'SUPERSEDED',
        supersededBy: reissued.body.certificateNo,
      }),
    });
    expect(auditTrail(svc).filter((e) => e.action === 'police-archive.read')).toEqual([
      { action: 'police-archive.read', target: issued.certificateNo, purpose },
    ]);
  });

  it("lists the unit's archives of a case, and none of another unit's", async () => {
    const second = await archive(police, { certificateNo: issued.certificateNo, caseNo: 'HJ-2026-0001' });
    expect(second.status).toBe(201);
    const list = await svc.request('GET', `/api/v1/police-archives?caseNo=HJ-2026-0001&${q}`, { token: police });
    expect(list.status).toBe(200);
    expect(list.body.results.map((r: { id: string }) => r.id)).toEqual([archiveId, second.body.id]);
    expect(list.body.results[1].archived.result).toMatchObject({ valid: false, status: 'superseded' });
    const other = await svc.request('GET', `/api/v1/police-archives?caseNo=HJ-2026-0001&${q}`, {
      token: otherUnitPolice,
    });
    expect(other.body).toEqual({ results: [] });
    const noCase = await svc.request('GET', `/api/v1/police-archives?${q}`, { token: police });
    expect(noCase.status).toBe(400);
    expect(noCase.body.error.details.map((d: { path: string }) => d.path)).toEqual(['caseNo']);
  });
});

describe('the full 落户 feedback', () => {
  it('records the registered name and household place, shows them on the record and sends them in the event', async () => {
    const issued = await issueBirth(svc, gz, births.registered);
    const res = await register(issued, births.registered, {
      registeredName: births.registered.newborn.name,
      householdPlace: place,
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      certificateNo: issued.certificateNo,
      householdRegistered: true,
      registeredOn: chinaDateOf(NOW),
      policeUnit: unit,
      registeredName: births.registered.newborn.name,
      nameDiffers: false,
      householdPlace: place,
    });
    const record = await svc.request('GET', `${issued.links.self}?${q}`, { token: police });
    expect(record.body.householdRegistration).toEqual({
      certificateNo: issued.certificateNo,
      childIdNumber: childIdNumber(
        chinaDateOf(new Date(births.registered.newborn.birthTime)),
        births.registered.newborn.sex,
      ),
      registeredOn: chinaDateOf(NOW),
      policeUnit: unit,
      registeredName: births.registered.newborn.name,
      nameDiffers: false,
      householdPlace: place,
    });
    expect(
      eventsOfType('cn.birth-certificate.household-registered').find((e) => e.subject === issued.certificateNo)!.data,
    ).toEqual({
      certificateNo: issued.certificateNo,
      registeredOn: chinaDateOf(NOW),
      registeredName: births.registered.newborn.name,
      nameDiffers: false,
      householdDivisionCode: place.divisionCode,
      householdAddress: place.address,
    });
  });

  it('allows a registered name that differs from the certificate and flags it', async () => {
    const issued = await issueBirth(svc, gz, births.renamed);
    const res = await register(issued, births.renamed, { registeredName: '欧阳新名' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ registeredName: '欧阳新名', nameDiffers: true });
    const record = await svc.request('GET', `${issued.links.self}?${q}`, { token: gz.issuer });
    expect(record.body.householdRegistration).toMatchObject({ registeredName: '欧阳新名', nameDiffers: true });
    expect(record.body.certificate.newborn.name).toBe(births.renamed.newborn.name);
  });

  it('refuses a household place whose division code is not in the division table, naming the field', async () => {
    const issued = await issueBirth(svc, gz, births.badPlace);
    const res = await register(issued, births.badPlace, {
      registeredName: ' 欧阳',
      householdPlace: { divisionCode: '999999', address: ' ' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'householdPlace.address',
      'householdPlace.divisionCode',
      'registeredName',
    ]);
    const tooLong = await register(issued, births.badPlace, {
      householdPlace: { divisionCode: '440106', address: '路'.repeat(101) },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details.map((d: { path: string }) => d.path)).toEqual(['householdPlace.address']);
    const record = await svc.request('GET', `${issued.links.self}?${q}`, { token: police });
    expect(record.body.householdRegistration).toBeNull();
  });
});
