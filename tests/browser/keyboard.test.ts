/**
 * Every form by keyboard alone: Tab, Shift+Tab, Enter and Space to move and act, typing only into
 * the field that has the focus; no clicks, no filling by locator. Each stop of the focus is
 * checked in order (what a screen reader would announce) and must show a visible focus ring.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords } from '../fixtures/records.ts';
import { startTestService, type TestService } from '../http/harness.ts';
import { bornBefore, issueBirth, qrTextOf, recordDelivery, type Staff, staffOf } from '../http/lifecycle-helpers.ts';
import { launch } from './browser-kit.ts';

let svc: TestService;
let gz: Staff;
let browser: Browser;
const record = bornBefore(fixtureRecords[0]!, new Date(), 1);
let code: string;

beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  gz = await staffOf(svc, 'gz');
  code = (await recordDelivery(svc, gz.midwife, record)).applicationCode as string;
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

/** The element with the focus as a screen reader names it: its group, its label or its text. */
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '(body)';
  const group = el.closest('fieldset')?.querySelector('legend')?.textContent?.trim();
  const name = el.getAttribute('aria-label') ?? (el.labels?.length ? el.labels[0].textContent : el.textContent) ?? '';
  return (group ? group + ' › ' : '') + name.trim();
})()`;
const focused = (p: Page) => p.evaluate<string>(FOCUSED);

/** Whether the focused element shows a focus ring a sighted keyboard user can see. */
const RING_VISIBLE = `(() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  return el.matches(':focus-visible') && style.outlineStyle !== 'none' &&
    Number.parseFloat(style.outlineWidth) >= 2 && rect.width > 0 && rect.height > 0;
})()`;
const ringVisible = (p: Page) => p.evaluate<boolean>(RING_VISIBLE);

/** Tab (or Shift+Tab) once; the focus must land on `expected`, visibly. */
async function tab(p: Page, expected: string, key: 'Tab' | 'Shift+Tab' = 'Tab') {
  await p.keyboard.press(key);
  expect(await focused(p)).toBe(expected);
  expect(await ringVisible(p), expected).toBe(true);
}

/** Type into the focused field, replacing what it held. */
async function typeHere(p: Page, text: string) {
  await p.keyboard.press('ControlOrMeta+A');
  await p.keyboard.press('Backspace');
  if (text) await p.keyboard.type(text);
}

/** htmx is loaded and no swap is under way (polled from here: the page's CSP forbids eval). */
async function htmxSettled(p: Page) {
  await expect
    .poll(() =>
      p.evaluate<boolean>(
        "'htmx' in window && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')",
      ),
    )
    .toBe(true);
}

const header = ['跳到正文', '出生医学证明电子证照', 'English'];
const F = '父亲信息 › ';
const A = '申请人 › ';

describe('by keyboard alone', () => {
  it('apply: tick and untick the absent father with Space, each refusal puts the focus on the field to correct, submit', async () => {
    const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 360, height: 800 } });
    const p = await ctx.newPage();
    const f = record.father!;
    await p.goto(`${svc.url}/apply`);
    await htmxSettled(p);
    for (const stop of header) await tab(p, stop);
    await tab(p, '出生医学证明电子证照', 'Shift+Tab');
    await tab(p, '跳到正文', 'Shift+Tab');
    // The skip link passes the header: the next stop is the first field of the form.
    await p.keyboard.press('Enter');
    await tab(p, '申领码');
    await p.keyboard.type(code);
    await tab(p, '母亲身份证件号码');
    await p.keyboard.type(record.mother.idNumber);
    await tab(p, '新生儿 › 新生儿姓名');
    await p.keyboard.type(record.newborn.name);
    await tab(p, `${F}父亲信息不详或无法提供`);
    await p.keyboard.press('Space');
    expect(await p.getByLabel('父亲信息不详或无法提供').isChecked()).toBe(true);
    for (const stop of [
      '原因（勾选上一项时填写）',
      '姓名',
      '年龄（周岁）',
      '国籍（三位字母代码，如 CHN）',
      '民族',
      '住址',
    ]) {
      await tab(p, F + stop);
    }
    for (const stop of ['有效身份证件类别', '有效身份证件号码']) await tab(p, F + stop);
    await tab(p, `${A}姓名`);
    await p.keyboard.type(record.mother.name);
    await tab(p, `${A}与新生儿关系`);
    await tab(p, `${A}有效身份证件类别`);
    await tab(p, `${A}有效身份证件号码`);
    await p.keyboard.type(record.mother.idNumber);
    await tab(p, '提交申领');
    await p.keyboard.press('Enter');
    // Father absent without a reason: the focus waits in the reason field, beside its error.
    await expect.poll(() => focused(p)).toBe(`${F}原因（勾选上一项时填写）`);
    expect(await ringVisible(p)).toBe(true);
    expect(await p.locator('#f-fatherAbsentReason-error').textContent()).toBe('此项必填。');
    await htmxSettled(p);
    // The father is known after all: back to the box, untick it, fill in his items.
    await tab(p, `${F}父亲信息不详或无法提供`, 'Shift+Tab');
    await p.keyboard.press('Space');
    expect(await p.getByLabel('父亲信息不详或无法提供').isChecked()).toBe(false);
    await tab(p, `${F}原因（勾选上一项时填写）`);
    await tab(p, `${F}姓名`);
    await p.keyboard.type(f.name);
    await tab(p, `${F}年龄（周岁）`);
    await p.keyboard.type(String(f.age));
    await tab(p, `${F}国籍（三位字母代码，如 CHN）`);
    await p.keyboard.type(f.nationality);
    await tab(p, `${F}民族`);
    await tab(p, `${F}住址`);
    await p.keyboard.type(f.address);
    await tab(p, `${F}有效身份证件类别`);
    await tab(p, `${F}有效身份证件号码`);
    await p.keyboard.type(`${f.idNumber.slice(0, 17)}${f.idNumber.endsWith('0') ? '1' : '0'}`);
    for (const stop of ['姓名', '与新生儿关系', '有效身份证件类别', '有效身份证件号码']) await tab(p, A + stop);
    await tab(p, '提交申领');
    await p.keyboard.press('Enter');
    await expect.poll(() => focused(p)).toBe(`${F}有效身份证件号码`);
    expect(await p.locator('#f-father-idNumber-error').textContent()).toBe('身份证号码校验位不正确，请核对。');
    await htmxSettled(p);
    await typeHere(p, f.idNumber);
    for (const stop of ['姓名', '与新生儿关系', '有效身份证件类别', '有效身份证件号码']) await tab(p, A + stop);
    await tab(p, '提交申领');
    await p.keyboard.press('Enter');
    await p.waitForURL(`${svc.url}/apply/status`);
    expect(await p.getByRole('heading', { level: 2 }).first().textContent()).toBe('已提交，等待签发机构审核');
    await ctx.close();
  });

  it('correct after return: from the top of the page to the field and the resubmit button', async () => {
    const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 360, height: 800 } });
    const p = await ctx.newPage();
    await p.goto(`${svc.url}/apply`);
    await htmxSettled(p);
    // The open form for applied parents: past the apply form by Shift+Tab from the page's end.
    await p.keyboard.press('Shift+Tab');
    expect(await focused(p)).toBe('查看进度');
    await tab(p, '母亲身份证件号码', 'Shift+Tab');
    await p.keyboard.type(record.mother.idNumber);
    await tab(p, '申领码', 'Shift+Tab');
    await p.keyboard.type(code);
    await tab(p, '母亲身份证件号码');
    await tab(p, '查看进度');
    await p.keyboard.press('Enter');
    await p.waitForURL(`${svc.url}/apply/status`);
    const queue = await svc.request('GET', '/api/v1/applications', { token: gz.issuer });
    const id = queue.body.applications.find((a: { channel: string }) => a.channel === 'online').id;
    const returned = await svc.request('POST', `/api/v1/applications/${id}/return`, {
      token: gz.issuer,
      json: { reason: '新生儿姓名有误，请更正' },
    });
    expect(returned.status).toBe(200);
    await p.reload();
    await htmxSettled(p);
    for (const stop of header) await tab(p, stop);
    await tab(p, '新生儿 › 新生儿姓名');
    await typeHere(p, '');
    // 22 stops to the resubmit button; an empty name is refused and the focus comes back to it.
    for (const stop of ['父亲信息不详或无法提供', '原因（勾选上一项时填写）', '姓名', '年龄（周岁）'])
      await tab(p, F + stop);
    for (const stop of ['国籍（三位字母代码，如 CHN）', '民族', '住址', '有效身份证件类别', '有效身份证件号码']) {
      await tab(p, F + stop);
    }
    for (const stop of ['姓名', '与新生儿关系', '有效身份证件类别', '有效身份证件号码']) await tab(p, A + stop);
    await tab(p, '更正后重新提交');
    await p.keyboard.press('Enter');
    await expect.poll(() => focused(p)).toBe('新生儿 › 新生儿姓名');
    expect(await p.locator('#f-newborn-name-error').textContent()).toBe('此项必填。');
    await htmxSettled(p);
    await p.keyboard.type('李沐阳');
    for (const stop of ['父亲信息不详或无法提供', '原因（勾选上一项时填写）', '姓名', '年龄（周岁）'])
      await tab(p, F + stop);
    for (const stop of ['国籍（三位字母代码，如 CHN）', '民族', '住址', '有效身份证件类别', '有效身份证件号码']) {
      await tab(p, F + stop);
    }
    for (const stop of ['姓名', '与新生儿关系', '有效身份证件类别', '有效身份证件号码']) await tab(p, A + stop);
    await tab(p, '更正后重新提交');
    await p.keyboard.press('Enter');
    await p.getByRole('heading', { name: '已提交，等待签发机构审核' }).waitFor();
    expect(await p.getByText('退回原因').count()).toBe(0);
    await ctx.close();
  });

  it('verify: paste a QR and press Enter, switch the language and back, all from the keyboard', async () => {
    const issued = await issueBirth(svc, gz, bornBefore(fixtureRecords[1]!, new Date(), 2));
    const pdf = await svc.request('GET', issued.links.pdf, { token: gz.issuer });
    const qr = await qrTextOf(pdf.body as Uint8Array);
    const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 360, height: 800 } });
    const p = await ctx.newPage();
    await p.goto(`${svc.url}/verify`);
    await htmxSettled(p);
    // The QR field has the focus on arrival: a scanner (or a paste) types straight into it.
    expect(await focused(p)).toBe('二维码文字（扫码枪扫描后自动提交）');
    // To the language switch and back in English.
    await tab(p, 'English', 'Shift+Tab');
    await p.keyboard.press('Enter');
    await p.waitForURL(`${svc.url}/verify?lang=en`);
    expect(await p.locator('html').getAttribute('lang')).toBe('en');
    await htmxSettled(p);
    expect(await focused(p)).toBe('QR text (a scanner submits it by itself)');
    await p.keyboard.insertText(qr);
    await p.keyboard.press('Enter');
    await expect.poll(() => p.locator('#verdict-heading').textContent()).toBe('Genuine and current');
    // The verdict takes the focus, so a screen reader reads it first.
    await expect.poll(() => p.evaluate<string>('document.activeElement?.id')).toBe('result');
    await htmxSettled(p);
    await tab(p, 'Print the result');
    await tab(p, 'Verify another');
    await tab(p, 'Print the result', 'Shift+Tab');
    await tab(p, '中文', 'Shift+Tab');
    await p.keyboard.press('Enter');
    await p.waitForURL(`${svc.url}/verify?lang=zh-CN`);
    expect(await p.locator('html').getAttribute('lang')).toBe('zh-CN');
    await htmxSettled(p);
    await p.keyboard.insertText(qr);
    await tab(p, '核验');
    await p.keyboard.press('Space');
    await expect.poll(() => p.locator('#verdict-heading').textContent()).toBe('真实有效，为当前版本');
    await ctx.close();
  });
});
