import { afterAll, beforeAll, expect, it } from 'vitest';
import { citizenIdCheckCharacter } from '../../src/domain/check/citizen-id.ts';
import {
  applicationBodyFor,
  chinaTime,
  deliveryBodyFor,
  type FixtureRecord,
  fixtureRecords,
  withAnotherMother,
  withBirthTime,
} from '../fixtures/records.ts';
import { startTestService, type TestService } from './harness.ts';
import {
  bornBefore,
  issueApplication,
  issueBirth,
  recordDelivery,
  staffOf,
  submitApplication,
} from './lifecycle-helpers.ts';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc?.stop();
});

const refusal = (which: string) => ({
  error: {
    code: 'ALREADY_ISSUED',
    message: `The same mother holds ${which} for a birth within 280 days of this one; a second certificate needs a multiple-birth declaration (multipleBirth and birthOrder) that agrees with it`,
    details: [
      { path: 'newborn.birthTime', message: `the same mother holds ${which} for a birth within 280 days` },
      {
        path: 'multipleBirth',
        message:
          'two babies of one multiple birth state the same multipleBirth, different birthOrder, and births within 24 hours',
      },
    ],
  },
});

/** The birth entered at Beijing as a birth outside an institution (家庭), the path without a delivery record. */
async function issueAsHomeBirthAtBj(birth: FixtureRecord, declaration: Record<string, number> = {}) {
  const bj = await staffOf(svc, 'bj');
  const { deliveryId: _none, ...asHomeBirth } = applicationBodyFor(birth, 'unused') as unknown as Record<
    string,
    unknown
  >;
  const application = await submitApplication(svc, bj.issuer, {
    ...asHomeBirth,
    newborn: { ...birth.newborn },
    birthPlace: birth.birthPlace,
    birthPlaceCategory: '3',
    paternityReportNo: 'GZ-SFJD-2026-00001',
    ...declaration,
  });
  return svc.request('POST', `/api/v1/applications/${application.id}/issue`, { token: bj.issuer });
}

it('refuses a second certificate for a birth that holds one, through the path without a delivery record', async () => {
  const birth = bornBefore(fixtureRecords[0]!, new Date(), 2);
  await issueBirth(svc, await staffOf(svc, 'gz'), birth);

  // The other institution enters the same mother, birth time and sex as a home birth.
  const res = await issueAsHomeBirthAtBj(birth);
  expect(res.status).toBe(409);
  expect(res.body).toEqual(refusal('a valid certificate of another institution'));
});

it('refuses the same mother at another institution with a birth one minute later, or the other sex, without naming the certificate', async () => {
  const birth = withAnotherMother(bornBefore(fixtureRecords[0]!, new Date(), 3), 2);
  const first = await issueBirth(svc, await staffOf(svc, 'gz'), birth);

  const minuteLater = withBirthTime(birth, chinaTime(new Date(Date.parse(birth.newborn.birthTime) + 60_000)));
  const later = await issueAsHomeBirthAtBj(minuteLater);
  const otherSex = structuredClone(birth);
  otherSex.newborn.sex = birth.newborn.sex === '1' ? '2' : '1';
  const sex = await issueAsHomeBirthAtBj(otherSex);

  for (const res of [later, sex]) {
    expect(res.status).toBe(409);
    expect(res.body).toEqual(refusal('a valid certificate of another institution'));
    expect(JSON.stringify(res.body)).not.toContain(first.certificateNo);
  }
});

it('names the existing certificate when it is the caller’s own institution’s', async () => {
  const birth = withAnotherMother(bornBefore(fixtureRecords[0]!, new Date(), 4), 3);
  const gz = await staffOf(svc, 'gz');
  const first = await issueBirth(svc, gz, birth);
  const delivery = await recordDelivery(
    svc,
    gz.midwife,
    withBirthTime(birth, chinaTime(new Date(Date.now() - 3_600_000))),
  );
  const application = await submitApplication(svc, gz.issuer, applicationBodyFor(birth, delivery.id));
  const res = await svc.request('POST', `/api/v1/applications/${application.id}/issue`, { token: gz.issuer });
  expect(res.status).toBe(409);
  expect(res.body).toEqual(refusal(`certificate ${first.certificateNo}`));
});

it('issues both twins born in the same minute when each delivery record declares plurality and birth order', async () => {
  const twin = withAnotherMother(bornBefore(fixtureRecords[0]!, new Date(), 5), 4);
  const gz = await staffOf(svc, 'gz');
  const issued = [];
  for (const birthOrder of [1, 2]) {
    const delivery = await recordDelivery(svc, gz.midwife, twin, { multipleBirth: 2, birthOrder });
    const application = await submitApplication(svc, gz.issuer, applicationBodyFor(twin, delivery.id));
    issued.push(await issueApplication(svc, gz.issuer, application.id));
  }
  expect(issued.map((c) => c.status)).toEqual(['valid', 'valid']);
  expect(issued[0]!.certificateNo).not.toBe(issued[1]!.certificateNo);

  // A third baby of the same twins, or one the other institution enters without the declaration, is refused.
  expect((await issueAsHomeBirthAtBj(twin, { multipleBirth: 2, birthOrder: 2 })).status).toBe(409);
});

