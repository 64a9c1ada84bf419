import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords, withAnotherMother } from '../fixtures/records.ts';
import { startTestService, type TestService } from '../http/harness.ts';
import {
  bornBefore,
  demo,
  type Issued,
  issueBirth,
  qrTextOf,
  staffOf,
  verifyOverHttp,
} from '../http/lifecycle-helpers.ts';
import { launch } from './browser-kit.ts';
import { consoleKit } from './console-kit.ts';

let svc: TestService;
let browser: Browser;

interface Birth {
  issued: Issued;
  pdf: Buffer;
  qr: string;
  motherIdNumber: string;
  motherName: string;
}
/** Two certificates signed before the revocation time `cut`, two after it, all by the gz key of the day. */
const births = {} as { before: Birth; fraud: Birth; after1: Birth; after2: Birth };
let cut: Date;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The Beijing wall-clock time of an instant, as a datetime-local box with seconds takes it. */
const beijingSeconds = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19);

async function issue(serial: number): Promise<Birth> {
  const staff = await staffOf(svc, 'gz');
  const record = bornBefore(withAnotherMother(fixtureRecords[0]!, serial), new Date(), 2);
  const issued = await issueBirth(svc, staff, record);
  const pdf = await svc.request('GET', `/api/v1/certificates/${issued.certificateNo}/pdf`, { token: staff.issuer });
  return {
    issued,
    pdf: pdf.body,
    qr: await qrTextOf(pdf.body),
    motherIdNumber: record.mother.idNumber,
    motherName: record.mother.name,
  };
}

beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  browser = await launch();
  births.before = await issue(11);
  births.fraud = await issue(12);
  // Signing times are whole seconds: the cut lies strictly between the two groups.
  await sleep(1100);
  cut = new Date(Math.floor(Date.now() / 1000) * 1000);
  // Not a minute's first second: a datetime-local box leaves ':00' seconds out of its value.
  if (cut.getUTCSeconds() === 0) {
    await sleep(1000);
    cut = new Date(cut.getTime() + 1000);
  }
  await sleep(1100);
  births.after1 = await issue(13);
  births.after2 = await issue(14);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

const { newPage, signIn, screens, expectAccessible } = consoleKit(
  () => svc,
  () => browser,
);

const verdictOf = async (qr: string) => {
  const res = await verifyOverHttp(svc, { qr });
  expect(res.status).toBe(200);
  return { valid: res.body.valid as boolean, reason: res.body.reason as string | undefined };
};

