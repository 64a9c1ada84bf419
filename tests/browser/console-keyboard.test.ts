/**
 * The console's three counter journeys by keyboard alone: Tab, Shift+Tab, Enter, Space and the
 * arrow keys to move and act, typing only into the box that has the focus; no clicks, no filling by
 * locator. Every stop of the focus must show a visible focus ring, and each form is walked in the
 * order a person reads it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingLocalOf } from '../../src/web/console/certificate-items.ts';
import { applicationBodyFor, fixtureRecords, withAnotherMother } from '../fixtures/records.ts';
import { startTestService, type TestService } from '../http/harness.ts';
import {
  bornBefore,
  childIdNumber,
  chinaDateOf,
  issueBirth,
  qrTextOf,
  recordDelivery,
  staffOf,
  submitApplication,
} from '../http/lifecycle-helpers.ts';
import { launch } from './browser-kit.ts';
import { consoleKit } from './console-kit.ts';
import {
  enterAndLoad,
  htmxSettled,
  keyboardSignIn,
  skipToMain,
  tabTo,
  typeDate,
  typeDateTime,
  typeHere,
  value,
} from './keyboard-kit.ts';

let svc: TestService;
let browser: Browser;

beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

const { newPage, expectAccessible } = consoleKit(
  () => svc,
  () => browser,
);

const signInByKeyboard = keyboardSignIn(
  () => svc,
  () => browser,
);

describe('the console by keyboard alone', () => {
  it('midwife: record a delivery → the discharge slip', async () => {
    const record = bornBefore(withAnotherMother(fixtureRecords[0]!, 71), new Date(), 2);
    const { context, page } = await newPage();
    await signInByKeyboard(page, 'midwife');
    expect(page.url()).toBe(`${svc.url}/console/midwife`);
    await skipToMain(page, '新生儿 › 性别');
    // The arrow keys choose in a closed list: 男 is one down from —, 女 two.
    for (let i = 0; i < Number(record.newborn.sex); i++) await page.keyboard.press('ArrowDown');
    expect(await value(page)).toBe(record.newborn.sex);
    await tabTo(page, '新生儿 › 出生时间（北京时间）');
    const local = beijingLocalOf(record.newborn.birthTime);
    await typeDateTime(page, local);
    expect(await value(page)).toBe(local);
    const n = record.newborn;
    for (const [label, text] of [
      ['新生儿 › 出生孕周（周）', String(n.gestation.weeks)],
      ['新生儿 › 出生孕周（天）', String(n.gestation.days)],
      ['新生儿 › 出生体重（克）', String(n.weightGrams)],
      ['新生儿 › 出生身长（厘米）', String(n.lengthCm)],
      ['母亲 › 姓名', record.mother.name],
      ['母亲 › 年龄', String(record.mother.age)],
      ['母亲 › 住址', record.mother.address],
      ['母亲 › 有效身份证件号码', record.mother.idNumber],
      ['分娩记录 › 住院号', 'ZY-KB-0001'],
      ['分娩记录 › 接生人员姓名', '陈助产'],
    ] as const) {
      await tabTo(page, label);
      await typeHere(page, text);
    }
    // Shift+Tab goes back the way it came, and the order of the boxes is the order on the page.
    const back = await tabTo(page, '母亲 › 有效身份证件号码', 'Shift+Tab');
    expect(back).toEqual(['分娩记录 › 住院号', '母亲 › 有效身份证件号码']);
    await tabTo(page, '保存分娩记录');
    await htmxSettled(page);
    expect(await page.locator('.field.invalid').count()).toBe(0);
    await enterAndLoad(page);
    await page.getByRole('heading', { name: '出院告知单' }).waitFor();
    expect(await page.locator('.code').textContent()).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
    await tabTo(page, '打印');
    await expectAccessible(page);
    await context.close();
  });

  it('issuer: review an application → issue → the print button is reachable', async () => {
    const record = bornBefore(withAnotherMother(fixtureRecords[0]!, 72), new Date(), 3);
    const staff = await staffOf(svc, 'gz');
    const delivery = await recordDelivery(svc, staff.midwife, record);
    await submitApplication(svc, staff.issuer, applicationBodyFor(record, delivery.id));
    const { context, page } = await newPage();
    await signInByKeyboard(page, 'issuer');
    expect(page.url()).toBe(`${svc.url}/console/issuer`);
    await skipToMain(page, '待审核');
    await tabTo(page, `审核：${record.newborn.name}`);
    await enterAndLoad(page);
    await page.getByRole('heading', { name: `审核申领：${record.newborn.name}` }).waitFor();
    await skipToMain(page, '签发出生医学证明');
    // Space presses a button as well as Enter does.
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Space')]);
    await page.getByRole('heading', { name: '领取码' }).waitFor();
    // Past the skip link the first stop is 打印: the PDF frame is no trap for the focus.
    await skipToMain(page, '打印');
    await tabTo(page, '下载 PDF');
    await tabTo(page, '打印', 'Shift+Tab');
    await expectAccessible(page);
    await context.close();
  });

  it('police: verify a pasted QR, look it up with a purpose, record 落户', async () => {
    const record = bornBefore(withAnotherMother(fixtureRecords[0]!, 73), new Date(), 4);
    const issued = await issueBirth(svc, await staffOf(svc, 'gz'), record);
    const pdf = await svc.request('GET', issued.links.pdf, { token: await svc.token('issuer', 'gz') });
    const qr = await qrTextOf(pdf.body);
    const { context, page } = await newPage();
    await signInByKeyboard(page, 'police');
    expect(page.url()).toBe(`${svc.url}/console/police`);
    await skipToMain(page, '二维码文字（扫码枪扫描或粘贴）');
    // A paste (or a keyboard-wedge scanner) puts the whole text in at once.
    await page.keyboard.insertText(qr);
    await enterAndLoad(page);
    await page.getByRole('heading', { name: '真实有效，为当前版本' }).waitFor();

    await tabTo(page, '出生医学证明编号');
    await typeHere(page, issued.certificateNo);
    await tabTo(page, '查询目的');
    await page.keyboard.press('ArrowDown');
    expect(await value(page)).toBe('办理出生登记（落户）');
    await tabTo(page, '查询');
    await enterAndLoad(page);
    await page.getByRole('heading', { name: '登记落户' }).waitFor();

    const birthDate = chinaDateOf(new Date(Date.parse(record.newborn.birthTime)));
    await tabTo(page, '新生儿公民身份号码');
    await typeHere(page, childIdNumber(birthDate, record.newborn.sex as '1' | '2'));
    await tabTo(page, '落户日期');
    await typeDate(page, chinaDateOf(new Date()));
    expect(await value(page)).toBe(chinaDateOf(new Date()));
    await tabTo(page, '登记单位');
    await typeHere(page, '广州市公安局天河区分局天河南派出所');
    await htmxSettled(page);
    await enterAndLoad(page);
    await page.getByText('已登记落户。').waitFor();
    await expectAccessible(page);
    await context.close();
  });
});
