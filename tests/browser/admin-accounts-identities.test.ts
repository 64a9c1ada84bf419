import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestService } from '../http/harness.ts';
import type { TestProvider } from '../http/oidc-test-provider.ts';
import { statements } from '../storage-kit.ts';
import { launch } from './browser-kit.ts';
import { consoleKit } from './console-kit.ts';
import { atProvider, startServiceWithProvider } from './oidc-kit.ts';

/*
 * The administrator's account page in a real browser: linking an issuer's account to a subject of
 * the health commission's provider (that subject then signs in as the issuer), ending the link
 * after a confirmation, and moving a police account to another unit.
 */

let svc: TestService;
let idp: TestProvider;
let browser: Browser;
const kit = consoleKit(
  () => svc,
  () => browser,
);

beforeAll(async () => {
  ({ svc, idp } = await startServiceWithProvider());
  browser = await launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
  await idp?.close();
});

describe('the administrator’s account page', () => {
  it('links an issuer to a provider subject, who then signs in as the issuer; unlinks after a confirmation', async () => {
    const issuer = kit.usernameOf('issuer');
    const { context, page } = await kit.newPage();
    await kit.signIn(page, 'admin');
    await page.getByRole('link', { name: '账户管理' }).click();
    await page.getByRole('link', { name: `管理关联：${issuer}` }).click();
    await page.getByRole('heading', { name: `账户 ${issuer}`, level: 1 }).waitFor();
    // The issuer box starts with the configured provider.
    expect(await page.getByLabel('身份认证平台（issuer）', { exact: true }).inputValue()).toBe(idp.issuer);

    await page.getByLabel('认证账户标识（sub）', { exact: true }).fill('wsjkw 007');
    await page.getByRole('button', { name: '关联', exact: true }).click();
    await expect.poll(() => page.locator('#f-subject-error').textContent()).toBe('应为不含空格的字母、数字或符号。');
    await kit.expectAccessible(page);
    await kit.screens(page, 'admin-identity-links-error');

    await page.getByLabel('认证账户标识（sub）', { exact: true }).fill('wsjkw-007');
    await page.getByRole('button', { name: '关联', exact: true }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe(`已将 wsjkw-007 关联到 ${issuer}。`);
    const row = page.getByRole('row', { name: /wsjkw-007/ });
    expect((await row.getByRole('cell').allTextContents())[0]).toBe(idp.issuer);
    await kit.expectAccessible(page);
    await kit.screens(page, 'admin-identity-links');

    await page.getByRole('link', { name: '回到账户管理' }).click();
    const listed = page.getByRole('row', { name: new RegExp(issuer) });
    expect(await listed.textContent()).toContain('wsjkw-007');
    await kit.expectAccessible(page);
    await kit.screens(page, 'admin-identity-links-accounts');

    // The linked person signs in through the provider and lands on the issuer's console.
    idp.people.set('wsjkw-007', { name: '签发员' });
    const staff = await kit.newPage();
    await staff.page.goto(`${svc.url}/console/sign-in`);
    await staff.page.getByRole('button', { name: '使用卫生健康委统一身份认证登录' }).click();
    await atProvider(staff.page, idp, 'wsjkw-007');
    await staff.page.waitForURL(`${svc.url}/console/issuer`);
    await staff.context.close();

    // 解除关联 asks first, saying what ends; cancelling keeps the link.
    await listed.getByRole('link', { name: `管理关联：${issuer}` }).click();
    await page.getByRole('button', { name: '解除关联：wsjkw-007' }).click();
    await page.getByRole('heading', { name: '确认解除关联', level: 2 }).waitFor();
    expect(await page.locator('#unlink-h + p').textContent()).toBe(
      `解除后，${idp.issuer} 的认证账户 wsjkw-007 不能再以 ${issuer} 登录工作台；已登录的会话到期前仍有效，如需立即结束请停用或重置密码。`,
    );
    await kit.expectAccessible(page);
    await kit.screens(page, 'admin-identity-links-confirm');
    await page.getByRole('link', { name: '不解除，返回' }).click();
    expect(await page.getByRole('row', { name: /wsjkw-007/ }).count()).toBe(1);
    await page.getByRole('button', { name: '解除关联：wsjkw-007' }).click();
    await page.getByRole('button', { name: '确认解除关联' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe(`已解除 wsjkw-007 与 ${issuer} 的关联。`);
    expect(await page.getByText('尚未关联统一身份认证账户。').count()).toBe(1);

    // Now the provider's person is refused.
    const again = await kit.newPage();
    await again.page.goto(`${svc.url}/console/sign-in`);
    await again.page.getByRole('button', { name: '使用卫生健康委统一身份认证登录' }).click();
    await atProvider(again.page, idp, 'wsjkw-007');
    await expect.poll(() => again.page.getByRole('alert').textContent()).toContain('尚未关联本系统的工作人员账户');
    await again.context.close();
    await context.close();
  });

  it('moves a police account to another unit, with an empty name refused beside its box', async () => {
    const police = kit.usernameOf('police');
    const { context, page } = await kit.newPage();
    await kit.signIn(page, 'admin');
    await page.goto(`${svc.url}/console/admin/accounts`);
    const row = page.getByRole('row', { name: new RegExp(police) });
    expect(await row.textContent()).toContain('派出所：广州市公安局天河区分局天河南派出所');
    await row.getByRole('link', { name: `管理关联与派出所：${police}` }).click();
    await page.getByRole('heading', { name: '所属派出所' }).waitFor();
    expect(await page.getByText('现为：广州市公安局天河区分局天河南派出所').count()).toBe(1);

    await page.getByLabel('派出所名称', { exact: true }).fill('');
    await page.getByRole('button', { name: '保存所属派出所' }).click();
    await expect.poll(() => page.locator('#f-policeUnit-error').textContent()).toBe('此项必填。');
    await kit.expectAccessible(page);
    await kit.screens(page, 'admin-police-unit-error');

    await page.getByLabel('派出所名称', { exact: true }).fill('广州市公安局天河区分局石牌派出所');
    await page.getByRole('button', { name: '保存所属派出所' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toBe(`已将 ${police} 的所属派出所设为 广州市公安局天河区分局石牌派出所。`);
    expect(await page.getByText('现为：广州市公安局天河区分局石牌派出所').count()).toBe(1);
    await kit.expectAccessible(page);
    await kit.screens(page, 'admin-police-unit');
    const events = statements(svc.running.service.sql)
      .prepare("SELECT actor, target, details FROM audit_events WHERE action = 'account.police-unit-set'")
      .all() as { actor: string; target: string; details: string }[];
    expect(events.map((e) => [e.actor, e.target, JSON.parse(e.details)])).toEqual([
      [
        kit.usernameOf('admin'),
        police,
        { policeUnit: '广州市公安局天河区分局石牌派出所', previous: '广州市公安局天河区分局天河南派出所' },
      ],
    ]);
    await context.close();
  });
});