describe('the administrator at work', () => {
  it('receives a number range and sees each institution’s stock use; an overlapping range is refused beside its field', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'admin');
    expect(page.url()).toBe(`${svc.url}/console/admin`);
    await page.getByRole('heading', { name: '机构与号段' }).waitFor();
    const gzRow = page.getByRole('row', { name: new RegExp(demo.gz.name) });
    // 99 999 received with the demo stock; four issued, none voided.
    expect(await gzRow.locator('td.num').allTextContents()).toEqual(['99999', '4', '0', '99995', '0.00%']);
    await expectAccessible(page);
    await screens(page, 'admin-stock');

    await page.getByLabel('领取机构', { exact: true }).selectOption({ label: demo.gz.name });
    await page.getByLabel('批次字母（一个大写字母）', { exact: true }).fill('R');
    await page.getByLabel('起始号（9 位数字）', { exact: true }).fill('440200001');
    await page.getByLabel('终止号（9 位数字）', { exact: true }).fill('440200100');
    await page.getByRole('button', { name: '登记号段' }).click();
    await page.getByText(`已为 ${demo.gz.name} 登记号段 R440200001 – R440200100，共 100 个编号。`).waitFor();
    expect(await gzRow.locator('td.num').allTextContents()).toEqual(['100099', '4', '0', '100095', '0.00%']);
    expect(await gzRow.textContent()).toContain('R440200001 – R440200100');
    await expectAccessible(page);
    await screens(page, 'admin-stock-received');

    await page.getByLabel('领取机构', { exact: true }).selectOption({ label: demo.gz.name });
    await page.getByLabel('批次字母（一个大写字母）', { exact: true }).fill('R');
    await page.getByLabel('起始号（9 位数字）', { exact: true }).fill('440200050');
    await page.getByLabel('终止号（9 位数字）', { exact: true }).fill('440200040');
    await page.getByRole('button', { name: '登记号段' }).click();
    await expect.poll(() => page.locator('#f-lastNo-error').textContent()).toBe('终止号不能小于起始号。');
    await page.getByLabel('终止号（9 位数字）', { exact: true }).fill('440200060');
    await page.getByRole('button', { name: '登记号段' }).click();
    await expect.poll(() => page.locator('#f-firstNo-error').textContent()).toBe('与已领取的号段重叠。');
    expect(await gzRow.locator('td.num').first().textContent()).toBe('100099');
    await expectAccessible(page);
    await screens(page, 'admin-stock-errors');
    await context.close();
  });

  it('creates an account and sees its password once; the new account signs in with it', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'admin');
    await page.getByRole('link', { name: '账户管理' }).click();
    await page.getByRole('heading', { name: '账户管理', level: 1 }).waitFor();
    await expectAccessible(page);
    await screens(page, 'admin-accounts');

    await page.getByLabel('用户名（字母、数字、点、下划线或连字符）', { exact: true }).fill('issuer-gz-2');
    await page.getByLabel('姓名（可选）', { exact: true }).fill('李签发');
    await page.getByLabel('角色', { exact: true }).selectOption({ label: '签发人员' });
    await page.getByRole('button', { name: '新建账户' }).click();
    // An issuer without an institution is refused beside the institution box, nothing shown.
    await expect
      .poll(() => page.locator('#f-institution-error').textContent())
      .toBe('助产人员和签发人员须选择所属机构。');
    expect(await page.locator('.password').count()).toBe(0);
    await page.getByLabel('所属机构（仅助产人员和签发人员）', { exact: true }).selectOption({ label: demo.gz.name });
    await page.getByRole('button', { name: '新建账户' }).click();
    await page.getByRole('heading', { name: 'issuer-gz-2 的初始密码' }).waitFor();
    const password = ((await page.locator('.password').textContent()) ?? '').trim();
    expect(password).toMatch(/^([2-9A-HJKMNP-Z]{5}-){3}[2-9A-HJKMNP-Z]{5}$/);
    expect(page.url()).toBe(`${svc.url}/console/admin/accounts`);
    expect(await page.getByRole('row', { name: /issuer-gz-2/ }).textContent()).toContain(demo.gz.name);
    await expectAccessible(page);
    await screens(page, 'admin-accounts-created');
    // Shown once: the list opened again does not carry it.
    await page.goto(`${svc.url}/console/admin/accounts`);
    expect(await page.content()).not.toContain(password);
    await context.close();

    const fresh = await newPage();
    await fresh.page.goto(`${svc.url}/console`);
    await fresh.page.getByLabel('用户名', { exact: true }).fill('issuer-gz-2');
    await fresh.page.getByLabel('密码', { exact: true }).fill(password);
    await fresh.page.getByRole('button', { name: '登录' }).click();
    await fresh.page.waitForURL(`${svc.url}/console/issuer`);
    expect(await fresh.page.locator('.who').textContent()).toBe('issuer-gz-2（签发人员）');
    await fresh.context.close();
  });

  it('rotates the institution’s key: the old one keeps verifying what it signed', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'admin');
    await page.getByRole('link', { name: '签名密钥' }).click();
    const gz = page.getByRole('region', { name: demo.gz.name, exact: true });
    expect(await gz.getByRole('row', { name: /使用中/ }).count()).toBe(1);
    await expectAccessible(page);
    await gz.getByRole('button', { name: `轮换密钥：${demo.gz.name}` }).click();
    await page.getByText(/已为 .+ 启用新密钥/).waitFor();
    expect(await gz.getByRole('row', { name: /使用中/ }).count()).toBe(1);
    expect(await gz.getByRole('row', { name: /已轮换/ }).count()).toBe(1);
    await expectAccessible(page);
    await screens(page, 'admin-keys');
    expect(await verdictOf(births.after1.qr)).toEqual({ valid: true, reason: undefined });
    await context.close();
  });

  it('revokes the old key from a time after reading which certificates fail and which stay valid', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'admin');
    await page.goto(`${svc.url}/console/admin/keys`);
    const gz = page.getByRole('region', { name: demo.gz.name, exact: true });
    await gz
      .getByRole('row', { name: /已轮换/ })
      .getByRole('link', { name: /^撤销：/ })
      .click();
    await page.getByRole('heading', { name: '撤销签名密钥' }).waitFor();
    await expectAccessible(page);
    await page.getByLabel('撤销起始时间（北京时间；留空为现在）', { exact: true }).fill(beijingSeconds(cut));
    await page.getByLabel('撤销原因', { exact: true }).fill('私钥疑似泄露');
    await screens(page, 'admin-key-revoke');
    await page.getByRole('button', { name: '查看后果' }).click();

    await page.getByRole('heading', { name: '撤销前请确认后果' }).waitFor();
    const at = beijingSeconds(cut).replace('T', ' ');
    expect(await page.locator('p.reason').textContent()).toBe(
      `${at} 起由此密钥签署的 2 份出生医学证明将核验失败（签发机构密钥已撤销，ISSUER_REVOKED）：`,
    );
    expect(await page.locator('ul.failing li').allTextContents()).toEqual([
      births.after1.issued.certificateNo,
      births.after2.issued.certificateNo,
    ]);
    expect(await page.getByText(`${at} 以前由此密钥签署的证明仍然有效。撤销不能恢复。`).count()).toBe(1);
    // Nothing is revoked yet.
    expect((await verdictOf(births.after1.qr)).valid).toBe(true);
    await expectAccessible(page);
    await screens(page, 'admin-key-revoke-consequences');

    await page.getByRole('button', { name: '确认撤销' }).click();
    await page.getByText(/^已撤销密钥 .+（自 .+ 起）。$/).waitFor();
    expect(await gz.getByRole('row', { name: /已撤销/ }).count()).toBe(1);
    expect(await verdictOf(births.after1.qr)).toEqual({ valid: false, reason: 'ISSUER_REVOKED' });
    expect(await verdictOf(births.after2.qr)).toEqual({ valid: false, reason: 'ISSUER_REVOKED' });
    expect(await verdictOf(births.before.qr)).toEqual({ valid: true, reason: undefined });
    await expectAccessible(page);
    await screens(page, 'admin-keys-revoked');
    await context.close();
  });

  it('revokes a fraudulent certificate after confirming against its record; it then verifies as revoked', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'admin');
    await page.getByRole('link', { name: '撤销出生医学证明' }).click();
    await expectAccessible(page);
    await screens(page, 'admin-certificate');
    const no = births.fraud.issued.certificateNo;
    await page.getByLabel('出生医学证明编号', { exact: true }).fill(no);
    await page
      .getByLabel('撤销原因（如通报文号、案件编号）', { exact: true })
      .fill('公安机关通报：冒用他人身份申领 GA-2026-0193');
    await page.getByRole('button', { name: '下一步：核对' }).click();
    await page.getByRole('heading', { name: '确认撤销此证明' }).waitFor();
    expect(await page.locator('dl.items').textContent()).toContain(births.fraud.motherName);
    expect((await verdictOf(births.fraud.qr)).valid).toBe(true);
    await expectAccessible(page);
    await screens(page, 'admin-certificate-confirm');
    await page.getByRole('button', { name: '确认撤销此证明' }).click();
    await page.getByText(`已撤销出生医学证明 ${no}。`).waitFor();
    expect(await page.locator('dl.items').textContent()).toContain('已撤销');
    expect(await verdictOf(births.fraud.qr)).toEqual({ valid: false, reason: 'REVOKED' });
    await expectAccessible(page);
    await screens(page, 'admin-certificate-revoked');
    await context.close();
  });
});

