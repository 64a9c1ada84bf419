import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureRecord, fixtureRecords } from '../fixtures/records.ts';
import { statements } from '../storage-kit.ts';
import { startTestService, type TestService } from './harness.ts';
import {
  auditTrail,
  bornBefore,
  errorOf,
  frozenClock,
  issueApplication,
  recordDelivery,
  type Staff,
  staffOf,
} from './lifecycle-helpers.ts';

const { clock, now: NOW } = frozenClock();

let svc: TestService;
let gz: Staff;
let bj: Staff;
beforeAll(async () => {
  svc = await startTestService({ clock, env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  gz = await staffOf(svc, 'gz');
  bj = await staffOf(svc, 'bj');
});
afterAll(async () => {
  await svc?.stop();
});

/** What the parents type: the newborn's name, the father (or why absent) and who applies. */
function parentsPart(record: FixtureRecord) {
  return {
    newborn: { name: record.newborn.name },
    father: record.father,
    ...(record.fatherAbsentReason === undefined ? {} : { fatherAbsentReason: record.fatherAbsentReason }),
    applicant: {
      name: record.mother.name,
      relation: 'mother',
      idType: record.mother.idType,
      idNumber: record.mother.idNumber,
    },
  };
}

async function delivered(record: FixtureRecord) {
  const delivery = await recordDelivery(svc, gz.midwife, record);
  return { deliveryId: delivery.id, applicationCode: delivery.applicationCode as string };
}

const apply = (json: unknown) => svc.request('POST', '/api/v1/citizen/applications', { json });
const wrongClaim = errorOf('INVALID_CLAIM', "The application code or the mother's ID number is wrong", [
  { path: 'applicationCode', message: "the application code or the mother's ID number is wrong" },
]);

describe('online application (线上申领)', () => {
  const main = bornBefore(fixtureRecords[0]!, NOW, 1);
  const state = {} as { id: string; token: string; deliveryId: string; code: string };

  it('the delivery record carries a 10-character application code, stored only hashed', async () => {
    const { deliveryId, applicationCode } = await delivered(main);
    expect(applicationCode).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
    const stored = statements(svc.running.service.sql)
      .prepare('SELECT code_hash FROM application_codes WHERE delivery_id = ?')
      .get(deliveryId) as { code_hash: string };
    expect(stored.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(applicationCode);
    Object.assign(state, { deliveryId, code: applicationCode });
  });

  it('a wrong code or a wrong mother ID number is 401 with the same answer', async () => {
    const wrongCode = await apply({
      applicationCode: 'ABCDEFGHJK',
      motherIdNumber: main.mother.idNumber,
      ...parentsPart(main),
    });
    const wrongMother = await apply({
      applicationCode: state.code,
      motherIdNumber: fixtureRecords[2]!.mother.idNumber,
      ...parentsPart(main),
    });
    expect([wrongCode.status, wrongMother.status]).toEqual([401, 401]);
    expect(wrongCode.body).toEqual(wrongClaim);
    expect(wrongMother.body).toEqual(wrongClaim);
  });

  it('bad items come back as 400 naming the field, as for the issuer’s application', async () => {
    const body = { applicationCode: state.code, motherIdNumber: main.mother.idNumber, ...parentsPart(main) };
    const res = await apply({ ...body, father: { ...main.father!, idNumber: '440106199003074572' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['father.idNumber']);
    const shape = await apply({ ...body, newborn: {} });
    expect(shape.status).toBe(400);
    expect(shape.body.error.details.map((d: { path: string }) => d.path)).toEqual(['newborn.name']);
  });

  it('the code and the mother’s ID number submit the application → 201 with a token for it', async () => {
    const res = await apply({
      applicationCode: state.code.toLowerCase(),
      motherIdNumber: main.mother.idNumber,
      ...parentsPart(main),
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^A[A-Za-z0-9_-]{16}$/),
      status: 'submitted',
      accessToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      tokenType: 'Bearer',
      expiresIn: 1800,
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
    Object.assign(state, { id: res.body.id, token: res.body.accessToken });

    const again = await apply({
      applicationCode: state.code,
      motherIdNumber: main.mother.idNumber,
      ...parentsPart(main),
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INVALID_STATE');
  });

  it('the token reads its application and no other; no token is 401', async () => {
    const res = await svc.request('GET', `/api/v1/citizen/applications/${state.id}`, { token: state.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: state.id,
      status: 'submitted',
      submittedAt: NOW.toISOString(),
      newborn: { name: main.newborn.name },
    });
    const none = await svc.request('GET', `/api/v1/citizen/applications/${state.id}`);
    expect(none.status).toBe(401);
    const other = await svc.request('GET', '/api/v1/citizen/applications/Aanother-one-00000', { token: state.token });
    expect(other.status).toBe(403);
    const staff = await svc.request('GET', `/api/v1/citizen/applications/${state.id}`, { token: gz.issuer });
    expect(staff.status).toBe(401);
  });

  it('the issuer sees it in the queue with the cross-check preview, the other institution does not', async () => {
    const res = await svc.request('GET', '/api/v1/applications?status=submitted', { token: gz.issuer });
    expect(res.status).toBe(200);
    expect(res.body.applications).toContainEqual({
      id: state.id,
      channel: 'online',
      status: 'submitted',
      deliveryId: state.deliveryId,
      createdAt: NOW.toISOString(),
      newborn: { name: main.newborn.name },
      mother: { name: main.mother.name },
      applicant: { name: main.mother.name, relation: 'mother' },
      checks: [
        { name: 'mother', result: 'pass' },
        { name: 'newborn', result: 'pass' },
        { name: 'institution', result: 'pass' },
      ],
    });
    const other = await svc.request('GET', '/api/v1/applications', { token: bj.issuer });
    expect(other.body.applications.map((a: { id: string }) => a.id)).not.toContain(state.id);
    const bad = await svc.request('GET', '/api/v1/applications?status=lost', { token: gz.issuer });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([
      { path: 'status', message: 'status must be one of submitted, returned, issued' },
    ]);
  });

  it('returned for correction: the parents see the reason, issue is refused until they resubmit', async () => {
    const reason = '新生儿姓名与户口簿拟登记姓名不一致，请核对';
    const foreign = await svc.request('POST', `/api/v1/applications/${state.id}/return`, {
      token: bj.issuer,
      json: { reason },
    });
    expect(foreign.status).toBe(403);
    const res = await svc.request('POST', `/api/v1/applications/${state.id}/return`, {
      token: gz.issuer,
      json: { reason },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: state.id, status: 'returned', returnReason: reason });

    const status = await svc.request('GET', `/api/v1/citizen/applications/${state.id}`, { token: state.token });
    expect(status.body).toMatchObject({ status: 'returned', returnReason: reason, returnedAt: NOW.toISOString() });
    const issue = await svc.request('POST', `/api/v1/applications/${state.id}/issue`, { token: gz.issuer });
    expect(issue.status).toBe(409);
    expect(issue.body.error.code).toBe('INVALID_STATE');
    const queue = await svc.request('GET', '/api/v1/applications?status=returned', { token: gz.issuer });
    expect(queue.body.applications.map((a: { id: string; returnReason: string }) => [a.id, a.returnReason])).toEqual([
      [state.id, reason],
    ]);
    const twice = await svc.request('POST', `/api/v1/applications/${state.id}/return`, {
      token: gz.issuer,
      json: { reason },
    });
    expect(twice.status).toBe(409);
  });

  it('corrected and resubmitted → submitted with the new name; then issued and downloadable with the same token', async () => {
    const early = await svc.request('GET', `/api/v1/citizen/applications/${state.id}/pdf`, { token: state.token });
    expect(early.status).toBe(409);
    const corrected = { ...parentsPart(main), newborn: { name: '李沐阳' } };
    const bad = await svc.request('PUT', `/api/v1/citizen/applications/${state.id}`, {
      token: state.token,
      json: { ...corrected, applicant: { ...corrected.applicant, relation: 'aunt' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['applicant.relation']);
    const res = await svc.request('PUT', `/api/v1/citizen/applications/${state.id}`, {
      token: state.token,
      json: corrected,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: state.id,
      status: 'submitted',
      submittedAt: NOW.toISOString(),
      newborn: { name: '李沐阳' },
    });
    const notReturned = await svc.request('PUT', `/api/v1/citizen/applications/${state.id}`, {
      token: state.token,
      json: corrected,
    });
    expect(notReturned.status).toBe(409);

    const issued = await issueApplication(svc, gz.issuer, state.id);
    const status = await svc.request('GET', `/api/v1/citizen/applications/${state.id}`, { token: state.token });
    expect(status.body).toMatchObject({ status: 'issued', certificateNo: issued.certificateNo });
    const pdf = await svc.request('GET', `/api/v1/citizen/applications/${state.id}/pdf`, { token: state.token });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(pdf.body).subarray(0, 5).toString()).toBe('%PDF-');
    const signed = await svc.request('GET', `/api/v1/citizen/applications/${state.id}/signed.json`, {
      token: state.token,
    });
    expect(signed.status).toBe(200);
    expect(Object.keys(signed.body).sort()).toEqual(['payload', 'protected', 'signature']);
    const payload = JSON.parse(Buffer.from(signed.body.payload, 'base64url').toString());
    expect(payload.certificate.newborn.name).toBe('李沐阳');
    expect(
      auditTrail(svc)
        .filter((e) => e.target === state.id)
        .map((e) => e.action),
    ).toEqual(['application.submitted', 'application.returned', 'application.resubmitted']);
  });

  it('the code and ID number open the application again later', async () => {
    const res = await svc.request('POST', '/api/v1/citizen/application-sessions', {
      json: { applicationCode: state.code, motherIdNumber: main.mother.idNumber },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: state.id, tokenType: 'Bearer', expiresIn: 1800 });
    const status = await svc.request('GET', `/api/v1/citizen/applications/${state.id}`, {
      token: res.body.accessToken,
    });
    expect(status.body.status).toBe('issued');
  });

  it('tells subscribers of each step as an online application: submitted, returned, submitted again', async () => {
    const rows = statements(svc.running.service.sql)
      .prepare("SELECT type, body FROM events WHERE type LIKE 'cn.birth-certificate.application.%' ORDER BY seq")
      .all() as { type: string; body: string }[];
    const steps = rows
      .map(({ type, body }) => ({ type, data: JSON.parse(body).data as { applicationId: string; channel: string } }))
      .filter(({ data }) => data.applicationId === state.id)
      .map(({ type, data }) => [type, data.channel]);
    expect(steps).toEqual([
      ['cn.birth-certificate.application.submitted', 'online'],
      ['cn.birth-certificate.application.returned', 'online'],
      ['cn.birth-certificate.application.submitted', 'online'],
    ]);
  });

  it('a walk-in application cannot be returned to the parents', async () => {
    const record = bornBefore(fixtureRecords[2]!, NOW, 2);
    const { deliveryId } = await delivered(record);
    const walkIn = await svc.request('POST', '/api/v1/applications', {
      token: gz.issuer,
      json: { deliveryId, mother: record.mother, ...parentsPart(record) },
    });
    expect(walkIn.status).toBe(201);
    const res = await svc.request('POST', `/api/v1/applications/${walkIn.body.id}/return`, {
      token: gz.issuer,
      json: { reason: '请补充材料' },
    });
    expect(res.status).toBe(409);
    const queue = await svc.request('GET', '/api/v1/applications', { token: gz.issuer });
    expect(queue.body.applications.find((a: { id: string }) => a.id === walkIn.body.id)).toMatchObject({
      channel: 'walk-in',
      status: 'submitted',
    });
  });

  it('after 10 wrong codes with the right mother ID number the code is locked, even the right one', async () => {
    const record = bornBefore(fixtureRecords[3]!, NOW, 2);
    const { applicationCode } = await delivered(record);
    for (let i = 0; i < 10; i++) {
      const res = await apply({
        applicationCode: `WRONG${i}CODE`,
        motherIdNumber: record.mother.idNumber,
        ...parentsPart(record),
      });
      expect(res.status).toBe(401);
    }
    const right = await apply({ applicationCode, motherIdNumber: record.mother.idNumber, ...parentsPart(record) });
    expect(right.status).toBe(401);
    expect(right.body).toEqual(wrongClaim);
    expect(auditTrail(svc).filter((e) => e.action === 'citizen.application-refused').length).toBeGreaterThanOrEqual(11);
  });
});