it('refuses a birth order without a multiple birth, or past the plurality, with a 400 naming birthOrder', async () => {
  const birth = withAnotherMother(bornBefore(fixtureRecords[0]!, new Date(), 6), 5);
  const midwife = await svc.token('midwife', 'gz');
  for (const extra of [{ birthOrder: 1 }, { multipleBirth: 2, birthOrder: 3 }, { multipleBirth: 3 }]) {
    const res = await svc.request('POST', '/api/v1/deliveries', {
      token: midwife,
      json: { ...deliveryBodyFor(birth), ...extra },
    });
    expect(res.status, JSON.stringify(extra)).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['birthOrder']);
  }
});

it('refuses a hospital birth without its delivery record with a 400 naming deliveryId', async () => {
  const birth = bornBefore(fixtureRecords[1]!, new Date(), 2);
  const { deliveryId: _none, ...body } = applicationBodyFor(birth, 'unused') as unknown as Record<string, unknown>;
  const res = await svc.request('POST', '/api/v1/applications', {
    token: await svc.token('issuer', 'gz'),
    json: {
      ...body,
      newborn: { ...birth.newborn },
      birthPlace: birth.birthPlace,
      birthPlaceCategory: '1',
      deliveryInstitution: { name: '北京市朝阳区示范妇产医院', creditCode: '121101054000005672' },
      paternityReportNo: 'X-1',
    },
  });
  expect(res.status).toBe(400);
  expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain('deliveryId');
});

it('refuses a replacement that moves the birth away from its delivery record', async () => {
  const birth = bornBefore(fixtureRecords[2]!, new Date(), 3);
  const issued = await issueBirth(svc, await staffOf(svc, 'gz'), birth);
  const res = await svc.request('POST', `/api/v1/certificates/${issued.certificateNo}/replacements`, {
    token: await svc.token('issuer', 'gz'),
    json: { reason: '更正', changes: { newborn: { sex: '2' }, mother: { idNumber: '11010519491231002X' } } },
  });
  expect(res.status).toBe(409);
  expect(res.body.error.code).toBe('CROSS_CHECK_FAILED');
  expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
    'changes.mother.idNumber',
    'changes.newborn.sex',
  ]);
});

it('revokes a fraudulent certificate: verification answers REVOKED and it can be neither replaced nor claimed', async () => {
  const birth = bornBefore(fixtureRecords[6]!, new Date(), 4);
  const issued = await issueBirth(svc, await staffOf(svc, 'gz'), birth);
  const revoked = await svc.request('POST', `/api/v1/certificates/${issued.certificateNo}/revoke`, {
    token: await svc.token('admin'),
    json: { reason: '冒用他人身份申领' },
  });
  expect(revoked.status).toBe(200);
  expect(revoked.body).toEqual({ certificateNo: issued.certificateNo, status: 'revoked', reason: '冒用他人身份申领' });
  const signed = await svc.request('GET', issued.links.signedJson, { token: await svc.token('issuer', 'gz') });
  const verdict = await svc.request('POST', '/api/v1/verifications', { json: { signedJson: signed.body } });
  expect(verdict.body).toMatchObject({ valid: false, status: 'revoked', reason: 'REVOKED' });
  const replace = await svc.request('POST', `/api/v1/certificates/${issued.certificateNo}/replacements`, {
    token: await svc.token('issuer', 'gz'),
    json: { reason: '更正', changes: { newborn: { name: '吉祥' } } },
  });
  expect(replace.status).toBe(409);
  const claim = await svc.request('POST', '/api/v1/citizen/claims', {
    json: { certificateNo: issued.certificateNo, motherIdNumber: birth.mother.idNumber, claimCode: issued.claimCode },
  });
  expect(claim.status).toBe(401);
});

it('asks for a paternity report when a correction names another father, not when it spells his name', async () => {
  const birth = bornBefore(fixtureRecords[3]!, new Date(), 5);
  const issued = await issueBirth(svc, await staffOf(svc, 'gz'), birth);
  const token = await svc.token('issuer', 'gz');
  const url = `/api/v1/certificates/${issued.certificateNo}/replacements`;
  // Another man born the same day: same age, a different ID number.
  const first17 = `${birth.father!.idNumber.slice(0, 14)}951`;
  const otherFather = { ...birth.father!, name: '王建华', idNumber: first17 + citizenIdCheckCharacter(first17) };
  const refused = await svc.request('POST', url, {
    token,
    json: { reason: '父亲信息变更', changes: { father: otherFather } },
  });
  expect(refused.status).toBe(400);
  expect(refused.body.error.details).toEqual([
    {
      path: 'paternityReportNo',
      message: 'paternityReportNo is required when the correction changes who the father is',
    },
  ]);
  const spelled = await svc.request('POST', url, {
    token,
    json: { reason: '父亲姓名笔误', changes: { father: { name: `${birth.father!.name.slice(0, 1)}建华` } } },
  });
  expect(spelled.status).toBe(201);
});
