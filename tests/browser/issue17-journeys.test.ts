import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formOfItems } from '../../src/web/forms.ts';
import { applicationBodyFor, fixtureRecords, withAnotherMother } from '../fixtures/records.ts';
import type { TestService } from '../http/harness.ts';
import {
  bornBefore,
  childIdNumber,
  chinaDateOf,
  issueBirth,
  qrTextOf,
  recordDelivery,
  staffOf,
} from '../http/lifecycle-helpers.ts';
import { realPersonAcr, type TestProvider } from '../http/oidc-test-provider.ts';
import { statements } from '../storage-kit.ts';
import { launch } from './browser-kit.ts';
import { consoleKit } from './console-kit.ts';
import { atProvider, fillItems, startServiceWithProvider } from './oidc-kit.ts';

/*
 * The journeys of issue 17's "done means", each one test in a real browser against the real
 * service and a real OpenID provider on loopback:
 *  1. a parent signs in through the platform on /apply, applies, the issuer issues it on the
 *     console, the parent (still in that session) books a collection slot, the issuer hands the
 *     paper over from 今日取证, and the parent's page shows it collected;
 *  2. a police officer verifies, archives, records 落户 with the registered name and place, the
 *     issuer reissues (补发) on the console, and the archive shows the result then and the status now.
 */

let svc: TestService;
let idp: TestProvider;
let browser: Browser;
const kit = consoleKit(
  () => svc,
  () => browser,
);
/** Tomorrow in China, so the slot is in the future whatever time the test runs. */
const tomorrow = chinaDateOf(new Date(Date.now() + 86_400_000));

beforeAll(async () => {
  ({ svc, idp } = await startServiceWithProvider());
  browser = await launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
  await idp?.close();
});

const statusHeading = (page: Page) => page.locator('#status-heading').textContent();
const currentAppointment = (page: Page) => page.locator('#current-heading + *').textContent();

