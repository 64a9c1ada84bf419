/**
 * The issuer at the counter: walk-in applications with and without a delivery record, end to end
 * (enter → queue → issue → certificate page with the PDF), and the 换发 form of the corrected items.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureRecord, fixtureRecords, withAnotherMother } from '../fixtures/records.ts';
import { startTestService, type TestService } from '../http/harness.ts';
import { bornBefore, qrTextOf, recordDelivery, staffOf, verifyOverHttp } from '../http/lifecycle-helpers.ts';
import { launch } from './browser-kit.ts';
import { consoleKit } from './console-kit.ts';

let svc: TestService;
let browser: Browser;
const inHospital = bornBefore(withAnotherMother(fixtureRecords[0]!, 61), new Date(), 3);
const atHome = bornBefore(withAnotherMother(fixtureRecords[7]!, 62), new Date(), 5);
const issued: string[] = [];

beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

const { newPage, signIn, screens, expectAccessible, validated } = consoleKit(
  () => svc,
  () => browser,
);

/** Types into a box of a group (母亲, 父亲 … share labels) and leaves it, waiting for the check. */
async function enterIn(page: Page, scope: Locator | Page, label: string, value: string) {
  const box = scope.getByLabel(label, { exact: true });
  // The same value again is no change: nothing is sent to check.
  if ((await box.inputValue()) === value) return;
  const answered = validated(page);
  await box.fill(value);
  await page.keyboard.press('Tab');
  await answered;
}
async function chooseIn(page: Page, scope: Locator | Page, label: string, value: string) {
  const box = scope.getByLabel(label, { exact: true });
  if ((await box.inputValue()) === value) return;
  await Promise.all([validated(page), box.selectOption(value)]);
}
const group = (page: Page, name: string) => page.getByRole('group', { name, exact: true });

async function enterParent(page: Page, who: '母亲' | '父亲', p: NonNullable<FixtureRecord['father']>) {
  const g = group(page, who);
  await enterIn(page, g, '姓名', p.name);
  await enterIn(page, g, '年龄', String(p.age));
  await enterIn(page, g, '国籍（三位字母代码）', p.nationality);
  await chooseIn(page, g, '民族', p.ethnicity ?? '');
  await enterIn(page, g, '住址', p.address);
  await chooseIn(page, g, '有效身份证件类别', p.idType);
  await enterIn(page, g, '有效身份证件号码', p.idNumber);
}

