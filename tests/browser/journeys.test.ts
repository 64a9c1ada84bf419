import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords } from '../fixtures/records.ts';
import { startTestService, type TestService } from '../http/harness.ts';
import { bornBefore, qrTextOf, recordDelivery, type Staff, staffOf } from '../http/lifecycle-helpers.ts';
import { fakeCameraOf, launch, seriousViolations } from './browser-kit.ts';
import { saveScreens } from './screens.ts';

const SCREENS = path.resolve(import.meta.dirname, '../../docs/screens');
const work = mkdtempSync(path.join(tmpdir(), 'bc-browser-'));

let svc: TestService;
let gz: Staff;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const record = bornBefore(fixtureRecords[0]!, new Date(), 1);
const story = {} as {
  code: string;
  applicationId: string;
  certificateNo: string;
  claimCode: string;
  pdf: Buffer;
  qr: string;
};

beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  gz = await staffOf(svc, 'gz');
  browser = await launch();
  context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 360, height: 800 }, acceptDownloads: true });
  page = await context.newPage();
  mkdirSync(SCREENS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

/**
 * Both widths of the page as it is now, for docs/screens/ (looked at before committing), when
 * UPDATE_SCREENS=1: a plain test run leaves the committed screenshots alone.
 */
async function screens(p: Page, name: string) {
  await saveScreens(p, SCREENS, name);
}

async function expectAccessible(p: Page) {
  expect(await seriousViolations(p)).toEqual([]);
}

const father = () => page.getByRole('group', { name: '父亲信息' });
const applicant = () => page.getByRole('group', { name: '申请人' });

describe('parents apply online, the issuer issues, the parents collect, a clerk verifies', () => {
  it('the midwife records the delivery over the API and gets the application code', async () => {
    const delivery = await recordDelivery(svc, gz.midwife, record);
    story.code = delivery.applicationCode as string;
    expect(story.code).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
  });

  it('the front door leads to the three ways in', async () => {
    await page.goto(`${svc.url}/`);
    await expect.poll(() => page.title()).toBe('出生医学证明电子证照 · 出生医学证明电子证照');
    for (const name of ['核验证照', '领取我的电子证照', '线上申领']) {
      expect(await page.getByRole('link', { name: new RegExp(name) }).count()).toBe(1);
    }
    await expectAccessible(page);
    await screens(page, 'home');
  });

  it('a wrong father ID number on /apply shows the error beside the field, in Chinese', async () => {
    await page.goto(`${svc.url}/apply`);
    await expectAccessible(page);
    await screens(page, 'apply');
    await fillApplication(page, { fatherIdNumber: `${record.father!.idNumber.slice(0, 17)}0` });
    await page.getByRole('button', { name: '提交申领' }).click();
    const field = father().getByLabel('有效身份证件号码');
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby'))!;
    expect(await page.locator(`#${describedBy}`).textContent()).toBe('身份证号码校验位不正确，请核对。');
    expect(page.url()).toBe(`${svc.url}/apply`);
    await expectAccessible(page);
    await screens(page, 'apply-errors');
  });

  it('with the right items the application is submitted and the status page says so', async () => {
    await fillApplication(page, {});
    await page.getByRole('button', { name: '提交申领' }).click();
    await page.waitForURL(`${svc.url}/apply/status`);
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toBe('已提交，等待签发机构审核');
    await expectAccessible(page);
    await screens(page, 'apply-submitted');
    const queue = await svc.request('GET', '/api/v1/applications', { token: gz.issuer });
    story.applicationId = queue.body.applications.find((a: { channel: string }) => a.channel === 'online').id;
  });

  it('returned for correction: the reason shows, the parents correct and resubmit', async () => {
    const reason = '新生儿姓名有误，请更正';
    const returned = await svc.request('POST', `/api/v1/applications/${story.applicationId}/return`, {
      token: gz.issuer,
      json: { reason },
    });
    expect(returned.status).toBe(200);
    await page.reload();
    expect(await page.getByText(`退回原因：${reason}`).count()).toBe(1);
    await expectAccessible(page);
    await screens(page, 'apply-returned');
    await page.getByRole('group', { name: '新生儿' }).getByLabel('新生儿姓名').fill('李沐阳');
    await page.getByRole('button', { name: '更正后重新提交' }).click();
    await page.getByRole('heading', { name: '已提交，等待签发机构审核' }).waitFor();
    expect(await page.getByText('退回原因').count()).toBe(0);
  });

  it('issued over the API: the status page offers the PDF right there', async () => {
    const issued = await svc.request('POST', `/api/v1/applications/${story.applicationId}/issue`, { token: gz.issuer });
    expect(issued.status).toBe(201);
    Object.assign(story, { certificateNo: issued.body.certificateNo, claimCode: issued.body.claimCode });
    await page.reload();
    expect(await page.getByRole('heading', { name: '已签发' }).count()).toBe(1);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: '下载 PDF 电子证照' }).click();
    const file = path.join(work, 'from-apply.pdf');
    await (await download).saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    await expectAccessible(page);
    await screens(page, 'apply-issued');
  });

  it('the parents claim on /my (a wrong code first), see the items and download a PDF pdfsig accepts', async () => {
    await page.goto(`${svc.url}/my`);
    await expectAccessible(page);
    await screens(page, 'my-claim');
    await page.getByLabel('出生医学证明编号').fill(story.certificateNo);
    await page.getByLabel('母亲身份证件号码').fill(record.mother.idNumber);
    await page.getByLabel('领取码').fill('WRONGCODE2');
    await page.getByRole('button', { name: '领取' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('编号、身份证件号码或领取码不正确');
    // The refusal was swapped in by htmx: submit again only once it has settled, or htmx may drop the click.
    // Polled from the test (not waitForFunction, whose in-page polling the page's CSP refuses).
    await expect
      .poll(() =>
        page.evaluate<boolean>(
          "'htmx' in window && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')",
        ),
      )
      .toBe(true);
    await page.getByLabel('领取码').fill(story.claimCode);
    await page.getByRole('button', { name: '领取' }).click();
    await page.getByRole('heading', { name: '证照信息' }).waitFor();
    expect(await page.getByText('有效（当前版本）').count()).toBeGreaterThan(0);
    expect(await page.getByText('李沐阳').count()).toBeGreaterThan(0);
    // The mother's ID number is never on screen here, nor in the page's address or title.
    const html = await page.content();
    expect(html).not.toContain(record.mother.idNumber);
    expect(await page.title()).not.toContain(record.mother.idNumber);
    await expectAccessible(page);
    await screens(page, 'my-certificate');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: '下载 PDF 电子证照' }).click();
    const file = path.join(work, 'certificate.pdf');
    await (await download).saveAs(file);
    story.pdf = readFileSync(file);
    story.qr = await qrTextOf(story.pdf);
    const pdfsig = execFileSync('pdfsig', [file], { encoding: 'utf8' });
    expect(pdfsig).toContain('Signature Validation: Signature is Valid.');
  });

  it('a clerk pastes the QR text (a scanner ends with Enter) → genuine and current', async () => {
    await page.goto(`${svc.url}/verify`);
    await expectAccessible(page);
    await screens(page, 'verify');
    await page.getByLabel(/二维码文字/).fill(story.qr);
    await page.getByLabel(/二维码文字/).press('Enter');
    await expect.poll(() => page.locator('#verdict-heading').textContent()).toBe('真实有效，为当前版本');
    expect(await page.getByText(story.certificateNo).count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await screens(page, 'verify-valid');
  });

  it('uploading the PDF → genuine and current', async () => {
    await page.goto(`${svc.url}/verify`);
    await page
      .getByLabel(/PDF 电子证照/)
      .setInputFiles({ name: 'c.pdf', mimeType: 'application/pdf', buffer: story.pdf });
    await page.getByRole('button', { name: '上传并核验' }).click();
    await expect.poll(() => page.locator('#verdict-heading').textContent()).toBe('真实有效，为当前版本');
  });

  it('the camera (a fake device filming the QR) → genuine and current', async () => {
    const camera = await launch([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${await fakeCameraOf(story.qr)}`,
    ]);
    try {
      const ctx = await camera.newContext({ locale: 'zh-CN', viewport: { width: 360, height: 800 } });
      await ctx.grantPermissions(['camera'], { origin: svc.url });
      const p = await ctx.newPage();
      await p.goto(`${svc.url}/verify`);
      await p.getByRole('button', { name: '用摄像头扫描' }).click();
      await p.locator('#verdict-heading').waitFor({ timeout: 20_000 });
      expect(await p.locator('#verdict-heading').textContent()).toBe('真实有效，为当前版本');
    } finally {
      await camera.close();
    }
  });

  it('after a replacement the old QR says "replaced by …"', async () => {
    const replaced = await svc.request('POST', `/api/v1/certificates/${story.certificateNo}/replacements`, {
      token: gz.issuer,
      json: { reason: '更正新生儿姓名', changes: { newborn: { name: '李沐晨' } } },
    });
    expect(replaced.status).toBe(201);
    await page.goto(`${svc.url}/verify`);
    await page.getByLabel(/二维码文字/).fill(story.qr);
    await page.getByRole('button', { name: '核验', exact: true }).click();
    await expect
      .poll(() => page.locator('#verdict-heading').textContent())
      .toBe(`已被 ${replaced.body.certificateNo} 替代`);
    await expectAccessible(page);
    await screens(page, 'verify-replaced');
  });

  it('bad files give clear messages and no 5xx: 10 MB, not a PDF, a PDF with a broken signature', async () => {
    await page.goto(`${svc.url}/verify`);
    const upload = async (name: string, mimeType: string, buffer: Buffer) => {
      await page.getByLabel(/PDF 电子证照/).setInputFiles({ name, mimeType, buffer });
      const response = page.waitForResponse((r) => r.url().endsWith('/verify/file'));
      await page.getByRole('button', { name: '上传并核验' }).click();
      return (await response).status();
    };
    expect(await upload('big.pdf', 'application/pdf', Buffer.alloc(10 * 1024 * 1024, 0x25))).toBe(413);
    await expect
      .poll(() => page.locator('#f-file-error').textContent())
      .toBe('文件超过 4 MB，不是本系统签发的电子证照文件。');
    expect(await upload('notes.txt', 'text/plain', Buffer.from('not a certificate'))).toBe(400);
    await expect
      .poll(() => page.locator('#f-file-error').textContent())
      .toBe('无法识别该文件：请上传 PDF 电子证照、signed.json 或二维码照片。');
    const broken = Buffer.from(story.pdf);
    const at = broken.indexOf('/Contents <') + 20;
    broken[at] = broken[at] === 0x30 ? 0x31 : 0x30;
    expect(await upload('broken.pdf', 'application/pdf', broken)).toBe(200);
    await expect
      .poll(() => page.locator('#verdict-heading').textContent())
      .toMatch(/PDF 签名缺失或无效|内容被篡改或签名无效/);
  });

  it('every page in English too, chosen by Accept-Language and by the visible switch; axe finds nothing serious', async () => {
    const en = await browser.newContext({ locale: 'en-GB', viewport: { width: 360, height: 800 } });
    const p = await en.newPage();
    for (const route of ['/', '/verify', '/my', '/apply']) {
      await p.goto(`${svc.url}${route}`);
      expect(await p.locator('html').getAttribute('lang')).toBe('en');
      expect(await seriousViolations(p)).toEqual([]);
    }
    await p.goto(`${svc.url}/verify`);
    await screens(p, 'verify-en');
    await p.getByRole('link', { name: '中文' }).click();
    expect(await p.locator('html').getAttribute('lang')).toBe('zh-CN');
    await p.goto(`${svc.url}/`);
    expect(await p.locator('html').getAttribute('lang')).toBe('zh-CN');
    await en.close();
  });

  it('the claim form works by keyboard alone', async () => {
    const ctx = await browser.newContext({ locale: 'zh-CN' });
    const p = await ctx.newPage();
    await p.goto(`${svc.url}/my`);
    // The number box takes the focus itself (autofocus); typing before it has would lose keys.
    await expect
      .poll(() => p.evaluate<string>("document.activeElement?.getAttribute('name') ?? ''"))
      .toBe('certificateNo');
    await p.keyboard.type('Q000000000');
    await p.keyboard.press('Tab');
    await p.keyboard.type(record.mother.idNumber);
    await p.keyboard.press('Tab');
    await p.keyboard.type('ABCDEFGHJK');
    await p.keyboard.press('Tab');
    await p.keyboard.press('Enter');
    await expect.poll(() => p.getByRole('alert').textContent()).toContain('领取码不正确');
    await ctx.close();
  });
});

async function fillApplication(p: Page, overrides: { fatherIdNumber?: string }) {
  const f = record.father!;
  await p.getByLabel('申领码').first().fill(story.code);
  await p.getByLabel('母亲身份证件号码').first().fill(record.mother.idNumber);
  await p.getByRole('group', { name: '新生儿' }).getByLabel('新生儿姓名').fill(record.newborn.name);
  await father().getByLabel('姓名').fill(f.name);
  await father().getByLabel('年龄（周岁）').fill(String(f.age));
  await father().getByLabel(/国籍/).fill(f.nationality);
  await father()
    .getByLabel('民族')
    .selectOption(f.ethnicity ?? '');
  await father().getByLabel('住址').fill(f.address);
  await father().getByLabel('有效身份证件类别').selectOption(f.idType);
  await father()
    .getByLabel('有效身份证件号码')
    .fill(overrides.fatherIdNumber ?? f.idNumber);
  await applicant().getByLabel('姓名').fill(record.mother.name);
  await applicant().getByLabel('与新生儿关系').selectOption('mother');
  await applicant().getByLabel('有效身份证件类别').selectOption(record.mother.idType);
  await applicant().getByLabel('有效身份证件号码').fill(record.mother.idNumber);
}