describe('the agency at work', () => {
  it('verifies a pasted QR and looks up with a purpose, seeing verification fields only', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'agency');
    expect(page.url()).toBe(`${svc.url}/console/agency`);
    await expectAccessible(page);
    await screens(page, 'agency');

    await page.getByLabel('二维码文字（扫码枪扫描或粘贴）', { exact: true }).fill(births.before.qr);
    await page.getByRole('button', { name: '核验', exact: true }).click();
    await page.getByRole('heading', { name: '真实有效，为当前版本' }).waitFor();
    await expectAccessible(page);
    await screens(page, 'agency-verified');
    // The revoked certificate's PDF, uploaded: the verdict says so.
    await page
      .getByLabel('或上传 PDF 电子证照', { exact: true })
      .setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: births.fraud.pdf });
    await page.getByRole('button', { name: '上传并核验' }).click();
    await page.getByRole('heading', { name: '已撤销' }).waitFor();
    expect(await page.locator('.verdict dl.items').textContent()).toContain(births.fraud.issued.certificateNo);
    await expectAccessible(page);

    // The mother's ID number without a purpose: refused beside the purpose box.
    await page.getByLabel('或 母亲身份证件号码', { exact: true }).fill(births.before.motherIdNumber);
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => page.locator('#f-purpose-error').count()).toBe(1);
    await page.getByLabel('查询目的', { exact: true }).selectOption({ label: '其他' });
    await page.getByLabel('其他目的（选择“其他”时填写）', { exact: true }).fill('办理新生儿医疗保险参保');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('heading', { name: '证明记录' }).waitFor();
    const shown = (await page.locator('dl.items').allTextContents()).join('\n');
    expect(shown).toContain(births.before.issued.certificateNo);
    expect(shown).toContain(births.before.motherName);
    expect(shown).toContain('落户登记未办理');
    // No ID number, in full or masked, anywhere on the page.
    const html = await page.content();
    expect(html).not.toContain(births.before.motherIdNumber);
    expect(html).not.toMatch(/\d{2}\*{6,}\d/);
    expect(await page.getByLabel('或 母亲身份证件号码', { exact: true }).inputValue()).toBe('');
    await expectAccessible(page);
    await screens(page, 'agency-lookup');

    // By number, with a common purpose: the revoked certificate says so.
    await page.getByLabel('出生医学证明编号', { exact: true }).fill(births.fraud.issued.certificateNo);
    await page.getByLabel('查询目的', { exact: true }).selectOption({ label: '核验出生医学证明真伪' });
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => page.locator('dl.items').textContent()).toContain(births.fraud.issued.certificateNo);
    expect(await page.locator('dl.items').textContent()).toContain('已撤销');
    await context.close();
  });

  it('refuses the admin’s pages to the agency and the agency’s to the admin, with the 403 page', async () => {
    for (const [role, paths] of [
      ['agency', ['/console/admin', '/console/admin/accounts', '/console/admin/keys', '/console/police']],
      ['admin', ['/console/agency', '/console/police', '/console/issuer', '/console/midwife']],
      ['police', ['/console/agency', '/console/admin']],
    ] as const) {
      const { context, page } = await newPage();
      await signIn(page, role);
      for (const path of paths) {
        expect((await page.goto(`${svc.url}${path}`))?.status(), `${role} ${path}`).toBe(403);
        await page.getByRole('heading', { name: '无权访问此页面' }).waitFor();
      }
      await expectAccessible(page);
      await context.close();
    }
  });
});
