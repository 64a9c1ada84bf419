import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestService } from '../http/harness.ts';
import { seriousViolations } from './browser-kit.ts';
import { saveScreens } from './screens.ts';

const SCREENS = path.resolve(import.meta.dirname, '../../docs/screens/console');

/**
 * What every console browser test does with the service's seeded staff accounts: open a phone-
 * sized page, sign in as a role, check axe, keep screenshots (UPDATE_SCREENS=1) and type into
 * boxes that check as you type.
 */
export function consoleKit(svc: () => TestService, browser: () => Browser) {
  const passwordOf = (username: string) => svc().accounts.find((a) => a.username === username)!.password;
  const usernameOf = (role: string) =>
    svc().accounts.find((a) => a.role === role && (a.institution === null || a.username.endsWith('-gz')))!.username;

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser().newContext({ locale: 'zh-CN', viewport: { width: 360, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    return { context, page };
  }

  async function signIn(page: Page, role: string) {
    const username = usernameOf(role);
    await page.goto(`${svc().url}/console`);
    await page.getByLabel('用户名', { exact: true }).fill(username);
    await page.getByLabel('密码', { exact: true }).fill(passwordOf(username));
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForLoadState('load');
  }

  /** Both widths of the page as it is now, for docs/screens/console/, when UPDATE_SCREENS=1. */
  async function screens(p: Page, name: string) {
    await saveScreens(p, SCREENS, name);
  }

  async function expectAccessible(p: Page) {
    expect(await seriousViolations(p)).toEqual([]);
  }

  const validated = (page: Page) => page.waitForResponse((r) => r.url().endsWith('/validate'));
  /** Types into a box and leaves it, waiting for the as-you-type check to come back (as a person would). */
  async function enter(page: Page, label: string, value: string) {
    // Waiting from before the fill: a date box reports its change during the fill itself.
    const answered = validated(page);
    await page.getByLabel(label, { exact: true }).fill(value);
    await page.keyboard.press('Tab');
    await answered;
  }

  return { passwordOf, usernameOf, newPage, signIn, screens, expectAccessible, validated, enter };
}

/** The Beijing wall-clock time `hours` ago, as a datetime-local box takes it. */
export const beijingLocal = (hours: number) =>
  new Date(Date.now() - hours * 3_600_000 + 8 * 3_600_000).toISOString().slice(0, 16);
