/**
 * The agency's, administrator's, auditor's and statistician's journeys by keyboard alone, as
 * console-keyboard.test.ts does for the three counters: Tab, Shift+Tab, Enter and the arrow keys,
 * typing only into the focused box, a visible focus ring at every stop, downloads started by Enter.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords, withAnotherMother } from '../fixtures/records.ts';
import { startTestService, type TestService } from '../http/harness.ts';
import {
  bornBefore,
  chinaDateOf,
  demo,
  type Issued,
  issueBirth,
  qrTextOf,
  staffOf,
} from '../http/lifecycle-helpers.ts';
import { launch } from './browser-kit.ts';
import { consoleKit } from './console-kit.ts';
import {
  enterAndDownload,
  enterAndLoad,
  keyboardSignIn,
  skipToMain,
  tabTo,
  typeDate,
  typeDateTimeSeconds,
  typeHere,
  value,
} from './keyboard-kit.ts';

let svc: TestService;
let browser: Browser;
/** Signed before the revocation time `cut` (stays valid) and after it (fails once the key is revoked). */
let before: Issued & { qr: string };
let after: Issued;
let cut: Date;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The Beijing wall-clock time of an instant, as a datetime-local box with seconds takes it. */
const beijingSeconds = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19);

beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  browser = await launch();
  const staff = await staffOf(svc, 'gz');
  const issued = await issueBirth(svc, staff, bornBefore(withAnotherMother(fixtureRecords[0]!, 81), new Date(), 2));
  const pdf = await svc.request('GET', issued.links.pdf, { token: staff.issuer });
  before = { ...issued, qr: await qrTextOf(pdf.body) };
  // Signing times are whole seconds: the cut lies strictly between the two.
  await sleep(1100);
  cut = new Date(Math.floor(Date.now() / 1000) * 1000);
  // Not a minute's first second: a datetime-local box leaves ':00' seconds out of its value.
  if (cut.getUTCSeconds() === 0) {
    await sleep(1000);
    cut = new Date(cut.getTime() + 1000);
  }
  await sleep(1100);
  after = await issueBirth(svc, staff, bornBefore(withAnotherMother(fixtureRecords[0]!, 82), new Date(), 2));
}, 120_000);
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

