import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationBodyFor, deliveryBodyFor, fixtureRecords } from '../fixtures/records.ts';
import { startTestService, type TestService } from './harness.ts';
import { bornBefore, claimToken, frozenClock, issueBirth, type Staff, staffOf } from './lifecycle-helpers.ts';

const { clock, now: NOW } = frozenClock();
let svc: TestService;
let gz: Staff;

beforeAll(async () => {
  svc = await startTestService({ clock, env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  gz = await staffOf(svc, 'gz');
});
afterAll(async () => {
  await svc?.stop();
});

describe('names', () => {
  it.each([
    ['   ', '母亲姓名 (mother.name) must not be blank or only spaces and invisible characters'],
    [' 王芳', '母亲姓名 (mother.name) must not start or end with a space'],
    ['王\u00ad芳', '母亲姓名 (mother.name) contains invisible characters: U+00AD'],
    ['王\ufe0f芳', '母亲姓名 (mother.name) contains invisible characters: U+FE0F'],
    [`王${'\u0301'.repeat(40)}芳`, '母亲姓名 (mother.name) stacks more than 4 combining marks on one character'],
  ])('refuses the mother name %j with a 400 naming the field', async (name, message) => {
    const body = deliveryBodyFor(bornBefore(fixtureRecords[0]!, NOW, 1));
    body.mother.name = name;
    const res = await svc.request('POST', '/api/v1/deliveries', { token: gz.midwife, json: body });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'mother.name', item: '母亲姓名', message }]);
  });

  it('refuses a purpose of invisible characters with 400 PURPOSE_REQUIRED', async () => {
    const record = bornBefore(fixtureRecords[1]!, NOW, 2);
    const issued = await issueBirth(svc, gz, record);
    const police = await svc.token('police');
    const res = await svc.request('GET', `${issued.links.self}?purpose=${encodeURIComponent('\u200b\u200b\u200b')}`, {
      token: police,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('PURPOSE_REQUIRED');
  });
});

describe('citizen tokens', () => {
  it('die when the issuer hands out a new claim code', async () => {
    const record = bornBefore(fixtureRecords[2]!, NOW, 3);
    const issued = await issueBirth(svc, gz, record);
    const token = await claimToken(svc, issued, record.mother.idNumber);
    expect((await svc.request('GET', issued.links.signedJson, { token })).status).toBe(200);
    const code = await svc.request('POST', `/api/v1/certificates/${issued.certificateNo}/claim-code`, {
      token: gz.issuer,
    });
    expect(code.status).toBe(200);
    const after = await svc.request('GET', issued.links.signedJson, { token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('are told a superseded version was superseded, and by which number, instead of downloading it', async () => {
    const record = bornBefore(fixtureRecords[3]!, NOW, 4);
    const issued = await issueBirth(svc, gz, record);
    const token = await claimToken(svc, issued, record.mother.idNumber);
    const replaced = await svc.request('POST', `/api/v1/certificates/${issued.certificateNo}/replacements`, {
      token: gz.issuer,
      json: { reason: '更正新生儿姓名', changes: { newborn: { name: '李安然' } } },
    });
    expect(replaced.status).toBe(201);
    for (const link of [issued.links.pdf, issued.links.signedJson]) {
      const download = await svc.request('GET', link, { token });
      expect(download.status).toBe(409);
      expect(download.body.error).toEqual({
        code: 'INVALID_STATE',
        message: 'This certificate was superseded; only its history is shown',
        details: [{ path: 'certificateNo', message: `superseded by ${replaced.body.certificateNo}` }],
      });
    }
  });
});

describe("a midwife's delivery record", () => {
  it("refuses a hospital birth outside her institution's division, naming birthPlace.divisionCode", async () => {
    const record = bornBefore(fixtureRecords[0]!, NOW, 5);
    record.birthPlace = { divisionCode: '110105' };
    const res = await svc.request('POST', '/api/v1/deliveries', { token: gz.midwife, json: deliveryBodyFor(record) });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      {
        path: 'birthPlace.divisionCode',
        message:
          "birthPlace.divisionCode must be 440106, the division of the midwife's institution, for a birth in a hospital or MCH institution; a birth elsewhere is recorded by the issuer as an application without a delivery record",
      },
    ]);
  });

  it('leaves a birth outside an institution elsewhere to the out-of-institution application', async () => {
    const home = bornBefore(fixtureRecords[7]!, NOW, 6);
    home.birthPlace = { divisionCode: '530102' };
    expect(home.birthPlaceCategory).toBe('3');
    const res = await svc.request('POST', '/api/v1/applications', { token: gz.issuer, json: applicationBodyFor(home) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});
