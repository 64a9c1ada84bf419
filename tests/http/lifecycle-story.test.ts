import { flattenedVerify, importX509 } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenIdCheckCharacter } from '../../src/domain/check/citizen-id.ts';
import { parseLicenceId } from '../../src/domain/licence-id.ts';
import { applicationBodyFor, deliveryBodyFor, type FixtureRecord, fixtureRecords } from '../fixtures/records.ts';
import { startTestService, type TestService } from './harness.ts';
import {
  auditTrail,
  bornBefore,
  childIdNumber,
  chinaDateOf,
  claimToken,
  demo,
  errorOf,
  forbiddenRole,
  frozenClock,
  type Issued,
  issueApplication,
  nextStockNumber,
  qrTextOf,
  recordDelivery,
  type Staff,
  shownCertificate,
  staffOf,
  submitApplication,
  verificationChecks,
  verifyOverHttp,
} from './lifecycle-helpers.ts';

const { clock, now: NOW } = frozenClock();
const TODAY = chinaDateOf(NOW);
const ISSUED_AT = NOW.toISOString();
const TYPE_CODE = '11100000000013338W001';
const GZ_ISSUER = { name: demo.gz.name, creditCode: demo.gz.creditCode, divisionCode: demo.gz.divisionCode };
const POLICE_UNIT = '广州市公安局天河区分局天河南派出所';

