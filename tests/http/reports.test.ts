import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords } from '../fixtures/records.ts';
import { startTestService, type TestService } from './harness.ts';
import { bornBefore, demo, frozenClock, issueBirth, nextStockNumber, staffOf } from './lifecycle-helpers.ts';

const { clock, now } = frozenClock();
const year = now.getUTCFullYear();
const thisYear = `from=${year}-01-01&to=${year + 1}-01-01`;
let svc: TestService;
let statistician: string;

const get = async (path: string, token = statistician) => svc.request('GET', path, { token });

/*
 * gz issues five births (boys: records 0, 2, 6; girls: 1, 3), replaces one girl's certificate
 * (still one birth), reissues a boy's (still one birth), voids a girl's (no longer a birth) and
 * one blank number; bj issues one girl (record 4).
 */
beforeAll(async () => {
  svc = await startTestService({ clock });
  statistician = await svc.token('statistician');
  const gz = await staffOf(svc, 'gz');
  const bj = await staffOf(svc, 'bj');
  const issued = [];
  for (const i of [0, 1, 2, 3, 6]) issued.push(await issueBirth(svc, gz, bornBefore(fixtureRecords[i]!, now, 2 + i)));
  await issueBirth(svc, bj, bornBefore(fixtureRecords[4]!, now, 3, 'bj'));
  const ok = (res: { status: number }) => expect([200, 201]).toContain(res.status);
  ok(
    await svc.request('POST', `/api/v1/certificates/${issued[1]!.certificateNo}/replacements`, {
      token: gz.issuer,
      json: { reason: '姓名更正', changes: { newborn: { name: '陈思涵' } } },
    }),
  );
  ok(
    await svc.request('POST', `/api/v1/certificates/${issued[2]!.certificateNo}/reissues`, {
      token: gz.issuer,
      json: { reason: '原件遗失' },
    }),
  );
  ok(
    await svc.request('POST', `/api/v1/certificates/${issued[3]!.certificateNo}/void`, {
      token: gz.issuer,
      json: { reason: 'PRINT_ERROR' },
    }),
  );
  ok(
    await svc.request('POST', `/api/v1/certificates/${await nextStockNumber(svc, 'gz')}/void`, {
      token: gz.issuer,
      json: { reason: 'LOST_BLANK' },
    }),
  );
});
afterAll(async () => {
  await svc?.stop();
});

describe('health commission reports', () => {
  it('counts each birth once by its current certificate: sex ratio by institution', async () => {
    const res = await get(`/api/v1/reports/sex-ratio?${thisYear}`);
    expect(res.status).toBe(200);
    expect(res.body.groups).toEqual([
      { group: demo.bj.creditCode, boys: 0, girls: 1, births: 1, sexRatio: 0 },
      { group: demo.gz.creditCode, boys: 3, girls: 1, births: 4, sexRatio: 300 },
    ]);
    expect(res.body.total).toEqual({ boys: 3, girls: 2, births: 5, sexRatio: 150 });
  });

  it('groups by birth-place division on request', async () => {
    const res = await get(`/api/v1/reports/sex-ratio?${thisYear}&groupBy=division`);
    expect(res.body.groups).toEqual([
      { group: demo.bj.divisionCode, boys: 0, girls: 1, births: 1, sexRatio: 0 },
      { group: demo.gz.divisionCode, boys: 3, girls: 1, births: 4, sexRatio: 300 },
    ]);
  });

  it('lists the birth register of one institution with masked ID numbers', async () => {
    const res = await get(`/api/v1/reports/birth-register?${thisYear}&institution=${demo.gz.creditCode}`);
    expect(res.status).toBe(200);
    expect(res.body.births).toHaveLength(4);
    expect(res.body.births.map((b: { newborn: { name: string } }) => b.newborn.name).sort()).toEqual(
      ['李沐宸', '艾力·买买提', '吉𠮷', '陈思涵'].sort(),
    );
    for (const birth of res.body.births) expect(birth.mother.idNumber).toMatch(/^\d{2}\*{12}\d{3}[\dX]$/);
  });

  it('accounts for every number: stock, issues by kind, voids by reason, void rate, live births', async () => {
    const res = await get(`/api/v1/reports/certificate-usage?${thisYear}&institution=${demo.gz.creditCode}`);
    expect(res.status).toBe(200);
    const received = demo.gz.numbers.lastNo - demo.gz.numbers.firstNo + 1;
    expect(res.body).toEqual({
      period: { from: `${year}-01-01`, to: `${year + 1}-01-01` },
      institution: demo.gz.creditCode,
      stockAtStart: 0,
      received,
      issued: { first: 4, outOfInstitution: 0, replacement: 1, reissue: 1 },
      voids: { printOrEntryError: 1, lostBlank: 1, other: 0 },
      stockAtEnd: received - 8,
      voidRate: 0.25,
      liveBirths: 5,
    });
  });

  it('refuses a bad period or institution with 400 naming the parameter, and other roles with 403', async () => {
    const bad = await get('/api/v1/reports/sex-ratio?from=2026-13-01');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ path: 'from', message: 'from must be a date YYYY-MM-DD' }]);
    const noInstitution = await get('/api/v1/reports/certificate-usage');
    expect(noInstitution.body.error.details).toEqual([
      { path: 'institution', message: 'institution must be a unified social credit code' },
    ]);
    const police = await get('/api/v1/reports/sex-ratio', await svc.token('police'));
    expect(police.status).toBe(403);
  });
});