describe('issue 17 journeys', () => {
  it('a parent signs in through the platform, applies online, is issued, books a slot and collects', async () => {
    const record = withAnotherMother(bornBefore(fixtureRecords[0]!, new Date(), 3), 41);
    const gz = await staffOf(svc, 'gz');
    const delivery = await recordDelivery(svc, gz.midwife, record);
    idp.people.set('journey-mother', {
      idNumber: record.mother.idNumber,
      name: record.mother.name,
      acr: realPersonAcr,
    });

    // The issuer publishes tomorrow's collection slot on 今日取证.
    const issuer = await kit.newPage();
    await kit.signIn(issuer.page, 'issuer');
    await issuer.page.getByRole('link', { name: '今日取证' }).click();
    await issuer.page.getByLabel('时段日期', { exact: true }).fill(tomorrow);
    await issuer.page.getByLabel('开始时间', { exact: true }).fill('09:00');
    await issuer.page.getByLabel('结束时间', { exact: true }).fill('10:00');
    await issuer.page.getByLabel('名额', { exact: true }).fill('2');
    await issuer.page.getByRole('button', { name: '发布时段' }).click();
    await expect.poll(() => issuer.page.getByRole('status').textContent()).toBe('已发布时段。');

    // The parent: the discharge papers' application code says which birth, the platform who she is.
    const parent = await kit.newPage();
    const { page } = parent;
    await page.goto(`${svc.url}/apply`);
    await page
      .locator('#oidc')
      .getByLabel('申领码')
      .fill(delivery.applicationCode as string);
    await page.locator('#oidc').getByRole('button', { name: '使用政务服务平台登录' }).click();
    await atProvider(page, idp, 'journey-mother');
    await page.waitForURL(`${svc.url}/apply`);
    await expect.poll(() => page.locator('.lead').textContent()).toContain('已通过政务服务平台实人认证');
    // The application form asks neither the code nor the mother's ID number again.
    expect(await page.locator('[name="applicationCode"], [name="motherIdNumber"]').count()).toBe(0);
    await fillItems(page, formOfItems(applicationBodyFor(record, delivery.id)));
    await page.getByRole('button', { name: '提交申领' }).click();
    await page.waitForURL(`${svc.url}/apply/status`);
    await expect.poll(() => statusHeading(page)).toBe('已提交，等待签发机构审核');
    expect(await page.getByRole('link', { name: '预约或更改领取时间' }).count()).toBe(0);

    // The issuer finds it in the queue as an online application and issues it.
    await issuer.page.getByRole('link', { name: '申领队列' }).click();
    const entry = issuer.page.getByRole('listitem').filter({ hasText: record.newborn.name });
    expect(await entry.textContent()).toContain('渠道：线上');
    await entry.getByRole('link', { name: `审核：${record.newborn.name}` }).click();
    await issuer.page.getByRole('heading', { name: `审核申领：${record.newborn.name}` }).waitFor();
    await issuer.page.getByRole('button', { name: '签发出生医学证明' }).click();
    await issuer.page.getByRole('heading', { name: '领取码' }).waitFor();
    const certificateNo = ((await issuer.page.getByRole('heading', { level: 1 }).textContent()) ?? '')
      .replace('出生医学证明 ', '')
      .trim();
    expect(certificateNo).toMatch(/^[A-Z][0-9]{9}$/);

    // The parent, in the same session, sees it issued and books the slot from /apply.
    await page.reload();
    await expect.poll(() => statusHeading(page)).toBe('已签发');
    expect(await page.locator('#status-heading').locator('..').textContent()).toContain(certificateNo);
    await page.getByRole('link', { name: '预约或更改领取时间' }).click();
    await page.waitForURL(`${svc.url}/apply/appointment`);
    await page.getByRole('radio', { name: new RegExp(`^${tomorrow} 09:00 至 10:00`) }).check();
    await page.getByRole('button', { name: '预约此时段' }).click();
    await expect.poll(() => currentAppointment(page)).toBe(`已预约：${tomorrow} 09:00 至 10:00（北京时间）`);
    await kit.expectAccessible(page);

    // The issuer's day list: the family, then the paper handed over.
    await issuer.page.getByRole('link', { name: '今日取证' }).click();
    await issuer.page.getByLabel('日期', { exact: true }).fill(tomorrow);
    await issuer.page.getByRole('button', { name: '查看' }).click();
    const row = issuer.page.getByRole('row', { name: new RegExp(certificateNo) });
    await row.waitFor();
    expect((await row.getByRole('cell').allTextContents()).slice(0, 4)).toEqual([
      certificateNo,
      record.newborn.name,
      record.mother.name,
      '待领取',
    ]);
    await issuer.page.getByRole('button', { name: `已交付：${record.newborn.name}（${certificateNo}）` }).click();
    await expect.poll(() => issuer.page.getByRole('status').textContent()).toBe('已记录交付。');

    // The parent's pages now say it was collected, and offer no more booking.
    await page.goto(`${svc.url}/apply/status`);
    await expect.poll(() => page.locator('#appointment-heading + p').textContent()).toMatch(/^纸质证书已于 .+ 领取。$/);
    expect(await page.getByRole('link', { name: '预约或更改领取时间' }).count()).toBe(0);
    await page.goto(`${svc.url}/apply/appointment`);
    expect(await currentAppointment(page)).toMatch(/^纸质证书已于 .+ 领取。$/);
    expect(await page.getByRole('radio').count()).toBe(0);
    await kit.expectAccessible(page);

    // Each act is in the audit log, by whom it was done.
    const actions = (
      statements(svc.running.service.sql)
        .prepare(
          "SELECT action, actor FROM audit_events WHERE action IN ('oidc.sign-in', 'certificate.issued', 'appointment.booked', 'appointment.handed-over') ORDER BY seq",
        )
        .all() as { action: string; actor: string | null }[]
    ).map((e) => `${e.action} ${e.actor ?? '—'}`);
    expect(actions).toEqual([
      'oidc.sign-in —',
      `certificate.issued ${kit.usernameOf('issuer')}`,
      'appointment.booked —',
      `appointment.handed-over ${kit.usernameOf('issuer')}`,
    ]);
    await parent.context.close();
    await issuer.context.close();
  }, 120_000);

  it('a police officer verifies, archives, records 落户 with name and place, and reads the archive after a 补发', async () => {
    const record = withAnotherMother(bornBefore(fixtureRecords[2]!, new Date(), 4), 42);
    const issued = await issueBirth(svc, await staffOf(svc, 'gz'), record);
    const pdf = await svc.request('GET', issued.links.pdf, { token: await svc.token('issuer', 'gz') });
    const qr = await qrTextOf(pdf.body as Uint8Array);

    const police = await kit.newPage();
    const { page } = police;
    await kit.signIn(page, 'police');
    // Verify the scanned QR, then archive it under the household case.
    await page.getByLabel('二维码文字（扫码枪扫描或粘贴）', { exact: true }).fill(qr);
    await page.getByRole('button', { name: '核验', exact: true }).click();
    await page.getByRole('heading', { name: '真实有效，为当前版本' }).waitFor();
    await page.getByLabel('户籍业务受理编号', { exact: true }).first().fill('HJ-2026-1717');
    await page.getByRole('button', { name: '归档', exact: true }).click();
    await page.getByText('已归档。').waitFor();
    const archiveUrl = page.url().replace(/\?made=1$/, '');
    expect(archiveUrl).toMatch(/\/console\/police\/archives\/arc_[A-Za-z0-9_-]+$/);

    // 落户 with the registered name (differs from the certificate's) and the household place.
    await page.getByRole('link', { name: '公安户籍窗口' }).click();
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
    await page.getByLabel('登记姓名（与证明姓名不同时照实填写，可不填）', { exact: true }).fill('欧阳一七');
    await page.getByLabel('户籍地（县级行政区划代码，6 位）', { exact: true }).fill('440106');
    await page.getByLabel('户籍地详细地址', { exact: true }).fill('广东省广州市天河区天河路 17 号');
    await page.getByRole('button', { name: '登记落户' }).click();
    await page.getByText('已登记落户。').waitFor();
    const registered = await page.locator('dl.items').first().textContent();
    expect(registered).toContain('欧阳一七（与证明上的新生儿姓名不同）');
    expect(registered).toContain('广东省广州市天河区天河路 17 号（区划代码 440106）');

    // The issuer's 补发 on the console: find the certificate, give the reason, reissue.
    const issuer = await kit.newPage();
    await kit.signIn(issuer.page, 'issuer');
    await issuer.page.getByRole('link', { name: '查找本机构的证明' }).click();
    await issuer.page.getByLabel('出生医学证明编号', { exact: true }).fill(issued.certificateNo);
    await issuer.page.getByRole('button', { name: '查找' }).click();
    await issuer.page.getByRole('link', { name: `审核：${issued.certificateNo}` }).click();
    await issuer.page.getByRole('heading', { name: `出生医学证明 ${issued.certificateNo}` }).waitFor();
    await issuer.page.getByLabel('补发原因（如：原证遗失）', { exact: true }).fill('原证遗失');
    await issuer.page.getByRole('button', { name: '补发新证' }).click();
    await issuer.page.getByRole('heading', { name: '领取码' }).waitFor();
    const successor = ((await issuer.page.getByRole('heading', { level: 1 }).textContent()) ?? '')
      .replace('出生医学证明 ', '')
      .trim();
    expect(successor).toMatch(/^[A-Z][0-9]{9}$/);
    expect(successor).not.toBe(issued.certificateNo);
    await issuer.context.close();

    // The archive, found by its case: valid then, superseded by the 补发 now.
    await page.getByRole('link', { name: '核验留档' }).click();
    await page.getByLabel('户籍业务受理编号', { exact: true }).fill('HJ-2026-1717');
    await page.getByRole('button', { name: '查找留档' }).click();
    await page.getByRole('heading', { name: '受理编号 HJ-2026-1717 的留档' }).waitFor();
    await page.getByRole('link', { name: `查看 ${issued.certificateNo}` }).click();
    await page.waitForLoadState('load');
    expect(page.url()).toBe(archiveUrl);
    expect(await page.locator('#v-then').locator('..').textContent()).toContain('真实有效，为当前版本');
    const now = await page.locator('#v-now').locator('..').textContent();
    expect(now).toContain(`已被 ${successor} 替代`);
    await kit.expectAccessible(page);

    const actions = (
      statements(svc.running.service.sql)
        .prepare(
          "SELECT action, target FROM audit_events WHERE action IN ('police-archive.created', 'household.registered', 'certificate.reissued', 'police-archive.read') AND target IN (?, ?) ORDER BY seq",
        )
        .all(issued.certificateNo, successor) as { action: string; target: string }[]
    ).map((e) => e.action);
    // Opening the archive just made is a read too.
    expect(actions).toEqual([
      'police-archive.created',
      'police-archive.read',
      'household.registered',
      'certificate.reissued',
      'police-archive.read',
    ]);
    await police.context.close();
  }, 120_000);
});