let svc: TestService;
let gz: Staff;
beforeAll(async () => {
  // The claim lock-out is per certificate; the per-address rate limit is another test's subject.
  svc = await startTestService({ clock, env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  gz = await staffOf(svc, 'gz');
});
afterAll(async () => {
  await svc?.stop();
});

/** The births of the story, all at the demo Guangzhou institution, shortly before the frozen now. */
const births = {
  main: bornBefore(fixtureRecords[0]!, NOW, 1),
  late: bornBefore(fixtureRecords[4]!, NOW, 30),
  misprinted: bornBefore(fixtureRecords[1]!, NOW, 2),
  home: bornBefore(fixtureRecords[7]!, NOW, 72),
  rareName: bornBefore(fixtureRecords[6]!, NOW, 3),
};

/** The surface items the service composes for a birth recorded at (or issued by) the gz institution. */
function surfaceOf(record: FixtureRecord, certificateNo: string) {
  const institutional = record.birthPlaceCategory === '1' || record.birthPlaceCategory === '2';
  return {
    certificateNo,
    newborn: record.newborn,
    birthPlace: record.birthPlace,
    birthPlaceCategory: record.birthPlaceCategory,
    deliveryInstitution: institutional ? { name: demo.gz.name, creditCode: demo.gz.creditCode } : null,
    mother: record.mother,
    father: record.father,
    ...(record.fatherAbsentReason === undefined ? {} : { fatherAbsentReason: record.fatherAbsentReason }),
    issueDate: TODAY,
    issuer: GZ_ISSUER,
  };
}

function licenceOf(licenceId: string, holderName: string, version = '001', supersedes: unknown = null) {
  return {
    id: licenceId,
    name: '出生医学证明',
    typeCode: TYPE_CODE,
    issuer: GZ_ISSUER,
    issueDate: TODAY,
    validUntil: null,
    holder: { name: holderName },
    version,
    supersedes,
  };
}

const firstVersion = (issued: Issued, status = 'valid') => ({
  certificateNo: issued.certificateNo,
  licenceId: issued.licenceId,
  version: 1,
  kind: 'first',
  status,
  issuedAt: ISSUED_AT,
});

const hospitalRecordNoOf = (record: FixtureRecord) =>
  `ZY${record.newborn.birthTime.slice(0, 10).replaceAll('-', '')}001`;

const registrationOf = (record: FixtureRecord) => ({
  applicant: {
    name: record.mother.name,
    relation: 'mother',
    idType: record.mother.idType,
    idNumber: record.mother.idNumber,
  },
  hospitalRecordNo: hospitalRecordNoOf(record),
  midwifeName: '刘芳',
});

const issuedBody = (certificateNo: string) => ({
  certificateNo,
  licenceId: expect.any(String),
  status: 'valid',
  claimCode: expect.stringMatching(/^[2-9A-HJKMNP-Z]{10}$/),
  links: {
    self: `/api/v1/certificates/${certificateNo}`,
    pdf: `/api/v1/certificates/${certificateNo}/pdf`,
    signedJson: `/api/v1/certificates/${certificateNo}/signed.json`,
  },
});

const get = async (path: string, role: string, at?: 'gz' | 'bj') =>
  svc.request('GET', path, { token: await svc.token(role, at) });

const post = async (path: string, role: string, json: unknown, at?: 'gz' | 'bj') =>
  svc.request('POST', path, { token: await svc.token(role, at), json });

/** What the story produced, step by step. */
const story = {} as {
  mainDeliveryId: string;
  lateDeliveryId: string;
  lateDelivery: Record<string, unknown>;
  mainApplicationId: string;
  mismatchedApplicationId: string;
  main: Issued;
  mainSignedJson: Record<string, string>;
  home: Issued;
  replacement: Issued;
  reissue: Issued;
  misprinted: Issued;
  misprintedDeliveryId: string;
  blankNo: string;
  lateIssued: Issued;
  childIdNumber: string;
};

describe('the midwife records the delivery', () => {
  it('within 24 hours of the birth: 201 with the record, her institution and the time', async () => {
    const res = await svc.request('POST', '/api/v1/deliveries', {
      token: gz.midwife,
      json: deliveryBodyFor(births.main),
    });
    expect(res.status).toBe(201);
    const { name: _name, ...newborn } = births.main.newborn;
    expect(res.body).toEqual({
      newborn,
      birthPlace: { divisionCode: '440106' },
      birthPlaceCategory: births.main.birthPlaceCategory,
      mother: births.main.mother,
      hospitalRecordNo: hospitalRecordNoOf(births.main),
      midwifeName: '刘芳',
      id: expect.stringMatching(/^D[A-Za-z0-9_-]{16}$/),
      institution: demo.gz.creditCode,
      recordedBy: 'demo-midwife-gz',
      recordedAt: ISSUED_AT,
    });
    story.mainDeliveryId = res.body.id;
  });

  it('more than 24 hours after the birth only with a lateEntryReason', async () => {
    const without = await svc.request('POST', '/api/v1/deliveries', {
      token: gz.midwife,
      json: deliveryBodyFor(births.late),
    });
    expect(without.status).toBe(400);
    expect(without.body).toEqual(
      errorOf('INVALID_REQUEST', 'The request is invalid', [
        {
          path: 'lateEntryReason',
          message: 'lateEntryReason is required when the delivery is recorded more than 24 hours after the birth',
        },
      ]),
    );
    const lateEntryReason = '产妇转院，病历次日补录';
    const withReason = await recordDelivery(svc, gz.midwife, births.late, { lateEntryReason });
    expect(withReason).toMatchObject({ lateEntryReason, institution: demo.gz.creditCode });
    story.lateDeliveryId = withReason.id;
  });
});

describe('the issuer reviews the application and issues', () => {
  it('submits an application whose every cross-check passes', async () => {
    const res = await svc.request('POST', '/api/v1/applications', {
      token: gz.issuer,
      json: applicationBodyFor(births.main, story.mainDeliveryId),
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^A[A-Za-z0-9_-]{16}$/),
      status: 'submitted',
      checks: [
        { name: 'mother', result: 'pass' },
        { name: 'newborn', result: 'pass' },
        { name: 'institution', result: 'pass' },
      ],
    });
    story.mainApplicationId = res.body.id;
  });

  it("shows a failed check for a mother's ID number that differs from the delivery record", async () => {
    const body = applicationBodyFor(births.main, story.mainDeliveryId);
    // Same birth date (the age still agrees), another sequence number: a typing slip.
    const first17 = `${births.main.mother.idNumber.slice(0, 14)}126`;
    body.mother.idNumber = first17 + citizenIdCheckCharacter(first17);
    body.applicant.idNumber = body.mother.idNumber;
    const res = await svc.request('POST', '/api/v1/applications', { token: gz.issuer, json: body });
    expect(res.status).toBe(201);
    expect(res.body.checks).toEqual([
      { name: 'mother', result: 'fail', items: ['mother.idNumber'] },
      { name: 'newborn', result: 'pass' },
      { name: 'institution', result: 'pass' },
    ]);
    story.mismatchedApplicationId = res.body.id;
  });

  it('refuses to issue that application: 409 CROSS_CHECK_FAILED naming mother.idNumber', async () => {
    const res = await svc.request('POST', `/api/v1/applications/${story.mismatchedApplicationId}/issue`, {
      token: gz.issuer,
    });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(
      errorOf('CROSS_CHECK_FAILED', 'The application disagrees with the delivery record: mother.idNumber', [
        { path: 'mother.idNumber', message: 'differs from the delivery record' },
      ]),
    );
  });

  it('issues the good one: 201 with the first number of the gz range, the e-licence identifier and a claim code', async () => {
    const res = await svc.request('POST', `/api/v1/applications/${story.mainApplicationId}/issue`, {
      token: gz.issuer,
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(issuedBody('Q440000001'));
    const parsed = parseLicenceId(res.body.licenceId);
    expect(parsed).toEqual({
      typeCode: TYPE_CODE,
      issuerCreditCode: demo.gz.creditCode,
      serial: expect.stringMatching(/^[0-9A-Z]{20}$/),
      version: '001',
      check: expect.stringMatching(/^[0-9A-Z]$/),
    });
    story.main = res.body;
  });

  it('answers a retried issue with 200 and the same certificate, taking no second number', async () => {
    const res = await svc.request('POST', `/api/v1/applications/${story.mainApplicationId}/issue`, {
      token: gz.issuer,
    });
    expect(res.status).toBe(200);
    const { claimCode: _claimCode, ...withoutClaimCode } = story.main;
    expect(res.body).toEqual(withoutClaimCode);
    expect(await nextStockNumber(svc, 'gz')).toBe('Q440000002');
  });
});

describe('one birth, one certificate', () => {
  it('a second application on an already issued delivery record cannot be issued: 409 ALREADY_ISSUED', async () => {
    const application = await submitApplication(svc, gz.issuer, applicationBodyFor(births.main, story.mainDeliveryId));
    const res = await svc.request('POST', `/api/v1/applications/${application.id}/issue`, { token: gz.issuer });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(errorOf('ALREADY_ISSUED', 'A certificate was already issued for this delivery record'));
    expect(await nextStockNumber(svc, 'gz')).toBe('Q440000002');
  });
});

describe('reading the record', () => {
  const path = () => `/api/v1/certificates/${story.main.certificateNo}`;
  const recordView = () => ({
    certificate: surfaceOf(births.main, story.main.certificateNo),
    licence: licenceOf(story.main.licenceId, births.main.newborn.name),
    status: 'valid',
    supersededBy: null,
    supersedes: null,
    currentCertificateNo: story.main.certificateNo,
    history: [firstVersion(story.main)],
    householdRegistration: null,
  });

  it('the issuing institution sees full ID numbers and the registration-only items', async () => {
    const res = await get(path(), 'issuer', 'gz');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({ ...recordView(), registration: registrationOf(births.main) });
  });

  it('the police see it in full when they state a purpose', async () => {
    const res = await get(`${path()}?purpose=${encodeURIComponent('落户核验')}`, 'police');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(recordView());
  });

  it('the police without a purpose get 400 PURPOSE_REQUIRED', async () => {
    const res = await get(path(), 'police');
    expect(res.status).toBe(400);
    expect(res.body).toEqual(
      errorOf('PURPOSE_REQUIRED', 'State the purpose of this read: query parameter purpose, 2–200 characters', [
        {
          path: 'purpose',
          message: 'purpose must be 2–200 characters of visible text, without control or invisible format characters',
        },
      ]),
    );
  });

  it("the admin sees the parents' ID numbers masked", async () => {
    const res = await get(path(), 'admin');
    expect(res.status).toBe(200);
    const view = recordView();
    view.certificate = {
      ...view.certificate,
      mother: { ...births.main.mother, idNumber: '44************1249' },
      father: { ...births.main.father!, idNumber: '44************4571' },
    };
    expect(res.body).toEqual(view);
  });

  it("the other institution's issuer gets 403", async () => {
    const res = await get(path(), 'issuer', 'bj');
    expect(res.status).toBe(403);
    expect(res.body).toEqual(errorOf('FORBIDDEN', 'The certificate was issued by another institution'));
  });

  it('an agency gets 403, even with a purpose', async () => {
    const res = await get(`${path()}?purpose=${encodeURIComponent('医保参保核验')}`, 'agency');
    expect(res.status).toBe(403);
    expect(res.body).toEqual(forbiddenRole('agency'));
  });
});

describe("searching by the mother's ID number", () => {
  const search = (purpose: string) =>
    `/api/v1/certificates?motherIdNumber=${births.main.mother.idNumber}&purpose=${encodeURIComponent(purpose)}`;

  it('gives an agency the verification fields only', async () => {
    const res = await get(search('医保参保核验'), 'agency');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      results: [
        {
          certificateNo: story.main.certificateNo,
          licenceId: story.main.licenceId,
          status: 'valid',
          supersededBy: null,
          newborn: {
            name: births.main.newborn.name,
            sex: births.main.newborn.sex,
            birthTime: births.main.newborn.birthTime,
          },
          mother: { name: births.main.mother.name },
          issuer: { name: demo.gz.name },
          issueDate: TODAY,
          householdRegistered: false,
        },
      ],
    });
    expect(Object.keys(res.body.results[0]).sort()).toEqual([
      'certificateNo',
      'householdRegistered',
      'issueDate',
      'issuer',
      'licenceId',
      'mother',
      'newborn',
      'status',
      'supersededBy',
    ]);
  });

  it('gives the police the full records', async () => {
    const res = await get(search('落户核验'), 'police');
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(1);
    expect(res.body.results[0].certificate).toEqual(surfaceOf(births.main, story.main.certificateNo));
    expect(res.body.results[0].history).toEqual([firstVersion(story.main)]);
  });
});

describe('the documents and their verification', () => {
  it('serves the PDF as application/pdf', async () => {
    const res = await get(story.main.links.pdf, 'issuer', 'gz');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${story.main.certificateNo}.pdf"`);
    expect(Buffer.from(res.body).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('serves signed.json: a flattened JWS of the envelope and the surface items only, verifiable with x5c[0]', async () => {
    const res = await get(story.main.links.signedJson, 'issuer', 'gz');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(res.body).sort()).toEqual(['payload', 'protected', 'signature']);
    const header = JSON.parse(Buffer.from(res.body.protected, 'base64url').toString('utf8'));
    expect(header).toMatchObject({ alg: 'ES256', kid: expect.any(String), x5c: expect.any(Array) });
    const pem = `-----BEGIN CERTIFICATE-----\n${header.x5c[0]}\n-----END CERTIFICATE-----`;
    const { payload } = await flattenedVerify(res.body, await importX509(pem, 'ES256'));
    expect(JSON.parse(Buffer.from(payload).toString('utf8'))).toEqual({
      licence: licenceOf(story.main.licenceId, births.main.newborn.name),
      certificate: surfaceOf(births.main, story.main.certificateNo),
      status: {
        status_list: {
          idx: expect.any(Number),
          uri: expect.stringMatching(/^http:\/\/localhost:3000\/api\/v1\/status-lists\/1$/),
        },
      },
    });
    story.mainSignedJson = res.body;
  });

  it('verifies the signed.json as valid', async () => {
    const res = await verifyOverHttp(svc, { signedJson: story.mainSignedJson });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      valid: true,
      status: 'valid',
      certificate: shownCertificate(surfaceOf(births.main, story.main.certificateNo), story.main.licenceId, NOW),
      householdRegistered: false,
      checks: verificationChecks.validWithRegister,
    });
  });

  it('verifies the QR text printed in the PDF as valid', async () => {
    const pdf = await get(story.main.links.pdf, 'issuer', 'gz');
    const qr = await qrTextOf(pdf.body);
    const res = await verifyOverHttp(svc, { qr });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      valid: true,
      status: 'valid',
      certificate: shownCertificate(surfaceOf(births.main, story.main.certificateNo), story.main.licenceId, NOW),
      householdRegistered: false,
      checks: verificationChecks.validWithRegister,
    });
  });
});

