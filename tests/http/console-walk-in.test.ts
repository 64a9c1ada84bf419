/**
 * The issuer's walk-in form over HTTP: errors beside their boxes, another institution's delivery
 * record refused, and no input — in the walk-in or the 换发 form — that makes the service fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationBodyFor, fixtureRecords, withAnotherMother } from '../fixtures/records.ts';
import { type ConsoleClient, consoleClient, errorBeside, formBoxes } from './console-session.ts';
import { startTestService, type TestService } from './harness.ts';
import { bornBefore, issueApplication, recordDelivery, staffOf, submitApplication } from './lifecycle-helpers.ts';

let svc: TestService;
let issuer: ConsoleClient;
let certificateNo: string;
let bjDelivery: string;
let gzDelivery: string;
let issuedDelivery: string;
const record = bornBefore(withAnotherMother(fixtureRecords[0]!, 91), new Date(), 2);

beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  const gz = await staffOf(svc, 'gz');
  gzDelivery = (await recordDelivery(svc, gz.midwife, record)).id;
  const bj = await staffOf(svc, 'bj');
  bjDelivery = (
    await recordDelivery(svc, bj.midwife, bornBefore(withAnotherMother(fixtureRecords[1]!, 92), new Date(), 2, 'bj'))
  ).id;
  const issuedBirth = bornBefore(withAnotherMother(fixtureRecords[0]!, 93), new Date(), 4);
  issuedDelivery = (await recordDelivery(svc, gz.midwife, issuedBirth)).id;
  const application = await submitApplication(svc, gz.issuer, applicationBodyFor(issuedBirth, issuedDelivery));
  certificateNo = (await issueApplication(svc, gz.issuer, application.id)).certificateNo;
  issuer = await consoleClient(svc, 'issuer');
});
afterAll(async () => {
  await svc?.stop();
});

describe('the walk-in form', () => {
  it('lists the delivery records not yet issued, and opens one pre-filled with the mother', async () => {
    const list = await issuer.get('/console/issuer/walk-in');
    expect(list.html).toContain(`href="/console/issuer/walk-in/deliveries/${gzDelivery}"`);
    // A birth with its certificate is not offered again.
    expect(list.html).not.toContain(issuedDelivery);
    const form = await issuer.get(`/console/issuer/walk-in/deliveries/${gzDelivery}`);
    expect(form.status).toBe(200);
    expect(formBoxes(form.html, 'walk-in-form')).toMatchObject({
      deliveryId: gzDelivery,
      'newborn.name': '',
      'mother.name': record.mother.name,
      'mother.idNumber': record.mother.idNumber,
      'applicant.idNumber': record.mother.idNumber,
      'applicant.relation': 'mother',
    });
  });

  it("another institution's delivery record is the 403 page, an unknown one the 404 page", async () => {
    expect((await issuer.get(`/console/issuer/walk-in/deliveries/${bjDelivery}`)).status).toBe(403);
    expect((await issuer.get('/console/issuer/walk-in/deliveries/D-nothing')).status).toBe(404);
    const posted = await issuer.post('/console/issuer/walk-in', { deliveryId: bjDelivery, 'newborn.name': '某' });
    expect(posted.status).toBe(403);
    expect(posted.html).toContain('<h1>无权访问此页面</h1>');
  });

  it('bad input comes back with each error beside its box and what was typed kept', async () => {
    const form = formBoxes((await issuer.get(`/console/issuer/walk-in/deliveries/${gzDelivery}`)).html, 'walk-in-form');
    const res = await issuer.post('/console/issuer/walk-in', {
      ...form,
      'newborn.name': '李沐宸',
      'father.name': '李建国',
      'father.age': '5',
      'father.address': '广东省广州市',
      'father.idNumber': record.father!.idNumber,
    });
    expect(res.status).toBe(400);
    expect(errorBeside(res.html, 'father.age')).toBe('数值过小。');
    expect(errorBeside(res.html, 'newborn.name')).toBe('');
    expect(formBoxes(res.html, 'walk-in-form')['father.age']).toBe('5');
  });

  it('a walk-in entered through the form is in the queue as 窗口, and its review opens', async () => {
    const form = formBoxes((await issuer.get(`/console/issuer/walk-in/deliveries/${gzDelivery}`)).html, 'walk-in-form');
    const father = record.father!;
    const res = await issuer.post('/console/issuer/walk-in', {
      ...form,
      'newborn.name': record.newborn.name,
      'father.name': father.name,
      'father.age': String(father.age),
      'father.nationality': father.nationality,
      'father.ethnicity': father.ethnicity ?? '',
      'father.address': father.address,
      'father.idType': father.idType,
      'father.idNumber': father.idNumber,
    });
    expect(res.status).toBe(303);
    expect(res.location).toMatch(/^\/console\/issuer\/applications\/[A-Za-z0-9_-]+$/);
    const queue = await issuer.get('/console/issuer');
    expect(queue.html).toContain(`href="${res.location}"`);
    expect(queue.html).toContain('渠道：窗口');
  });

  it('nothing typed into the walk-in or the 换发 form makes a 5xx', async () => {
    const junk = [
      '',
      ' ',
      'abc',
      '-1',
      '1e9',
      '99999999999',
      '2026-13-45T25:61',
      'x'.repeat(300),
      '\u202e\u0000',
      '<b>',
    ];
    const boxes = [
      'newborn.name',
      'newborn.sex',
      'newborn.birthTime',
      'newborn.gestation.weeks',
      'newborn.weightGrams',
      'newborn.lengthCm',
      'birthPlaceCategory',
      'birthPlace.divisionCode',
      'deliveryInstitution.creditCode',
      'mother.age',
      'mother.nationality',
      'mother.ethnicity',
      'mother.idType',
      'mother.idNumber',
      'fatherAbsent',
      'father.idNumber',
      'applicant.relation',
      'deliveryId',
      'step',
    ];
    const outside = formBoxes((await issuer.get('/console/issuer/walk-in/outside')).html, 'walk-in-form');
    const replace = formBoxes(
      (await issuer.get(`/console/issuer/certificates/${certificateNo}/replace`)).html,
      'replace-form',
    );
    const statuses = new Set<number>();
    for (const box of boxes) {
      for (const value of junk) {
        for (const [path, base] of [
          ['/console/issuer/walk-in', outside],
          ['/console/issuer/walk-in/validate', outside],
          [`/console/issuer/certificates/${certificateNo}/replace`, { ...replace, reason: '核对' }],
          [`/console/issuer/certificates/${certificateNo}/replace/validate`, replace],
        ] as const) {
          const res = await issuer.post(path, { ...base, [box]: value });
          statuses.add(res.status);
          expect(res.status, `${path} ${box}=${JSON.stringify(value)}`).toBeLessThan(500);
        }
      }
    }
    expect([...statuses].every((s) => [200, 400, 403, 404, 409].includes(s))).toBe(true);
  });
});
