import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords, withAnotherMother } from '../fixtures/records.ts';
import { startTestService, type TestService } from '../http/harness.ts';
import { bornBefore, chinaDateOf, type Issued, issueBirth, staffOf } from '../http/lifecycle-helpers.ts';
import { launch, seriousViolations } from './browser-kit.ts';
import { consoleKit } from './console-kit.ts';
import { saveScreens } from './screens.ts';

/**
 * 预约取证 in the browser: the issuer publishes tomorrow's slots on the console, a parent (claim
 * code path) books, moves, cancels and books again on /my, the issuer hands the paper over from
 * the day's list, and the parent's page then shows it collected.
 */

const SCREENS = path.resolve(import.meta.dirname, '../../docs/screens');

let svc: TestService;
let browser: Browser;
let parent: { context: BrowserContext; page: Page };
let issuer: { context: BrowserContext; page: Page };
const record = withAnotherMother(bornBefore(fixtureRecords[1]!, new Date(), 2), 7);
let issued: Issued;
/** Tomorrow in China, so the slots are in the future whatever time the test runs. */
const tomorrow = chinaDateOf(new Date(Date.now() + 86_400_000));

beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  issued = await issueBirth(svc, await staffOf(svc, 'gz'), record);
  browser = await launch();
  mkdirSync(SCREENS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

const kit = consoleKit(
  () => svc,
  () => browser,
);

/** The parents' page at both widths for docs/screens/, when UPDATE_SCREENS=1. */
async function screens(p: Page, name: string) {
  await saveScreens(p, SCREENS, name);
}

const expectAccessible = async (p: Page) => expect(await seriousViolations(p)).toEqual([]);
const currentText = (p: Page) => p.locator('#current-heading + *').textContent();

describe('collection appointments (预约取证)', () => {
  it('the issuer publishes two slots for tomorrow on 今日取证; a missing capacity is shown beside its box', async () => {
    issuer = await kit.newPage();
    const { page } = issuer;
    await kit.signIn(page, 'issuer');
    await page.getByRole('link', { name: '今日取证' }).click();
    await page.getByRole('heading', { name: '今日取证', level: 1 }).waitFor();
    await kit.expectAccessible(page);

    await page.getByLabel('时段日期', { exact: true }).fill(tomorrow);
    await page.getByLabel('开始时间', { exact: true }).fill('09:00');
    await page.getByLabel('结束时间', { exact: true }).fill('10:00');
    await page.getByRole('button', { name: '发布时段' }).click();
    await expect.poll(() => page.locator('#f-capacity-error').textContent()).toBeTruthy();
    expect(await page.getByRole('alert').first().textContent()).toBe('有 1 处需要修改。');
    await kit.expectAccessible(page);

    await page.getByLabel('名额', { exact: true }).fill('3');
    await page.getByRole('button', { name: '发布时段' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('已发布时段。');
    expect(page.url()).toContain(`date=${tomorrow}`);
    await page.getByLabel('时段日期', { exact: true }).fill(tomorrow);
    await page.getByLabel('开始时间', { exact: true }).fill('10:00');
    await page.getByLabel('结束时间', { exact: true }).fill('11:00');
    await page.getByLabel('名额', { exact: true }).fill('2');
    await page.getByRole('button', { name: '发布时段' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 2, name: /^09:00–10:00/ }).count()).toBe(1);
    expect(await page.getByRole('heading', { level: 2, name: /^10:00–11:00/ }).count()).toBe(1);
  });

  it('the parent books on /my, moves, cancels and books again', async () => {
    parent = await kit.newPage();
    const { page } = parent;
    await page.goto(`${svc.url}/my`);
    await page.getByLabel('出生医学证明编号').fill(issued.certificateNo);
    await page.getByLabel('母亲身份证件号码').fill(record.mother.idNumber);
    await page.getByLabel('领取码').fill(issued.claimCode);
    await page.getByRole('button', { name: '领取' }).click();
    await page.getByRole('heading', { name: '预约取证' }).waitFor();
    expect(await page.getByText('尚未预约领取纸质证书。').count()).toBe(1);
    await page.getByRole('link', { name: '预约或更改领取时间' }).click();
    await page.getByRole('heading', { name: '预约取证', level: 1 }).waitFor();
    await expectAccessible(page);
    await screens(page, 'my-appointment-choose');

    // Booking without a choice: the error is beside the list of times.
    await page.getByRole('button', { name: '预约此时段' }).click();
    await expect.poll(() => page.locator('#f-slotId-error').textContent()).toBe('请选择一个时段。');
    await expectAccessible(page);

    await page.getByRole('radio', { name: new RegExp(`^${tomorrow} 09:00 至 10:00`) }).check();
    await page.getByRole('button', { name: '预约此时段' }).click();
    await expect.poll(() => currentText(page)).toBe(`已预约：${tomorrow} 09:00 至 10:00（北京时间）`);
    await expectAccessible(page);
    await screens(page, 'my-appointment-booked');

    await page.getByRole('radio', { name: new RegExp(`^${tomorrow} 10:00 至 11:00`) }).check();
    await page.getByRole('button', { name: '改约到所选时段' }).click();
    await expect.poll(() => currentText(page)).toBe(`已预约：${tomorrow} 10:00 至 11:00（北京时间）`);
    // The seat given back shows again: the first slot has all three places.
    expect(await page.getByRole('radio', { name: /余 3 个名额/ }).count()).toBe(1);

    await page.getByRole('button', { name: '取消预约' }).click();
    await expect.poll(() => currentText(page)).toBe('尚未预约领取纸质证书。');
    await page.getByRole('radio', { name: new RegExp(`^${tomorrow} 09:00 至 10:00`) }).check();
    await page.getByRole('button', { name: '预约此时段' }).click();
    await expect.poll(() => currentText(page)).toBe(`已预约：${tomorrow} 09:00 至 10:00（北京时间）`);
    expect(await page.locator('#appointments-heading + ul li').allTextContents()).toEqual([
      `${tomorrow} 09:00 至 10:00（北京时间） — 已预约`,
      `${tomorrow} 10:00 至 11:00（北京时间） — 已取消`,
    ]);

    await page.goto(`${svc.url}/my/appointment?lang=en`);
    await page.getByRole('heading', { name: 'Book a time to collect the paper certificate', level: 1 }).waitFor();
    await expectAccessible(page);
    await screens(page, 'my-appointment-en');
    await page.goto(`${svc.url}/my/appointment?lang=zh-CN`);
  });

  it('the issuer sees the family on the day’s list and marks the paper handed over', async () => {
    const { page } = issuer;
    await page.goto(`${svc.url}/console/issuer/collection`);
    await page.getByLabel('日期', { exact: true }).fill(tomorrow);
    await page.getByRole('button', { name: '查看' }).click();
    // On a phone each cell also reads its column's name (证明编号：…), as it shows it.
    const row = page.getByRole('row', { name: new RegExp(issued.certificateNo) });
    await row.waitFor();
    expect(await row.getByRole('cell').allTextContents()).toEqual([
      issued.certificateNo,
      record.newborn.name,
      record.mother.name,
      '待领取',
      '已交付',
    ]);
    expect(await page.content()).not.toContain(record.mother.idNumber);
    await kit.expectAccessible(page);
    await kit.screens(page, 'issuer-collection');

    await page.getByRole('button', { name: `已交付：${record.newborn.name}（${issued.certificateNo}）` }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('已记录交付。');
    const done = await row.getByRole('cell').nth(3).textContent();
    expect(done).toMatch(/^已交付（\d{4}-\d{2}-\d{2} \d{2}:\d{2}，demo-issuer-gz）$/);
    expect(await page.getByRole('button', { name: /^已交付：/ }).count()).toBe(0);
    await kit.expectAccessible(page);
    await kit.screens(page, 'issuer-collection-handed-over');
    await issuer.context.close();
  });

  it('the parent’s page then shows the paper collected, with no way to move or cancel', async () => {
    const { page } = parent;
    await page.goto(`${svc.url}/my`);
    await expect.poll(() => page.locator('#appointment-heading + p').textContent()).toMatch(/^纸质证书已于 .+ 领取。$/);
    expect(await page.getByRole('link', { name: '预约或更改领取时间' }).count()).toBe(0);
    await page.goto(`${svc.url}/my/appointment`);
    expect(await currentText(page)).toMatch(/^纸质证书已于 .+ 领取。$/);
    expect(await page.getByRole('button', { name: '取消预约' }).count()).toBe(0);
    expect(await page.getByRole('radio').count()).toBe(0);
    await expectAccessible(page);
    await screens(page, 'my-appointment-collected');
    await parent.context.close();
  });
});
