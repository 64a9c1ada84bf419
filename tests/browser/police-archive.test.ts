import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords } from '../fixtures/records.ts';
import { startTestService, type TestService } from '../http/harness.ts';
import {
  bornBefore,
  childIdNumber,
  chinaDateOf,
  type Issued,
  issueBirth,
  qrTextOf,
  staffOf,
} from '../http/lifecycle-helpers.ts';
import { launch } from './browser-kit.ts';
import { consoleKit } from './console-kit.ts';

let svc: TestService;
let browser: Browser;
const record = bornBefore(fixtureRecords[0]!, new Date(), 2);
let issued: Issued;
let qr: string;

beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  browser = await launch();
  issued = await issueBirth(svc, await staffOf(svc, 'gz'), record);
  const pdf = await svc.request('GET', issued.links.pdf, { token: await svc.token('issuer', 'gz') });
  qr = await qrTextOf(pdf.body as Uint8Array);
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

const { newPage, signIn, screens, expectAccessible } = consoleKit(
  () => svc,
  () => browser,
);

describe('the police archive: verify → 归档 → 落户 with name and place → 补发 → the archive then and now', () => {
  it('a police officer archives what was verified, records the full 落户 and reads the archive after a reissue', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'police');

    // Verify the pasted QR, then archive it under the household case.
    await page.getByLabel('二维码文字（扫码枪扫描或粘贴）', { exact: true }).fill(qr);
    await page.getByRole('button', { name: '核验', exact: true }).click();
    await page.getByRole('heading', { name: '真实有效，为当前版本' }).waitFor();
    await page.getByRole('button', { name: '归档', exact: true }).click();
    await page.locator('#f-caseNo-error').waitFor();
    expect(page.url()).toBe(`${svc.url}/console/police/archives`);
    await page.getByLabel('户籍业务受理编号', { exact: true }).first().fill('HJ-2026-0001');
    await page.getByRole('button', { name: '归档', exact: true }).click();
    await page.getByText('已归档。').waitFor();
    expect(page.url()).toMatch(/\/console\/police\/archives\/arc_[A-Za-z0-9_-]+\?made=1$/);
    const archiveUrl = page.url().replace(/\?made=1$/, '');
    expect(await page.locator('#v-then').locator('..').textContent()).toContain('真实有效，为当前版本');
    expect(await page.locator('#v-now').locator('..').textContent()).toContain('真实有效，为当前版本');
    await expectAccessible(page);
    await screens(page, 'police-archive-made');

    // 落户 with a registered name that differs and the household place; the code is checked as typed.
    await page.goto(`${svc.url}/console/police`);
    await page.getByLabel('出生医学证明编号', { exact: true }).fill(issued.certificateNo);
    await page.getByLabel('查询目的', { exact: true }).selectOption('办理出生登记（落户）');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('heading', { name: '登记落户' }).waitFor();
    const birthDate = chinaDateOf(new Date(record.newborn.birthTime));
    await page
      .getByLabel('新生儿公民身份号码', { exact: true })
      .fill(childIdNumber(birthDate, record.newborn.sex as '1' | '2'));
    await page.getByLabel('落户日期', { exact: true }).fill(chinaDateOf(new Date()));
    await page.getByLabel('登记单位', { exact: true }).fill('广州市公安局天河区分局天河南派出所');
    await page.getByLabel('登记姓名（与证明姓名不同时照实填写，可不填）', { exact: true }).fill('欧阳新名');
    await page.getByLabel('户籍地（县级行政区划代码，6 位）', { exact: true }).fill('999999');
    await expect
      .poll(() => page.locator('#f-householdPlace-divisionCode-error').textContent(), { timeout: 5000 })
      .not.toBe('');
    await page.getByLabel('户籍地详细地址', { exact: true }).fill('广东省广州市天河区体育东路 88 号');
    await expectAccessible(page);
    await screens(page, 'police-household-place-error');
    await page.getByLabel('户籍地（县级行政区划代码，6 位）', { exact: true }).fill('440106');
    await expect
      .poll(() => page.locator('#f-householdPlace-divisionCode-error').textContent(), { timeout: 5000 })
      .toBe('');
    await screens(page, 'police-household-full-form');
    await page.getByRole('button', { name: '登记落户' }).click();
    await page.getByText('已登记落户。').waitFor();
    const recordText = await page.locator('dl.items').first().textContent();
    expect(recordText).toContain('欧阳新名（与证明上的新生儿姓名不同）');
    expect(recordText).toContain('广东省广州市天河区体育东路 88 号（区划代码 440106）');
    await expectAccessible(page);
    await screens(page, 'police-household-full-registered');

    // The issuer's 补发 (over the API), then the archive: valid then, superseded now.
    const reissued = await svc.request('POST', `/api/v1/certificates/${issued.certificateNo}/reissues`, {
      token: await svc.token('issuer', 'gz'),
      json: { reason: '原证遗失', childRegistered: true },
    });
    expect(reissued.status, JSON.stringify(reissued.body)).toBe(201);
    await page.getByRole('link', { name: '核验留档' }).click();
    await page.getByLabel('户籍业务受理编号', { exact: true }).fill('HJ-2026-0001');
    await page.getByRole('button', { name: '查找留档' }).click();
    await page.getByRole('heading', { name: '受理编号 HJ-2026-0001 的留档' }).waitFor();
    await expectAccessible(page);
    await screens(page, 'police-archive-list');
    await page.getByRole('link', { name: `查看 ${issued.certificateNo}` }).click();
    await page.waitForLoadState('load');
    expect(page.url()).toBe(archiveUrl);
    expect(await page.locator('#v-then').locator('..').textContent()).toContain('真实有效，为当前版本');
    const now = await page.locator('#v-now').locator('..').textContent();
    expect(now).toContain(`已被 ${reissued.body.certificateNo} 替代`);
    expect(now).toContain('已被替代');
    await expectAccessible(page);
    await screens(page, 'police-archive-then-now');

    // The archived e-licence downloads byte for byte as archived.
    const download = await context.request.get(`${archiveUrl}/signed.json`);
    const original = await fetch(`${svc.url}${issued.links.signedJson}?purpose=${encodeURIComponent('核验留档')}`, {
      headers: { authorization: `Bearer ${await svc.token('police')}` },
    });
    expect(await download.text()).toBe(await original.text());
    await context.close();
  });
});