/** From the review page: issue, then the certificate page with the PDF inline and the print button. */
async function issueFromReview(page: Page, name: string) {
  await page.getByRole('heading', { name: `审核申领：${name}` }).waitFor();
  expect(await page.locator('tr.mismatch').count()).toBe(0);
  await page.getByRole('button', { name: '签发出生医学证明' }).click();
  await page.getByRole('heading', { name: '领取码' }).waitFor();
  const no = ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').replace('出生医学证明 ', '').trim();
  expect(no).toMatch(/^[A-Z][0-9]{9}$/);
  expect(await page.getByRole('button', { name: '打印' }).count()).toBe(1);
  const src = await page.locator('iframe.pdf').getAttribute('src');
  expect(src).toBe(`/console/issuer/certificates/${no}/pdf`);
  const pdf = await page.request.get(`${svc.url}${src}`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  // The QR printed in that PDF verifies as this certificate, valid.
  const verified = await verifyOverHttp(svc, { qr: await qrTextOf(await pdf.body()) });
  expect([
    verified.body.valid,
    verified.body.certificate.certificateNo,
    verified.body.certificate.newborn.name,
  ]).toEqual([true, no, name]);
  issued.push(no);
  return no;
}

describe('walk-in applications at the issuer counter', () => {
  it('with a delivery record: pick it, the mother comes pre-filled, enter → queue → issue → PDF', async () => {
    const delivery = await recordDelivery(svc, (await staffOf(svc, 'gz')).midwife, inHospital);
    const { context, page } = await newPage();
    await signIn(page, 'issuer');
    await page.getByRole('link', { name: '窗口申领' }).click();
    await page.getByRole('heading', { name: '窗口申领', level: 1 }).waitFor();
    await expectAccessible(page);
    await screens(page, 'issuer-walk-in');
    await page
      .getByRole('link', { name: `选择：${inHospital.mother.name}（${delivery.hospitalRecordNo as string}）` })
      .click();
    await page.getByRole('heading', { name: '窗口申领（有分娩记录）' }).waitFor();
    expect(await group(page, '母亲').getByLabel('有效身份证件号码', { exact: true }).inputValue()).toBe(
      inHospital.mother.idNumber,
    );
    expect(await page.getByLabel('申请人证件号码', { exact: true }).inputValue()).toBe(inHospital.mother.idNumber);
    // Only the name of the newborn's items: the delivery record has the rest.
    expect(await page.getByLabel('出生体重（克）', { exact: true }).count()).toBe(0);

    await enterIn(page, page, '新生儿姓名', inHospital.newborn.name);
    // A wrong check character of the father's ID is named beside it as typed.
    const father = inHospital.father!;
    const wrong = `${father.idNumber.slice(0, 17)}${father.idNumber.endsWith('0') ? '1' : '0'}`;
    await enterIn(page, group(page, '父亲'), '有效身份证件号码', wrong);
    await expect
      .poll(() => page.locator('#f-father-idNumber-error').textContent())
      .toBe('身份证号码校验位不正确，请核对。');
    await expectAccessible(page);
    await screens(page, 'issuer-walk-in-delivery');
    await enterParent(page, '父亲', father);
    await expect.poll(() => page.locator('.field.invalid').count()).toBe(0);
    await page.getByRole('button', { name: '提交申领' }).click();

    // The review page of the new application, then the queue shows it as a walk-in.
    await page.getByRole('heading', { name: `审核申领：${inHospital.newborn.name}` }).waitFor();
    const review = page.url();
    await page.getByRole('link', { name: '申领队列' }).click();
    const entry = page.getByRole('listitem').filter({ hasText: inHospital.newborn.name });
    expect(await entry.textContent()).toContain('渠道：窗口');
    expect(await entry.textContent()).toContain('一致');
    await entry.getByRole('link', { name: `审核：${inHospital.newborn.name}` }).click();
    expect(page.url()).toBe(review);
    await issueFromReview(page, inHospital.newborn.name);
    await context.close();
  });

  it('without a delivery record (home birth): every birth item and the paternity report, enter → queue → issue → PDF', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'issuer');
    await page.goto(`${svc.url}/console/issuer/walk-in`);
    await page.getByRole('link', { name: '填写非医疗机构内出生的申领' }).click();
    await page.getByRole('heading', { name: '窗口申领（非医疗机构内出生）' }).waitFor();
    await expectAccessible(page);
    await screens(page, 'issuer-walk-in-outside');

    const n = atHome.newborn;
    await enterIn(page, page, '新生儿姓名', n.name);
    await chooseIn(page, page, '性别', n.sex);
    await enterIn(page, page, '出生时间（北京时间）', n.birthTime.slice(0, 16));
    await enterIn(page, page, '出生孕周（周）', String(n.gestation.weeks));
    await enterIn(page, page, '出生孕周（天）', String(n.gestation.days));
    await enterIn(page, page, '出生体重（克）', String(n.weightGrams));
    await enterIn(page, page, '出生身长（厘米）', String(n.lengthCm));
    await chooseIn(page, page, '出生地点分类', '3');
    expect(await page.getByLabel('出生地点（县级行政区划代码）', { exact: true }).inputValue()).toBe('440106');
    await enterIn(page, page, '亲子鉴定证明编号', 'GZ-SFJD-2026-00042');
    await enterParent(page, '母亲', atHome.mother);
    await enterParent(page, '父亲', atHome.father!);
    await enterIn(page, page, '申请人姓名', atHome.mother.name);
    await enterIn(page, page, '申请人证件号码', atHome.mother.idNumber);
    await expect.poll(() => page.locator('.field.invalid').count()).toBe(0);
    await page.getByRole('button', { name: '提交申领' }).click();

    await page.getByRole('heading', { name: `审核申领：${n.name}` }).waitFor();
    expect(await page.getByText('无分娩记录（非医疗机构内出生）').count()).toBe(1);
    await page.getByRole('link', { name: '申领队列' }).click();
    const entry = page.getByRole('listitem').filter({ hasText: n.name });
    expect(await entry.textContent()).toContain('渠道：窗口');
    await entry.getByRole('link', { name: `审核：${n.name}` }).click();
    await issueFromReview(page, n.name);
    await expectAccessible(page);
    await context.close();
  });

  it('a walk-in saved half-filled comes back with each missing box marked', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'issuer');
    await page.goto(`${svc.url}/console/issuer/walk-in/outside`);
    await enterIn(page, page, '新生儿姓名', '王小明');
    await page.getByRole('button', { name: '提交申领' }).click();
    await page.locator('#f-newborn-sex-error').filter({ hasText: '此项必填。' }).waitFor();
    expect(await page.locator('#f-paternityReportNo-error').textContent()).toBe('此项必填。');
    expect(await page.getByLabel('新生儿姓名', { exact: true }).inputValue()).toBe('王小明');
    await expectAccessible(page);
    await screens(page, 'issuer-walk-in-errors');
    await context.close();
  });
});

