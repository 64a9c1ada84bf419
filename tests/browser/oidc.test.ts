import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formOfItems } from '../../src/web/forms.ts';
import { applicationBodyFor, fixtureRecords } from '../fixtures/records.ts';
import type { TestService } from '../http/harness.ts';
import { bornBefore, issueBirth, recordDelivery, staffOf } from '../http/lifecycle-helpers.ts';
import { realPersonAcr, type TestProvider } from '../http/oidc-test-provider.ts';
import { launch } from './browser-kit.ts';
import { consoleKit } from './console-kit.ts';
import { atProvider, fillItems, startServiceWithProvider } from './oidc-kit.ts';
import { saveScreens } from './screens.ts';

/*
 * Sign-in through the identity providers in a real browser: the service, a real OpenID provider
 * (oidc-provider) on loopback, Chromium going from one to the other and back.
 */

const SCREENS = path.resolve(import.meta.dirname, '../../docs/screens');

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

/** Both widths of a public page, for docs/screens/, when UPDATE_SCREENS=1. */
async function screens(page: Page, name: string) {
  await saveScreens(page, SCREENS, name);
}

describe('parents', () => {
  it('a parent signs in through the provider on /apply and applies without typing the ID number', async () => {
    const gz = await staffOf(svc, 'gz');
    const record = bornBefore(fixtureRecords[0]!, new Date(), 1);
    const delivery = await recordDelivery(svc, gz.midwife, record);
    idp.people.set('mother', { idNumber: record.mother.idNumber, name: record.mother.name, acr: realPersonAcr });

    const { context, page } = await kit.newPage();
    await page.goto(`${svc.url}/apply`);
    await kit.expectAccessible(page);
    await screens(page, 'oidc-apply');
    const oidc = page.locator('#oidc');
    await oidc.getByLabel('申领码').fill(delivery.applicationCode as string);
    await oidc.getByRole('button', { name: '使用政务服务平台登录' }).click();
    await atProvider(page, idp, 'mother');

    await page.waitForURL(`${svc.url}/apply`);
    await expect.poll(() => page.locator('.lead').textContent()).toContain('已通过政务服务平台实人认证');
    expect(await page.locator('[name="motherIdNumber"]').count()).toBe(0);
    await kit.expectAccessible(page);
    await screens(page, 'oidc-apply-verified');
    await fillItems(page, formOfItems(applicationBodyFor(record, delivery.id)));
    await page.getByRole('button', { name: '提交申领' }).click();
    await page.waitForURL(`${svc.url}/apply/status`);
    await expect.poll(() => page.locator('#status-heading').textContent()).toBe('已提交，等待签发机构审核');
    await context.close();
  });

  it('on /my another person than the mother gets a clear refusal page', async () => {
    const gz = await staffOf(svc, 'gz');
    const record = bornBefore(fixtureRecords[2]!, new Date(), 2);
    const issued = await issueBirth(svc, gz, record);
    idp.people.set('not-the-mother', { idNumber: fixtureRecords[0]!.mother.idNumber, acr: realPersonAcr });

    const { context, page } = await kit.newPage();
    await page.goto(`${svc.url}/my`);
    await kit.expectAccessible(page);
    await screens(page, 'oidc-my');
    const oidc = page.locator('#oidc');
    await oidc.getByLabel('出生医学证明编号').fill(issued.certificateNo);
    await oidc.getByRole('button', { name: '使用政务服务平台登录' }).click();
    await atProvider(page, idp, 'not-the-mother');
    await page.waitForURL((url) => url.pathname === '/oidc/callback');
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('实人认证的身份证件号码与此出生医学证明上母亲的不一致，不能领取。');
    await kit.expectAccessible(page);
    await screens(page, 'oidc-refused');
    await context.close();
  });
});

describe('staff', () => {
  it('a staff member linked by the administrator signs in on /console through the provider', async () => {
    const issuer = kit.usernameOf('issuer');
    const link = await svc.request('POST', `/api/v1/accounts/${issuer}/identity-links`, {
      token: await svc.token('admin'),
      json: { issuer: idp.issuer, subject: 'wsjkw-issuer-001' },
    });
    expect(link.status).toBe(201);
    idp.people.set('wsjkw-issuer-001', { name: '签发员' });

    const { context, page } = await kit.newPage();
    await page.goto(`${svc.url}/console/sign-in`);
    await kit.expectAccessible(page);
    await kit.screens(page, 'oidc-sign-in');
    await page.getByRole('button', { name: '使用卫生健康委统一身份认证登录' }).click();
    await atProvider(page, idp, 'wsjkw-issuer-001');
    await page.waitForURL(`${svc.url}/console/issuer`);
    await expect.poll(() => page.locator('header').textContent()).toContain(issuer);
    await context.close();
  });

  it('an unlinked subject gets a clear refusal page', async () => {
    idp.people.set('wsjkw-unlinked', {});
    const { context, page } = await kit.newPage();
    await page.goto(`${svc.url}/console/sign-in`);
    await page.getByRole('button', { name: '使用卫生健康委统一身份认证登录' }).click();
    await atProvider(page, idp, 'wsjkw-unlinked');
    await page.waitForURL((url) => url.pathname === '/oidc/callback');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('尚未关联本系统的工作人员账户');
    await kit.expectAccessible(page);
    await kit.screens(page, 'oidc-refused');
    await context.close();
  });
});