describe('a home birth (no delivery record)', () => {
  it('is issued by the issuer from the full items and a paternity report: 201, kind out-of-institution', async () => {
    const body = applicationBodyFor(births.home);
    expect(body.deliveryId).toBeUndefined();
    const application = await submitApplication(svc, gz.issuer, body);
    expect(application.checks).toEqual([{ name: 'paternity-report', result: 'pass' }]);
    story.home = await issueApplication(svc, gz.issuer, application.id);
    expect(story.home).toEqual(issuedBody('Q440000002'));

    const record = await get(story.home.links.self, 'issuer', 'gz');
    expect(record.status).toBe(200);
    expect(record.body.certificate).toEqual(surfaceOf(births.home, 'Q440000002'));
    expect(record.body.history).toEqual([{ ...firstVersion(story.home), kind: 'out-of-institution' }]);
    expect(record.body.registration).toEqual({
      applicant: registrationOf(births.home).applicant,
      paternityReportNo: births.home.paternityReportNo,
    });
  });
});

describe('the parents claim their e-certificate', () => {
  const claim = (certificateNo: string, motherIdNumber: string, claimCode: string) =>
    svc.request('POST', '/api/v1/citizen/claims', { json: { certificateNo, motherIdNumber, claimCode } });
  const invalidClaim = errorOf('INVALID_CLAIM', 'The certificate number, mother ID number or claim code is wrong');
  /** A claim code that is certainly not the right one. */
  const wrongCodeFor = (code: string) => (code[0] === 'Z' ? 'Y' : 'Z') + code.slice(1);

  it('with the number, the mother ID number and the claim code: a token for that certificate', async () => {
    const res = await claim(story.main.certificateNo, births.main.mother.idNumber, story.main.claimCode);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      accessToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      tokenType: 'Bearer',
      expiresIn: 900,
    });
  });

  it("the token downloads that certificate's PDF and signed.json, and nothing of another certificate", async () => {
    const token = await claimToken(svc, story.main, births.main.mother.idNumber);
    const pdf = await svc.request('GET', story.main.links.pdf, { token });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const signed = await svc.request('GET', story.main.links.signedJson, { token });
    expect(signed.status).toBe(200);
    expect(signed.body).toEqual(story.mainSignedJson);

    const notYours = errorOf('FORBIDDEN', 'The claim token opens another certificate');
    for (const link of [story.home.links.pdf, story.home.links.signedJson]) {
      const res = await svc.request('GET', link, { token });
      expect(res.status).toBe(403);
      expect(res.body).toEqual(notYours);
    }
    const record = await svc.request('GET', story.main.links.self, { token });
    expect(record.status).toBe(403);
    expect(record.body).toEqual(forbiddenRole('citizen'));
  });

  it('a wrong claim code or mother ID number: 401 INVALID_CLAIM', async () => {
    const wrongCode = await claim(
      story.main.certificateNo,
      births.main.mother.idNumber,
      wrongCodeFor(story.main.claimCode),
    );
    expect(wrongCode.status).toBe(401);
    expect(wrongCode.body).toEqual(invalidClaim);
    const wrongMother = await claim(story.main.certificateNo, births.home.mother.idNumber, story.main.claimCode);
    expect(wrongMother.status).toBe(401);
    expect(wrongMother.body).toEqual(invalidClaim);
  });

  it('after 10 wrong claims the right code is refused too (9 are forgiven by a right one)', async () => {
    const { certificateNo, claimCode } = story.home;
    const mother = births.home.mother.idNumber;
    for (let i = 0; i < 9; i++) expect((await claim(certificateNo, mother, wrongCodeFor(claimCode))).status).toBe(401);
    expect((await claim(certificateNo, mother, claimCode)).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await claim(certificateNo, mother, wrongCodeFor(claimCode))).status).toBe(401);
    const locked = await claim(certificateNo, mother, claimCode);
    expect(locked.status).toBe(401);
    expect(locked.body).toEqual(invalidClaim);
  });
});

