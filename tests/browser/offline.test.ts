/**
 * The installable verifier verifies a QR with the network gone: a service worker from the
 * service's origin keeps the page, its scripts, the trust list and the status lists; the page
 * verifies the QR in the browser (public/offline-verify.js) and says how current the status is.
 */
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords } from '../fixtures/records.ts';
import { startTestService, type TestService } from '../http/harness.ts';
import {
  bornBefore,
  type Issued,
  issueBirth,
  qrTextOf,
  type Staff,
  staffOf,
  verifyOverHttp,
} from '../http/lifecycle-helpers.ts';
import { launch, seriousViolations } from './browser-kit.ts';
import { saveScreens } from './screens.ts';

const SCREENS = path.resolve(import.meta.dirname, '../../docs/screens');

let svc: TestService;
let gz: Staff;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const qr = {} as { current: string; toVoid: string };
let toVoid: Issued;

async function qrOf(issued: Issued): Promise<string> {
  const pdf = await svc.request('GET', issued.links.pdf, { token: gz.issuer });
  expect(pdf.status).toBe(200);
  return qrTextOf(pdf.body as Uint8Array);
}

beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  gz = await staffOf(svc, 'gz');
  const now = new Date();
  qr.current = await qrOf(await issueBirth(svc, gz, bornBefore(fixtureRecords[0]!, now, 3)));
  toVoid = await issueBirth(svc, gz, bornBefore(fixtureRecords[1]!, now, 2));
  qr.toVoid = await qrOf(toVoid);
  browser = await launch();
  context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 360, height: 800 } });
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

/** The time the service worker last refreshed the trust list and status lists, as the page shows it. */
const refreshedAt = () => page.evaluate<string>("document.documentElement.dataset.offlineRefreshedAt ?? ''");

/** Both widths of the page as it is now, for docs/screens/, when UPDATE_SCREENS=1. */
async function screens(name: string) {
  await saveScreens(page, SCREENS, name);
}

async function verifyOffline(text: string) {
  await page.getByLabel('二维码文字（扫码枪扫描后自动提交）').fill(text);
  await page.getByRole('button', { name: '核验', exact: true }).click();
  await page.locator('#result').waitFor();
}

describe('offline verification on /verify', () => {
  it('serves the service worker and the manifest from the origin, with the headers an install needs', async () => {
    const worker = await svc.request('GET', '/verify-sw.js');
    expect(worker.status).toBe(200);
    expect(worker.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(worker.headers.get('cache-control')).toBe('no-cache');
    const manifest = await svc.request('GET', '/verify.webmanifest', { headers: { 'accept-language': 'en' } });
    expect(manifest.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    expect(manifest.body).toMatchObject({
      name: 'Verify a birth certificate',
      start_url: '/verify',
      scope: '/verify',
      display: 'standalone',
    });
  });

  it('online, the page installs its service worker, which caches the page, the trust list and the lists', async () => {
    await page.goto(`${svc.url}/verify`);
    expect(await page.locator('link[rel=manifest]').getAttribute('href')).toBe('/verify.webmanifest');
    const scope = await page.evaluate<string>(
      'navigator.serviceWorker.ready.then((registration) => registration.scope)',
    );
    expect(scope).toBe(`${svc.url}/verify`);
    await expect.poll(refreshedAt, { timeout: 15_000 }).not.toBe('');
    await expect.poll(() => page.evaluate<boolean>('navigator.serviceWorker.controller !== null')).toBe(true);
    expect(await page.getByRole('status').filter({ hasText: '本机已可离线核验二维码' }).count()).toBe(1);
  });

  it('offline, the page still opens and a pasted QR says "signature valid; status as of …"', async () => {
    await context.setOffline(true);
    await page.reload();
    await verifyOffline(qr.current);
    const heading = await page.locator('#verdict-heading').textContent();
    expect(heading).toMatch(/^签名有效；状态截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(await page.getByText('离线核验（未连接网络）').count()).toBe(1);
    expect(await page.locator('#result dd').first().textContent()).toMatch(/^[A-Z]\d{9}$/);
    expect(await seriousViolations(page)).toEqual([]);
    await screens('verify-offline');
  });

  it('a certificate voided while online shows void offline once the lists were refreshed', async () => {
    await context.setOffline(false);
    const voided = await svc.request('POST', `/api/v1/certificates/${toVoid.certificateNo}/void`, {
      token: gz.issuer,
      json: { reason: 'PRINT_ERROR' },
    });
    expect(voided.status).toBe(200);
    const before = await refreshedAt();
    await page.goto(`${svc.url}/verify`);
    await expect.poll(refreshedAt, { timeout: 15_000 }).not.toBe(before);
    await context.setOffline(true);
    await page.reload();
    await verifyOffline(qr.toVoid);
    expect(await page.locator('#verdict-heading').textContent()).toBe('已作废');
    expect(await page.locator('#result .status-as-of').textContent()).toMatch(/^签名有效；状态截至 /);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('in English too: the switch chosen online stays offline, the verdict from the same catalogue', async () => {
    await context.setOffline(false);
    await page.goto(`${svc.url}/verify?lang=en`);
    await context.setOffline(true);
    await page.goto(`${svc.url}/verify`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByLabel('QR text (a scanner submits it by itself)').fill(qr.current);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.locator('#result').waitFor();
    expect(await page.locator('#verdict-heading').textContent()).toMatch(
      /^Signature valid; status as of \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screens('verify-offline-en');
    await context.setOffline(false);
    await page.goto(`${svc.url}/verify?lang=zh-CN`);
    await context.setOffline(true);
    await page.reload();
  });

  it('an altered QR gets offline the verdict the service gives it online', async () => {
    const body = qr.current.slice(4);
    const altered = `BC1:${body.slice(0, 200)}${body[200] === '0' ? '1' : '0'}${body.slice(201)}`;
    const online = await verifyOverHttp(svc, { qr: altered });
    const headings: Record<string, string> = {
      BAD_SIGNATURE: '内容被篡改或签名无效',
      MALFORMED: '无法识别为出生医学证明电子证照',
    };
    expect(Object.keys(headings)).toContain(online.body.reason);
    await verifyOffline(altered);
    // The page still shows the void verdict until the new one replaces it.
    await expect.poll(() => page.locator('#verdict-heading').textContent()).toBe(headings[online.body.reason]);
    await context.setOffline(false);
  });
});