describe('换发 with the form of the corrected items', () => {
  it('pre-filled, checked as typed, a summary of what changes, then the new certificate', async () => {
    const old = issued[0]!;
    const { context, page } = await newPage();
    await signIn(page, 'issuer');
    await page.goto(`${svc.url}/console/issuer/certificates/${old}`);
    await page.getByRole('link', { name: '换发：更正证明上的项目' }).click();
    await page.getByRole('heading', { name: `换发（更正项目）：${old}` }).waitFor();
    expect(await page.getByLabel('新生儿姓名', { exact: true }).inputValue()).toBe(inHospital.newborn.name);
    expect(await group(page, '母亲').getByLabel('姓名', { exact: true }).inputValue()).toBe(inHospital.mother.name);
    await expectAccessible(page);
    await screens(page, 'issuer-replacement');

    // Submitting it unchanged is refused plainly.
    await page.getByRole('button', { name: '检查更正内容' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('没有修改任何项目');

    await enterIn(page, page, '新生儿姓名', '李沐晨');
    await enterIn(page, group(page, '母亲'), '年龄', '7');
    await expect.poll(() => page.locator('#f-mother-age-error').textContent()).toBe('数值过小。');
    await expectAccessible(page);
    await screens(page, 'issuer-replacement-errors');
    await enterIn(page, group(page, '母亲'), '年龄', String(inHospital.mother.age));
    await expect.poll(() => page.locator('#f-mother-age-error').textContent()).toBe('');
    await enterIn(page, page, '换发原因', '公安机关无法登记原姓名中的生僻字，更正新生儿姓名');
    await page.getByRole('button', { name: '检查更正内容' }).click();

    await page.getByRole('heading', { name: `确认换发：${old}` }).waitFor();
    const rows = await page.getByRole('row').allTextContents();
    expect(rows).toEqual(['项目原证更正为', `新生儿姓名${inHospital.newborn.name}李沐晨`]);
    await expectAccessible(page);
    await screens(page, 'issuer-replacement-summary');
    await page.getByRole('button', { name: '确认换发' }).click();

    await page.getByText(`已换发，原证 ${old} 已被此证替代。`).waitFor();
    const no = ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '')
      .replace('出生医学证明 ', '')
      .trim();
    expect(no).not.toBe(old);
    expect(await page.locator('.handover .code').textContent()).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
    expect(await page.locator('iframe.pdf').getAttribute('src')).toBe(`/console/issuer/certificates/${no}/pdf`);
    await expectAccessible(page);
    await screens(page, 'issuer-replacement-done');
    await context.close();
  });
});