describe('replacement (换发) and reissue (补发)', () => {
  const correctedName = '李沐晨';
  const reason = '公安机关无法登记原姓名，更正新生儿姓名';

  it('a replacement correcting the name: 201 with a new number and version 002 of the same e-licence serial', async () => {
    const res = await post(
      `/api/v1/certificates/${story.main.certificateNo}/replacements`,
      'issuer',
      { reason, changes: { newborn: { name: correctedName } } },
      'gz',
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual(issuedBody('Q440000003'));
    const before = parseLicenceId(story.main.licenceId)!;
    expect(parseLicenceId(res.body.licenceId)).toEqual({ ...before, version: '002', check: expect.any(String) });
    expect(res.body.licenceId).toMatch(new RegExp(`\\.${before.serial}\\.002\\.[0-9A-Z]$`));
    story.replacement = res.body;
  });

  it('the old record is superseded, points at the new one, and both versions are in its history', async () => {
    const res = await get(story.main.links.self, 'issuer', 'gz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      certificate: surfaceOf(births.main, story.main.certificateNo),
      status: 'superseded',
      statusReason: reason,
      supersededBy: story.replacement.certificateNo,
      currentCertificateNo: story.replacement.certificateNo,
    });
    expect(res.body.history).toEqual([
      {
        ...firstVersion(story.main, 'superseded'),
        statusReason: reason,
        supersededBy: story.replacement.certificateNo,
      },
      {
        certificateNo: story.replacement.certificateNo,
        licenceId: story.replacement.licenceId,
        version: 2,
        kind: 'replacement',
        status: 'valid',
        issuedAt: ISSUED_AT,
        reason,
      },
    ]);
  });

  it('the new record carries the corrected name and the envelope names what it supersedes', async () => {
    const res = await get(story.replacement.links.self, 'issuer', 'gz');
    expect(res.status).toBe(200);
    const corrected = { ...births.main, newborn: { ...births.main.newborn, name: correctedName } };
    expect(res.body.certificate).toEqual(surfaceOf(corrected, story.replacement.certificateNo));
    expect(res.body.licence).toEqual(
      licenceOf(story.replacement.licenceId, correctedName, '002', {
        licenceId: story.main.licenceId,
        certificateNo: story.main.certificateNo,
      }),
    );
    expect(res.body).toMatchObject({ status: 'valid', supersededBy: null, supersedes: story.main.certificateNo });
  });

  it('the OLD signed.json now verifies as superseded, naming the successor', async () => {
    const res = await verifyOverHttp(svc, { signedJson: story.mainSignedJson });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      valid: false,
      status: 'superseded',
      reason: 'SUPERSEDED',
      supersededBy: story.replacement.certificateNo,
      certificate: shownCertificate(surfaceOf(births.main, story.main.certificateNo), story.main.licenceId, NOW),
      householdRegistered: false,
      checks: verificationChecks.statusFailed,
    });
  });

  it('a reissue of the current certificate: another number, and a chain of three in the history', async () => {
    const res = await post(
      `/api/v1/certificates/${story.replacement.certificateNo}/reissues`,
      'issuer',
      { reason: '原证遗失' },
      'gz',
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual(issuedBody('Q440000004'));
    story.reissue = res.body;

    const record = await get(story.reissue.links.self, 'issuer', 'gz');
    expect(record.status).toBe(200);
    expect(record.body.licence.version).toBe('003');
    expect(record.body.history).toEqual([
      {
        ...firstVersion(story.main, 'superseded'),
        statusReason: reason,
        supersededBy: story.replacement.certificateNo,
      },
      {
        certificateNo: story.replacement.certificateNo,
        licenceId: story.replacement.licenceId,
        version: 2,
        kind: 'replacement',
        status: 'superseded',
        issuedAt: ISSUED_AT,
        reason,
        statusReason: '原证遗失',
        supersededBy: story.reissue.certificateNo,
      },
      {
        certificateNo: story.reissue.certificateNo,
        licenceId: story.reissue.licenceId,
        version: 3,
        kind: 'reissue',
        status: 'valid',
        issuedAt: ISSUED_AT,
        reason: '原证遗失',
      },
    ]);
  });

  it('a replacement of a superseded certificate: 409 INVALID_STATE', async () => {
    const res = await post(
      `/api/v1/certificates/${story.main.certificateNo}/replacements`,
      'issuer',
      { reason, changes: { newborn: { name: '李木辰' } } },
      'gz',
    );
    expect(res.status).toBe(409);
    expect(res.body).toEqual(
      errorOf('INVALID_STATE', `Certificate ${story.main.certificateNo} is superseded`, [
        { path: 'certificateNo', message: `superseded by ${story.replacement.certificateNo}` },
      ]),
    );
  });
});

