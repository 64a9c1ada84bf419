/**
 * The console's three counter journeys by keyboard alone: Tab, Shift+Tab, Enter, Space and the
 * arrow keys to move and act, typing only into the box that has the focus; no clicks, no filling by
 * locator. Every stop of the focus must show a visible focus ring, and each form is walked in the
 * order a person reads it.
 */
import type { Browser, Page } from 'playwright-core';
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

const { newPage, usernameOf, passwordOf, expectAccessible } = consoleKit(
  () => svc,
  () => browser,
);

/** The element with the focus as a screen reader names it: its group, its label or its text. */
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '(body)';
  const group = el.closest('fieldset')?.querySelector('legend')?.textContent?.trim();
  const name = el.getAttribute('aria-label') ?? el.getAttribute('title') ?? (el.labels?.length ? el.labels[0].textContent : el.textContent) ?? '';
  return (group ? group + ' › ' : '') + name.trim();
})()`;
const focused = (p: Page) => p.evaluate<string>(FOCUSED);

/** Whether the focused element shows a focus ring a sighted keyboard user can see. */
const RING_VISIBLE = `(() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  // A date box's focus is on its parts (year, month …) inside it: the box itself is :focus-within.
  return el.matches(':focus-visible, :focus-within') && style.outlineStyle !== 'none' &&
    Number.parseFloat(style.outlineWidth) >= 2 && rect.width > 0 && rect.height > 0;
})()`;
const ringVisible = (p: Page) => p.evaluate<boolean>(RING_VISIBLE);

/** Tab (or Shift+Tab) until the focus is on `target`; every stop passed shows its ring. Returns the stops. */
async function tabTo(p: Page, target: string, key: 'Tab' | 'Shift+Tab' = 'Tab', most = 60): Promise<string[]> {
  const stops: string[] = [];
  for (let i = 0; i < most; i++) {
    await p.keyboard.press(key);
    const now = await focused(p);
    stops.push(now);
    // Inside the viewer the viewer draws its own focus; this page's ring is not asked for there.
    if (now !== '(PDF viewer)')
      expect(
        await ringVisible(p),
        `focus ring on ${now}: ${await p.evaluate<string>("(() => { const el = document.activeElement; const s = getComputedStyle(el); return [el.matches(':focus-visible'), el.matches(':focus'), s.outlineStyle, s.outlineWidth].join(' '); })()")}`,
      ).toBe(true);
    if (now === target) return stops;
  }
  throw new Error(`"${target}" not reached by ${key}; stops: ${stops.join(' | ')}`);
}

/** Type into the focused box, replacing what it held. */
async function typeHere(p: Page, text: string) {
  await p.keyboard.press('ControlOrMeta+A');
  await p.keyboard.press('Backspace');
  if (text) await p.keyboard.type(text);
}

/** Enter on the focused control, then wait for the page it opens. */
async function enterAndLoad(p: Page) {
  await Promise.all([p.waitForEvent('load'), p.keyboard.press('Enter')]);
}

/** htmx is loaded and no request or swap is under way (polled: the CSP forbids eval). */
async function htmxSettled(p: Page) {
  await expect
    .poll(() =>
      p.evaluate<boolean>(
        "'htmx' in window && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')",
      ),
    )
    .toBe(true);
}

/** Sign-in by keyboard: the first Tab is the skip link, then the two boxes, Enter to sign in. */
async function signInByKeyboard(p: Page, role: string) {
  await p.goto(`${svc.url}/console`);
  await tabTo(p, '跳到正文');
  await tabTo(p, '用户名');
  await typeHere(p, usernameOf(role));
  await tabTo(p, '密码');
  await typeHere(p, passwordOf(usernameOf(role)));
  await enterAndLoad(p);
}

/** The skip link goes first and lands the next Tab inside the page's main part. */
async function skipToMain(p: Page, firstInMain: string) {
  await tabTo(p, '跳到正文');
  await p.keyboard.press('Enter');
  await p.keyboard.press('Tab');
  expect(await focused(p)).toBe(firstInMain);
  expect(await ringVisible(p)).toBe(true);
  expect(await p.evaluate<boolean>("document.activeElement.closest('main') !== null")).toBe(true);
}

/**
 * Types a date-time into the focused datetime-local box part by part, as a person does: this
 * Chromium shows mm/dd/yyyy, hh:mm AM/PM and moves to the next part when one is complete.
 */
async function typeDateTime(p: Page, local: string) {
  const [date, time] = local.split('T') as [string, string];
  const [y, m, d] = date.split('-') as [string, string, string];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const h12 = hh % 12 === 0 ? 12 : hh % 12;
  await p.keyboard.type(`${m}${d}${y}`);
  await p.keyboard.press('Tab');
  await p.keyboard.type(`${String(h12).padStart(2, '0')}${String(mm).padStart(2, '0')}${hh < 12 ? 'A' : 'P'}`);
}

/** Types a date into the focused date box (mm/dd/yyyy). */
async function typeDate(p: Page, iso: string) {
  const [y, m, d] = iso.split('-') as [string, string, string];
  await p.keyboard.type(`${m}${d}${y}`);
}

const value = (p: Page) => p.evaluate<string>('document.activeElement.value');

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