describe('the other roles by keyboard alone', () => {
  it('agency: verify a pasted QR, look it up with a purpose', async () => {
    const { context, page } = await newPage();
    await signInByKeyboard(page, 'agency');
    expect(page.url()).toBe(`${svc.url}/console/agency`);
    await skipToMain(page, '二维码文字（扫码枪扫描或粘贴）');
    await page.keyboard.insertText(before.qr);
    await enterAndLoad(page);
    await page.getByRole('heading', { name: '真实有效，为当前版本' }).waitFor();

    await tabTo(page, '出生医学证明编号');
    await typeHere(page, before.certificateNo);
    await tabTo(page, '查询目的');
    // — , 办理出生登记（落户）, 核验出生医学证明真伪 …
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await value(page)).toBe('核验出生医学证明真伪');
    await tabTo(page, '查询');
    await enterAndLoad(page);
    await page.getByRole('heading', { name: '证明记录' }).waitFor();
    const shown = await page.locator('section[aria-labelledby=records-h] dl.items').textContent();
    expect(shown).toContain(before.certificateNo);
    expect(shown).toContain('落户登记未办理');
    await expectAccessible(page);
    await context.close();
  });

  it('auditor: verify the chain, keep an anchor and check it, filter by certificate, export NDJSON', async () => {
    const { context, page } = await newPage();
    await signInByKeyboard(page, 'auditor');
    expect(page.url()).toBe(`${svc.url}/console/auditor`);
    await skipToMain(page, '校验整条链');
    await enterAndLoad(page);
    await page.getByRole('status').filter({ hasText: '链完整' }).waitFor();

    await tabTo(page, '保存锚点');
    await enterAndLoad(page);
    const kept = page.locator('.kept');
    await kept.waitFor();
    const seq = (await kept.locator('dd').nth(0).textContent())!;
    const hash = (await kept.locator('dd').nth(1).textContent())!;
    await tabTo(page, '事件序号');
    await typeHere(page, seq);
    await tabTo(page, '哈希（64 位十六进制）');
    await typeHere(page, hash);
    await tabTo(page, '核对锚点');
    await enterAndLoad(page);
    await page.getByText(`锚点相符：第 ${seq} 条事件的哈希未变`).waitFor();

    await tabTo(page, '出生医学证明编号');
    await typeHere(page, before.certificateNo);
    await tabTo(page, '筛选');
    await enterAndLoad(page);
    expect(new URL(page.url()).searchParams.get('certificateNo')).toBe(before.certificateNo);
    const heads = await page.locator('section[aria-labelledby=events-h] li.event .action').allTextContents();
    expect(heads.at(-1)).toBe('certificate.issued');

    await tabTo(page, '下载 NDJSON');
    const { file, text } = await enterAndDownload(page);
    expect(file).toMatch(/^audit-events-\d{4}-\d{2}-\d{2}\.ndjson$/);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { action: string; target: string });
    expect(lines.map((e) => e.action)).toEqual([...heads].reverse());
    expect(lines.every((e) => e.target === before.certificateNo)).toBe(true);
    await expectAccessible(page);
    await context.close();
  });

  it('statistician: change the period, open each report, download a CSV', async () => {
    const day = 86_400_000;
    const from = chinaDateOf(new Date(Date.now() - 30 * day));
    const to = chinaDateOf(new Date(Date.now() + day));
    const { context, page } = await newPage();
    await signInByKeyboard(page, 'statistician');
    expect(page.url()).toBe(`${svc.url}/console/statistician`);
    await skipToMain(page, '按月出生');
    await tabTo(page, '开始日期（含）');
    await typeDate(page, from);
    expect(await value(page)).toBe(from);
    await tabTo(page, '结束日期（不含）');
    await typeDate(page, to);
    expect(await value(page)).toBe(to);
    await tabTo(page, '查看');
    await enterAndLoad(page);
    await page.getByText(`统计期间：${from} 至 ${to}（不含）`).waitFor();
    expect(await page.getByRole('img', { name: '每月出生数' }).count()).toBe(1);

    for (const [tab, heading, chart] of [
      ['按地区出生性别比', '按地区（县级）出生性别比', '各地区出生性别比'],
      ['机构证件使用', '各机构证件使用与作废率', '各机构签发与作废张数'],
    ] as const) {
      await tabTo(page, tab);
      await enterAndLoad(page);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      // The period goes along with the tab.
      await page.getByText(`统计期间：${from} 至 ${to}（不含）`).waitFor();
      expect(await page.getByRole('img', { name: chart }).count()).toBe(1);
    }
    await tabTo(page, '下载 CSV 表格');
    const { file, text } = await enterAndDownload(page);
    expect(file).toBe(`institutions-${from}-${to}.csv`);
    const rows = parseCsv(text.replace(/^\uFEFF/, '')) as string[][];
    expect(rows[0]).toEqual(['机构', '统一社会信用代码', '期内领取', '签发', '作废', '作废率', '期末库存', '活产数']);
    expect(rows.find((r) => r[1] === demo.gz.creditCode)?.[3]).toBe('2');
    await expectAccessible(page);
    await context.close();
  });

  // Last: it revokes the gz key from `cut`.
  it('administrator: receive a number range, create an account and read its password, revoke a key from a time', async () => {
    const { context, page } = await newPage();
    await signInByKeyboard(page, 'admin');
    expect(page.url()).toBe(`${svc.url}/console/admin`);
    await skipToMain(page, '各机构号段使用情况');
    await tabTo(page, '领取机构');
    // Down the list until the institution comes (as a person reads the names going by).
    for (let i = 0; i < 5 && (await value(page)) !== demo.gz.creditCode; i++) await page.keyboard.press('ArrowDown');
    expect(await value(page)).toBe(demo.gz.creditCode);
    for (const [label, text] of [
      ['批次字母（一个大写字母）', 'R'],
      ['起始号（9 位数字）', '440300001'],
      ['终止号（9 位数字）', '440300050'],
    ] as const) {
      await tabTo(page, label);
      await typeHere(page, text);
    }
    await tabTo(page, '登记号段');
    await enterAndLoad(page);
    await page.getByText(`已为 ${demo.gz.name} 登记号段 R440300001 – R440300050，共 50 个编号。`).waitFor();

    await tabTo(page, '账户管理');
    await enterAndLoad(page);
    await skipToMain(page, '用户名（字母、数字、点、下划线或连字符）');
    await typeHere(page, 'police-kb-1');
    await tabTo(page, '姓名（可选）');
    await typeHere(page, '王民警');
    await tabTo(page, '角色');
    // — , 系统管理员, 助产人员, 签发人员, 公安户籍 …
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
    expect(await value(page)).toBe('police');
    await tabTo(page, '新建账户');
    await enterAndLoad(page);
    await page.getByRole('heading', { name: 'police-kb-1 的初始密码' }).waitFor();
    expect(((await page.locator('.password').textContent()) ?? '').trim()).toMatch(
      /^([2-9A-HJKMNP-Z]{5}-){3}[2-9A-HJKMNP-Z]{5}$/,
    );

    await tabTo(page, '签名密钥');
    await enterAndLoad(page);
    const revoke = page.getByRole('region', { name: demo.gz.name, exact: true }).getByRole('link', { name: /^撤销：/ });
    await tabTo(page, (await revoke.getAttribute('aria-label'))!);
    await enterAndLoad(page);
    await page.getByRole('heading', { name: '撤销签名密钥' }).waitFor();
    await skipToMain(page, '撤销起始时间（北京时间；留空为现在）');
    await typeDateTimeSeconds(page, beijingSeconds(cut));
    expect(await value(page)).toBe(beijingSeconds(cut));
    await tabTo(page, '撤销原因');
    await typeHere(page, '私钥疑似泄露');
    await tabTo(page, '查看后果');
    await enterAndLoad(page);
    await page.getByRole('heading', { name: '撤销前请确认后果' }).waitFor();
    expect(await page.locator('ul.failing li').allTextContents()).toEqual([after.certificateNo]);
    await skipToMain(page, '确认撤销');
    await enterAndLoad(page);
    await page.getByText(/^已撤销密钥 .+（自 .+ 起）。$/).waitFor();
    await expectAccessible(page);
    await context.close();
  });
});