describe('void (作废)', () => {
  it('of a freshly issued certificate with PRINT_ERROR: 200, status void, and it verifies as VOID', async () => {
    const delivery = await recordDelivery(svc, gz.midwife, births.misprinted);
    story.misprintedDeliveryId = delivery.id;
    const application = await submitApplication(svc, gz.issuer, applicationBodyFor(births.misprinted, delivery.id));
    story.misprinted = await issueApplication(svc, gz.issuer, application.id);
    expect(story.misprinted.certificateNo).toBe('Q440000005');
    const signed = await get(story.misprinted.links.signedJson, 'issuer', 'gz');

    const res = await post(
      `/api/v1/certificates/${story.misprinted.certificateNo}/void`,
      'issuer',
      { reason: 'PRINT_ERROR' },
      'gz',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      certificateNo: story.misprinted.certificateNo,
      status: 'void',
      reason: 'PRINT_ERROR',
      voided: 'certificate',
    });
    const record = await get(story.misprinted.links.self, 'issuer', 'gz');
    expect(record.body).toMatchObject({ status: 'void', statusReason: 'PRINT_ERROR', currentCertificateNo: null });

    const verification = await verifyOverHttp(svc, { signedJson: signed.body });
    expect(verification.body).toEqual({
      valid: false,
      status: 'void',
      reason: 'VOID',
      certificate: shownCertificate(
        surfaceOf(births.misprinted, story.misprinted.certificateNo),
        story.misprinted.licenceId,
        NOW,
      ),
      householdRegistered: false,
      checks: verificationChecks.statusFailed,
    });
  });

  it('of an unused stock number with LOST_BLANK: 200 voided blank, and the next issue skips that number', async () => {
    story.blankNo = await nextStockNumber(svc, 'gz');
    expect(story.blankNo).toBe('Q440000006');
    const res = await post(`/api/v1/certificates/${story.blankNo}/void`, 'issuer', { reason: 'LOST_BLANK' }, 'gz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ certificateNo: story.blankNo, status: 'void', reason: 'LOST_BLANK', voided: 'blank' });

    // The late-entry delivery recorded earlier is issued now.
    const application = await submitApplication(svc, gz.issuer, applicationBodyFor(births.late, story.lateDeliveryId));
    story.lateIssued = await issueApplication(svc, gz.issuer, application.id);
    expect(story.lateIssued.certificateNo).toBe('Q440000007');
    const record = await get(story.lateIssued.links.self, 'issuer', 'gz');
    expect(record.body.registration).toEqual({
      ...registrationOf(births.late),
      lateEntryReason: '产妇转院，病历次日补录',
    });
  });
});

