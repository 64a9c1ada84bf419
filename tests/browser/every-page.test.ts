/**
 * Every public and citizen page in English as in Chinese: axe-core finds nothing serious or
 * critical on any of them, each state of each page gets its English screenshots (docs/screens/,
 * UPDATE_SCREENS=1), and a representative part of the API's bad-input corpus shows beside its
 * field through the enhanced (htmx) form in a real browser, in Chinese.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords } from '../fixtures/records.ts';
import { startTestService, type TestService } from '../http/harness.ts';
import { bornBefore, qrTextOf, recordDelivery, type Staff, staffOf } from '../http/lifecycle-helpers.ts';
import { launch, seriousViolations } from './browser-kit.ts';
import { saveScreens } from './screens.ts';

const SCREENS = path.resolve(import.meta.dirname, '../../docs/screens');

let svc: TestService;
let gz: Staff;
let browser: Browser;
const record = bornBefore(fixtureRecords[2]!, new Date(), 1);
const story = {} as { code: string; applicationId: string; certificateNo: string; claimCode: string; qr: string };

beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  gz = await staffOf(svc, 'gz');
  story.code = (await recordDelivery(svc, gz.midwife, record)).applicationCode as string;
  browser = await launch();
  mkdirSync(SCREENS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

/** axe finds nothing serious; both widths saved when UPDATE_SCREENS=1. */
async function check(p: Page, name: string) {
  expect(await seriousViolations(p), name).toEqual([]);
  await saveScreens(p, SCREENS, name);
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

describe('every page in English: axe and screenshots', () => {
  let p: Page;
  beforeAll(async () => {
    const ctx = await browser.newContext({
      locale: 'en-GB',
      viewport: { width: 360, height: 800 },
      acceptDownloads: true,
    });
    p = await ctx.newPage();
  });

  it('the front door', async () => {
    await p.goto(`${svc.url}/`);
    expect(await p.locator('html').getAttribute('lang')).toBe('en');
    await check(p, 'home-en');
  });

  it('apply: the form, its errors, submitted, returned, issued', async () => {
    await p.goto(`${svc.url}/apply`);
    await check(p, 'apply-en');
    const father = p.getByRole('group', { name: 'Father' });
    const applicant = p.getByRole('group', { name: 'Applicant' });
    // The pick lists speak English too, with the Chinese name the certificate prints.
    expect(await father.getByLabel('Ethnic group').locator('option:checked').textContent()).toBe('Han (汉族)');
    expect(await father.getByLabel('ID document type').locator('option:checked').textContent()).toBe(
      'Resident identity card (居民身份证)',
    );
    // A long English label beside it must not squeeze the box below its 24 px.
    const box = await p.getByLabel("The father's details are unknown or cannot be given").boundingBox();
    expect([box?.width, box?.height]).toEqual([24, 24]);
    await p.getByLabel('Application code').first().fill(story.code);
    await p.getByLabel("Mother's ID number").first().fill(record.mother.idNumber);
    await p.getByLabel("Newborn's name").fill(record.newborn.name);
    const f = record.father!;
    await father.getByLabel('Name').fill(f.name);
    await father.getByLabel('Age (years)').fill(String(f.age));
    await father.getByLabel(/Nationality/).fill(f.nationality);
    await father.getByLabel('Address').fill(f.address);
    await father
      .getByLabel('ID document number')
      .fill(`${f.idNumber.slice(0, 17)}${f.idNumber.endsWith('0') ? '1' : '0'}`);
    await applicant.getByLabel('Name').fill(record.mother.name);
    await applicant.getByLabel('ID document number').fill(record.mother.idNumber);
    await p.getByRole('button', { name: 'Submit the application' }).click();
    await expect
      .poll(() => p.locator('#f-father-idNumber-error').textContent())
      .toBe('Has a wrong check character (GB 11643-1999).');
    await htmxSettled(p);
    await check(p, 'apply-errors-en');
    await father.getByLabel('ID document number').fill(f.idNumber);
    await p.getByRole('button', { name: 'Submit the application' }).click();
    await p.waitForURL(`${svc.url}/apply/status`);
    expect(await p.locator('#status-heading').textContent()).toBe('Submitted, waiting for the review');
    await check(p, 'apply-submitted-en');
    const queue = await svc.request('GET', '/api/v1/applications', { token: gz.issuer });
    story.applicationId = queue.body.applications.find((a: { channel: string }) => a.channel === 'online').id;
    const returned = await svc.request('POST', `/api/v1/applications/${story.applicationId}/return`, {
      token: gz.issuer,
      json: { reason: 'The address of the father is incomplete' },
    });
    expect(returned.status).toBe(200);
    await p.reload();
    expect(await p.locator('#status-heading').textContent()).toBe('Returned for correction');
    await check(p, 'apply-returned-en');
    await p.getByRole('button', { name: 'Correct and resubmit' }).click();
    await p.getByRole('heading', { name: 'Submitted, waiting for the review' }).waitFor();
    const issued = await svc.request('POST', `/api/v1/applications/${story.applicationId}/issue`, { token: gz.issuer });
    expect(issued.status).toBe(201);
    Object.assign(story, { certificateNo: issued.body.certificateNo, claimCode: issued.body.claimCode });
    await p.reload();
    expect(await p.locator('#status-heading').textContent()).toBe('Issued');
    await check(p, 'apply-issued-en');
  });

  it('my: the claim form, a refusal, the certificate', async () => {
    await p.goto(`${svc.url}/my`);
    await check(p, 'my-claim-en');
    await p.getByLabel('Certificate number').fill(story.certificateNo);
    await p.getByLabel("Mother's ID number").fill(record.mother.idNumber);
    await p.getByLabel('Claim code').fill('WRONGCODE2');
    await p.getByRole('button', { name: 'Open' }).click();
    await p.getByRole('alert').waitFor();
    await htmxSettled(p);
    await check(p, 'my-claim-refused-en');
    await p.getByLabel('Claim code').fill(story.claimCode);
    await p.getByRole('button', { name: 'Open' }).click();
    await p.getByRole('heading', { name: 'Items' }).waitFor();
    await check(p, 'my-certificate-en');
    const pdf = await svc.request('GET', `/api/v1/certificates/${story.certificateNo}/pdf`, { token: gz.issuer });
    story.qr = await qrTextOf(pdf.body as Uint8Array);
  });

  it('verify: an empty field, genuine and current, replaced', async () => {
    await p.goto(`${svc.url}/verify`);
    await p.getByRole('button', { name: 'Verify', exact: true }).click();
    await p.locator('#f-qr-error').waitFor();
    await htmxSettled(p);
    await check(p, 'verify-empty-en');
    await p.getByLabel(/QR text/).fill(story.qr);
    await p.getByLabel(/QR text/).press('Enter');
    await expect.poll(() => p.locator('#verdict-heading').textContent()).toBe('Genuine and current');
    await htmxSettled(p);
    await check(p, 'verify-valid-en');
    const replaced = await svc.request('POST', `/api/v1/certificates/${story.certificateNo}/replacements`, {
      token: gz.issuer,
      json: {
        reason: '更正父亲住址',
        changes: { father: { ...record.father!, address: `${record.father!.address}1室` } },
      },
    });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(201);
    await p.goto(`${svc.url}/verify`);
    await p.getByLabel(/QR text/).fill(story.qr);
    await p.getByLabel(/QR text/).press('Enter');
    await expect
      .poll(() => p.locator('#verdict-heading').textContent())
      .toBe(`Replaced by ${replaced.body.certificateNo}`);
    await htmxSettled(p);
    await check(p, 'verify-replaced-en');
  });
});

describe('the Chinese states the journeys do not check', () => {
  it('a refused claim and an empty QR field', async () => {
    const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 360, height: 800 } });
    const p = await ctx.newPage();
    await p.goto(`${svc.url}/my`);
    await p.getByLabel('出生医学证明编号').fill(story.certificateNo);
    await p.getByLabel('母亲身份证件号码').fill(record.mother.idNumber);
    await p.getByLabel('领取码').fill('WRONGCODE2');
    await p.getByRole('button', { name: '领取' }).click();
    await p.getByRole('alert').waitFor();
    await htmxSettled(p);
    await check(p, 'my-claim-refused');
    await p.goto(`${svc.url}/verify`);
    await p.getByRole('button', { name: '核验', exact: true }).click();
    await p.locator('#f-qr-error').waitFor();
    await htmxSettled(p);
    await check(p, 'verify-empty');
    await ctx.close();
  });

  it('corpus errors through the enhanced apply form show beside their fields, in Chinese', async () => {
    const other = bornBefore(fixtureRecords[3]!, new Date(), 2);
    const code = (await recordDelivery(svc, gz.midwife, other)).applicationCode as string;
    const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 360, height: 800 } });
    const p = await ctx.newPage();
    await p.goto(`${svc.url}/apply`);
    const father = p.getByRole('group', { name: '父亲信息' });
    const applicant = p.getByRole('group', { name: '申请人' });
    const f = other.father!;
    await p.getByLabel('申领码').first().fill(code);
    await p.getByLabel('母亲身份证件号码').first().fill(other.mother.idNumber);
    await p.getByRole('group', { name: '新生儿' }).getByLabel('新生儿姓名').fill('');
    await father.getByLabel('姓名').fill(f.name);
    await father.getByLabel('年龄（周岁）').fill('33.5');
    await father.getByLabel(/国籍/).fill(f.nationality);
    await father.getByLabel('住址').fill('A'.repeat(10_000));
    await father.getByLabel('有效身份证件号码').fill(f.idNumber);
    await applicant.getByLabel('姓名').fill(other.mother.name);
    await applicant.getByLabel('有效身份证件号码').fill(other.mother.idNumber);
    const beside = async (label: ReturnType<Page['getByLabel']>) =>
      p.locator(`#${await label.getAttribute('aria-describedby')}`).textContent();
    await p.getByRole('button', { name: '提交申领' }).click();
    const name = p.getByRole('group', { name: '新生儿' }).getByLabel('新生儿姓名');
    await expect.poll(() => name.getAttribute('aria-invalid')).toBe('true');
    expect(await beside(name)).toBe('此项必填。');
    expect(await beside(father.getByLabel('年龄（周岁）'))).toBe('应为整数。');
    expect(await beside(father.getByLabel('住址'))).toBe('内容过长，最多 100 个字。');
    await htmxSettled(p);
    await p.getByRole('group', { name: '新生儿' }).getByLabel('新生儿姓名').fill(other.newborn.name);
    await father.getByLabel('年龄（周岁）').fill(String(f.age));
    await father.getByLabel('住址').fill(f.address);
    await father.getByLabel(/国籍/).fill('XYZ');
    await applicant
      .getByLabel('有效身份证件号码')
      .fill(`${other.mother.idNumber.slice(0, 17)}${other.mother.idNumber.endsWith('0') ? '1' : '0'}`);
    await p.getByRole('button', { name: '提交申领' }).click();
    await expect.poll(() => father.getByLabel(/国籍/).getAttribute('aria-invalid')).toBe('true');
    expect(await beside(father.getByLabel(/国籍/))).toBe('应为三位大写字母国家代码，例如 CHN。');
    expect(await beside(applicant.getByLabel('有效身份证件号码'))).toBe('身份证号码校验位不正确，请核对。');
    await htmxSettled(p);
    await check(p, 'apply-errors-corpus');
    await ctx.close();
  });
});
