/**
 * The issuer's 换发 form over HTTP: every item pre-filled, checked with the API's rules, only the
 * changed items sent, a summary before the new certificate is signed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords, withAnotherMother } from '../fixtures/records.ts';
import { type ConsoleClient, consoleClient, errorBeside, formBoxes } from './console-session.ts';
import { startTestService, type TestService } from './harness.ts';
import { bornBefore, type Issued, issueBirth, staffOf } from './lifecycle-helpers.ts';

let svc: TestService;
let issuer: ConsoleClient;
let issued: Issued;
const record = bornBefore(withAnotherMother(fixtureRecords[0]!, 41), new Date(), 3);

beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  issued = await issueBirth(svc, await staffOf(svc, 'gz'), record);
  issuer = await consoleClient(svc, 'issuer');
});
afterAll(async () => {
  await svc?.stop();
});

const formPath = () => `/console/issuer/certificates/${issued.certificateNo}/replace`;
const statusOf = async (no: string) =>
  (await svc.request('GET', `/api/v1/certificates/${no}`, { token: await svc.token('issuer', 'gz') })).body.status;

describe('the 换发 form', () => {
  it('is pre-filled with every item of the certificate as it stands', async () => {
    const page = await issuer.get(formPath());
    expect(page.status).toBe(200);
    const boxes = formBoxes(page.html, 'replace-form');
    expect(boxes).toMatchObject({
      reason: '',
      'newborn.name': record.newborn.name,
      'newborn.sex': record.newborn.sex,
      'newborn.birthTime': record.newborn.birthTime.slice(0, 16),
      'newborn.gestation.weeks': String(record.newborn.gestation.weeks),
      'newborn.gestation.days': String(record.newborn.gestation.days),
      'newborn.weightGrams': String(record.newborn.weightGrams),
      'newborn.lengthCm': String(record.newborn.lengthCm),
      'newborn.health': record.newborn.health,
      birthPlaceCategory: record.birthPlaceCategory,
      'birthPlace.divisionCode': '440106',
      'mother.name': record.mother.name,
      'mother.age': String(record.mother.age),
      'mother.idNumber': record.mother.idNumber,
      fatherAbsent: '',
      'father.name': record.father!.name,
      'father.idNumber': record.father!.idNumber,
      paternityReportNo: '',
    });
    expect(boxes['deliveryInstitution.creditCode']).toMatch(/^[0-9A-Z]{18}$/);
  });

  it('an unchanged form is refused plainly and nothing is issued', async () => {
    const boxes = formBoxes((await issuer.get(formPath())).html, 'replace-form');
    const res = await issuer.post(formPath(), { ...boxes, reason: '核对无误', step: 'review' });
    expect(res.status).toBe(400);
    expect(res.html).toContain(
      '<p class="alert" role="alert">没有修改任何项目：请先修改需要更正的项目，再提交换发。</p>',
    );
    expect(await statusOf(issued.certificateNo)).toBe('valid');
  });

  it('bad input comes back with each error beside its field and the typed values kept', async () => {
    const boxes = formBoxes((await issuer.get(formPath())).html, 'replace-form');
    const res = await issuer.post(formPath(), {
      ...boxes,
      reason: '',
      'mother.idNumber': `${record.mother.idNumber.slice(0, 17)}${record.mother.idNumber.endsWith('0') ? '1' : '0'}`,
      'newborn.weightGrams': '120',
      step: 'review',
    });
    expect(res.status).toBe(400);
    expect(errorBeside(res.html, 'mother.idNumber')).toBe('身份证号码校验位不正确，请核对。');
    expect(errorBeside(res.html, 'newborn.weightGrams')).toBe('数值过小。');
    expect(errorBeside(res.html, 'reason')).toBe('此项必填。');
    expect(errorBeside(res.html, 'newborn.name')).toBe('');
    expect(formBoxes(res.html, 'replace-form')['newborn.weightGrams']).toBe('120');
  });

  it('the as-you-type check answers with the error paragraphs only, judging what was typed', async () => {
    const boxes = formBoxes((await issuer.get(formPath())).html, 'replace-form');
    const res = await issuer.post(`${formPath()}/validate`, { ...boxes, 'mother.age': '7' });
    expect(res.status).toBe(200);
    expect(res.html).not.toContain('<form');
    expect(res.html).toContain('<p class="error" id="f-mother-age-error" hx-swap-oob="true">数值过小。</p>');
    // The reason is not yet typed: no error beside it while typing.
    expect(res.html).toContain('<p class="error" id="f-reason-error" hx-swap-oob="true"></p>');
  });

  it('a birth-record item cannot be changed away from the delivery record', async () => {
    const boxes = formBoxes((await issuer.get(formPath())).html, 'replace-form');
    const otherSex = record.newborn.sex === '1' ? '2' : '1';
    const summary = await issuer.post(formPath(), {
      ...boxes,
      reason: '更正性别',
      'newborn.sex': otherSex,
      step: 'confirm',
    });
    expect(summary.status).toBe(409);
    expect(errorBeside(summary.html, 'newborn.sex')).toBe('与分娩记录不一致，换发不能改变分娩时记录的这一项。');
    expect(await statusOf(issued.certificateNo)).toBe('valid');
  });

  it('another father needs the paternity report number, named beside its box', async () => {
    const boxes = formBoxes((await issuer.get(formPath())).html, 'replace-form');
    const res = await issuer.post(formPath(), {
      ...boxes,
      reason: '更正父亲',
      'father.idType': '99',
      'father.idNumber': 'P1234567',
      step: 'confirm',
    });
    expect(res.status).toBe(400);
    expect(errorBeside(res.html, 'paternityReportNo')).toBe('更换父亲时须填写亲子鉴定证明编号。');
  });

  it('a change shows a summary of only what changes, then signs the new certificate on confirming', async () => {
    const boxes = formBoxes((await issuer.get(formPath())).html, 'replace-form');
    const changed = {
      ...boxes,
      reason: '公安机关无法登记原姓名中的生僻字，更正新生儿姓名',
      'newborn.name': '李沐晨',
      'mother.address': '广东省广州市天河区天河北路1号',
    };
    const summary = await issuer.post(formPath(), { ...changed, step: 'review' });
    expect(summary.status).toBe(200);
    const rows = [
      ...summary.html.matchAll(
        /<tr><th scope="row">([^<]*)<\/th><td data-label="[^"]*">([^<]*)<\/td><td data-label="[^"]*"><strong>([^<]*)<\/strong><\/td><\/tr>/g,
      ),
    ].map((m) => m.slice(1));
    expect(rows).toEqual([
      ['新生儿姓名', record.newborn.name, '李沐晨'],
      ['母亲住址', record.mother.address, '广东省广州市天河区天河北路1号'],
    ]);
    expect(await statusOf(issued.certificateNo)).toBe('valid');

    // 返回修改 brings the form back as it was typed.
    const back = await issuer.post(formPath(), { ...changed, step: 'edit' });
    expect(formBoxes(back.html, 'replace-form')['newborn.name']).toBe('李沐晨');

    const done = await issuer.post(formPath(), { ...changed, step: 'confirm' });
    expect(done.status).toBe(201);
    const newNo = /<h1>出生医学证明 ([A-Z][0-9]{9})<\/h1>/.exec(done.html)?.[1];
    expect(newNo).toBeDefined();
    expect(newNo).not.toBe(issued.certificateNo);
    expect(done.html).toContain(`已换发，原证 ${issued.certificateNo} 已被此证替代。`);
    expect(done.html).toMatch(/<p class="code">[2-9A-HJKMNP-Z]{10}<\/p>/);
    expect(await statusOf(issued.certificateNo)).toBe('superseded');
    const current = await svc.request('GET', `/api/v1/certificates/${newNo}`, {
      token: await svc.token('issuer', 'gz'),
    });
    expect(current.body.certificate.newborn.name).toBe('李沐晨');
    expect(current.body.certificate.mother.address).toBe('广东省广州市天河区天河北路1号');
    expect(current.body.certificate.mother.idNumber).toBe(record.mother.idNumber);

    // The superseded certificate's form is no longer offered.
    const old = await issuer.get(formPath());
    expect(old.status).toBe(303);
  });
});