describe('household registration (落户) by the police', () => {
  const path = () => `/api/v1/certificates/${story.reissue.certificateNo}/household-registration`;
  const birthDate = births.main.newborn.birthTime.slice(0, 10);

  it('refuses a child ID number with another birth date: 400 naming childIdNumber', async () => {
    const dayBefore = new Date(Date.parse(`${birthDate}T00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const res = await post(path(), 'police', {
      childIdNumber: childIdNumber(dayBefore, '1'),
      registeredOn: TODAY,
      policeUnit: POLICE_UNIT,
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(
      errorOf('INVALID_REQUEST', 'The request is invalid', [
        { path: 'childIdNumber', message: 'childIdNumber does not carry the birth date on the certificate' },
      ]),
    );
  });

  it('records a child ID number matching the birth date and sex: 201', async () => {
    story.childIdNumber = childIdNumber(birthDate, births.main.newborn.sex as '1');
    const res = await post(path(), 'police', {
      childIdNumber: story.childIdNumber,
      registeredOn: TODAY,
      policeUnit: POLICE_UNIT,
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      certificateNo: story.reissue.certificateNo,
      householdRegistered: true,
      registeredOn: TODAY,
      policeUnit: POLICE_UNIT,
    });
  });

  it('the record shows the registration and verification shows householdRegistered', async () => {
    const record = await get(`${story.reissue.links.self}?purpose=${encodeURIComponent('落户核验')}`, 'police');
    expect(record.status).toBe(200);
    expect(record.body.householdRegistration).toEqual({
      certificateNo: story.reissue.certificateNo,
      childIdNumber: story.childIdNumber,
      registeredOn: TODAY,
      policeUnit: POLICE_UNIT,
    });
    const signed = await get(story.reissue.links.signedJson, 'issuer', 'gz');
    const verification = await verifyOverHttp(svc, { signedJson: signed.body });
    expect(verification.body).toMatchObject({ valid: true, status: 'valid', householdRegistered: true });
  });

  it("the admin sees the child's ID number masked, and agencies see every version of the birth as registered", async () => {
    const admin = await get(story.reissue.links.self, 'admin');
    expect(admin.body.householdRegistration).toEqual({
      certificateNo: story.reissue.certificateNo,
      childIdNumber: `${story.childIdNumber.slice(0, 2)}************${story.childIdNumber.slice(-4)}`,
      registeredOn: TODAY,
      policeUnit: POLICE_UNIT,
    });
    const search = await get(
      `/api/v1/certificates?motherIdNumber=${births.main.mother.idNumber}&purpose=${encodeURIComponent('社保登记核验')}`,
      'agency',
    );
    expect(
      search.body.results.map((r: { certificateNo: string; status: string; householdRegistered: boolean }) => [
        r.certificateNo,
        r.status,
        r.householdRegistered,
      ]),
    ).toEqual([
      [story.main.certificateNo, 'superseded', true],
      [story.replacement.certificateNo, 'superseded', true],
      [story.reissue.certificateNo, 'valid', true],
    ]);
  });

  it('a second registration of the same birth: 409 ALREADY_REGISTERED', async () => {
    const res = await post(path(), 'police', {
      childIdNumber: story.childIdNumber,
      registeredOn: TODAY,
      policeUnit: POLICE_UNIT,
    });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(
      errorOf('ALREADY_REGISTERED', `This birth was already registered on ${TODAY}`, [
        { path: 'certificateNo', message: `registered with certificate ${story.reissue.certificateNo}` },
      ]),
    );
  });
  it('a registered certificate can no longer be voided: 409 INVALID_STATE', async () => {
    const res = await post(
      `/api/v1/certificates/${story.reissue.certificateNo}/void`,
      'issuer',
      { reason: 'ENTRY_ERROR' },
      'gz',
    );
    expect(res.status).toBe(409);
    expect(res.body).toEqual(
      errorOf('INVALID_STATE', `Certificate ${story.reissue.certificateNo} was used for household registration`, [
        {
          path: 'certificateNo',
          message: 'already used for household registration (落户); replace or reissue it instead',
        },
      ]),
    );
  });
});

describe('a name with a rare character (吉𠮷)', () => {
  it('issues when the certificate fonts draw U+20BB7, else is refused with 400 naming newborn.name', async () => {
    const drawable = svc.running.service.fonts.faceFor(0x20bb7) !== null;
    const delivery = await recordDelivery(svc, gz.midwife, births.rareName);
    const body = applicationBodyFor(births.rareName, delivery.id);
    if (drawable) {
      const application = await submitApplication(svc, gz.issuer, body);
      const issued = await issueApplication(svc, gz.issuer, application.id);
      const record = await get(issued.links.self, 'issuer', 'gz');
      expect(record.body.certificate.newborn.name).toBe('吉𠮷');
      const pdf = await get(issued.links.pdf, 'issuer', 'gz');
      expect(pdf.status).toBe(200);
    } else {
      const res = await svc.request('POST', '/api/v1/applications', { token: gz.issuer, json: body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_REQUEST');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain('newborn.name');
    }
  });
});

describe('after a void for a printing or entry error', () => {
  it('the same birth is issued again under a new number (a new application on its delivery record)', async () => {
    // The misprinted certificate was voided before hand-over; the family still needs one.
    const record = await get(story.misprinted.links.self, 'issuer', 'gz');
    expect(record.body.status).toBe('void');
    const application = await submitApplication(
      svc,
      gz.issuer,
      applicationBodyFor(births.misprinted, story.misprintedDeliveryId),
    );
    const expectedNo = await nextStockNumber(svc, 'gz');
    const res = await svc.request('POST', `/api/v1/applications/${application.id}/issue`, { token: gz.issuer });
    expect(res.body).toEqual(issuedBody(expectedNo));
    expect(res.status).toBe(201);
  });
});

describe('the audit chain', () => {
  it('is intact and holds an event for every step of the story', async () => {
    const res = await get('/api/v1/audit-events/verify', 'auditor');
    expect(res.status).toBe(200);
    const trail = auditTrail(svc);
    expect(res.body).toEqual({ intact: true, events: trail.length, checkpoints: 0 });
    const events = trail.map((e) => `${e.action} ${e.target ?? '-'}`);
    const main = story.main.certificateNo;
    expect(events).toEqual(
      expect.arrayContaining([
        `delivery.recorded ${story.mainDeliveryId}`,
        `delivery.recorded ${story.lateDeliveryId}`,
        `application.submitted ${story.mainApplicationId}`,
        `application.submitted ${story.mismatchedApplicationId}`,
        `certificate.issued ${main}`,
        `certificate.read ${main}`,
        'certificate.searched -',
        `certificate.document-read ${main}`,
        `certificate.issued ${story.home.certificateNo}`,
        `citizen.claimed ${main}`,
        `citizen.downloaded ${main}`,
        `citizen.claim-failed ${main}`,
        `citizen.claim-failed ${story.home.certificateNo}`,
        `certificate.replaced ${story.replacement.certificateNo}`,
        `certificate.reissued ${story.reissue.certificateNo}`,
        `certificate.voided ${story.misprinted.certificateNo}`,
        `certificate.voided ${story.blankNo}`,
        `certificate.issued ${story.lateIssued.certificateNo}`,
        `household.registered ${story.reissue.certificateNo}`,
      ]),
    );
    // One issue event per certificate: the retried issue added none.
    expect(events.filter((e) => e === `certificate.issued ${main}`)).toHaveLength(1);
    // 19 wrong claims against the home birth, 1 wrong code + 1 wrong mother against the main one.
    expect(events.filter((e) => e === `citizen.claim-failed ${story.home.certificateNo}`)).toHaveLength(20);
    const purposes = trail.map((e) => e.purpose).filter((purpose) => purpose !== null);
    expect(purposes).toEqual(expect.arrayContaining(['落户核验', '医保参保核验', '落户']));
  });
});
