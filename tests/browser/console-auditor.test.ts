import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords } from '../fixtures/records.ts';
import { seedCertificates } from '../fixtures/seed-certificates.ts';
import { startTestService, type TestService } from '../http/harness.ts';
import { bornBefore, type Issued, issueBirth, staffOf } from '../http/lifecycle-helpers.ts';
import { launch } from './browser-kit.ts';
import { consoleKit } from './console-kit.ts';

let svc: TestService;
let browser: Browser;
let issued: Issued;
const SEEDED = 3000;
const period = { from: '2025-01-01', to: '2027-01-01' };

beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  browser = await launch();
  const gz = await staffOf(svc, 'gz');
  issued = await issueBirth(svc, gz, bornBefore(fixtureRecords[0]!, new Date(), 2));
  // Births of 2025–2026 in 12 counties and 22 institutions, copied from the one just issued.
  seedCertificates(path.join(svc.dataDir, 'service.sqlite'), SEEDED);
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

const { newPage, signIn, screens, expectAccessible } = consoleKit(
  () => svc,
  () => browser,
);

/** A download started by clicking `name`, read as UTF-8 bytes. */
async function download(page: Page, name: string): Promise<{ file: string; text: string; bytes: Buffer }> {
  const [started] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  const bytes = readFileSync((await started.path())!);
  return { file: started.suggestedFilename(), text: bytes.toString('utf8'), bytes };
}

const eventsShown = (page: Page) =>
  page.locator('section[aria-labelledby=events-h] li.event .event-head').allTextContents();

describe('the auditor', () => {
  it('filters events by certificate and by action, newest first', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'auditor');
    expect(page.url()).toBe(`${svc.url}/console/auditor`);
    await expectAccessible(page);
    await screens(page, 'auditor');

    await page.getByLabel('出生医学证明编号', { exact: true }).fill(issued.certificateNo.toLowerCase());
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).searchParams.get('certificateNo')).toBe(issued.certificateNo.toLowerCase());
    const trail = (
      await svc.request('GET', `/api/v1/audit-events?certificateNo=${issued.certificateNo}`, {
        token: await svc.token('auditor'),
      })
    ).body as { events: { seq: number; action: string }[] };
    expect(trail.events.map((e) => e.action)).toContain('certificate.issued');
    expect(await eventsShown(page)).toEqual(trail.events.map((e) => `#${e.seq} ${e.action}`));
    const seqs = trail.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    await expectAccessible(page);
    await screens(page, 'auditor-filtered');

    await page.getByRole('link', { name: '清除筛选' }).click();
    await page.getByLabel('操作类型', { exact: true }).fill('auth.signed-in');
    await page.getByLabel('操作人（用户名）', { exact: true }).fill('no-such-user');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.getByText('没有符合条件的事件。').waitFor();

    // A malformed filter: 400, the message beside its box.
    await page.goto(`${svc.url}/console/auditor?certificateNo=12345&from=2026-02-30`);
    expect(await page.locator('#f-certificateNo-error').textContent()).toBe(
      '应为 1 个大写字母加 9 位数字，例如 Q440000001。',
    );
    expect(await page.locator('#f-from-error').textContent()).toBe('请填写有效日期（年-月-日）。');
    await context.close();
  });

  it('verifies the chain (intact), keeps an anchor and checks it, then a wrong hash is refused', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'auditor');
    await page.getByRole('button', { name: '校验整条链' }).click();
    const verdict = page.getByRole('status').filter({ hasText: '链完整' });
    await verdict.waitFor();
    const head = (await svc.request('GET', '/api/v1/audit-events/head', { token: await svc.token('auditor') })).body;
    expect(await verdict.textContent()).toContain('链完整：共');
    await expectAccessible(page);
    await screens(page, 'auditor-verified');

    await page.getByRole('button', { name: '保存锚点' }).click();
    const kept = page.locator('.kept');
    await kept.waitFor();
    const seq = (await kept.locator('dd').nth(0).textContent())!;
    const hash = (await kept.locator('dd').nth(1).textContent())!;
    // The head as it was when signed: the events after the API's head call above are newer.
    expect(Number(seq)).toBeGreaterThanOrEqual(head.seq);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const checkpoints = (await svc.request('GET', '/api/v1/audit-checkpoints', { token: await svc.token('auditor') }))
      .body as { checkpoints: { seq: number; hash: string }[] };
    expect(checkpoints.checkpoints.at(-1)).toMatchObject({ seq: Number(seq), hash });
    await screens(page, 'auditor-anchor');

    await page.getByLabel('事件序号', { exact: true }).fill(seq);
    await page.getByLabel('哈希（64 位十六进制）', { exact: true }).fill(hash);
    await page.getByRole('button', { name: '核对锚点' }).click();
    await page.getByText(`锚点相符：第 ${seq} 条事件的哈希未变`).waitFor();
    await expectAccessible(page);

    await page.getByLabel('事件序号', { exact: true }).fill(seq);
    await page.getByLabel('哈希（64 位十六进制）', { exact: true }).fill('0'.repeat(64));
    await page.getByRole('button', { name: '核对锚点' }).click();
    await page.getByText(`锚点不符：日志在第 ${seq} 条事件处与抄存的锚点不一致`).waitFor();

    await page.getByLabel('事件序号', { exact: true }).fill('0');
    await page.getByLabel('哈希（64 位十六进制）', { exact: true }).fill('abc');
    await page.getByRole('button', { name: '核对锚点' }).click();
    await page.locator('#f-seq-error').waitFor();
    expect(await page.locator('#f-seq-error').textContent()).toBe('请填写抄存的事件序号（正整数）。');
    expect(await page.locator('#f-hash-error').textContent()).toBe('请填写抄存的 64 位十六进制哈希。');
    await context.close();
  });

  it('downloads the filtered range as NDJSON, oldest first, and the export is itself recorded', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'auditor');
    await page.goto(`${svc.url}/console/auditor?certificateNo=${issued.certificateNo}`);
    const { file, text } = await download(page, '下载 NDJSON');
    expect(file).toMatch(/^audit-events-\d{4}-\d{2}-\d{2}\.ndjson$/);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    const api = (
      await svc.request('GET', `/api/v1/audit-events?certificateNo=${issued.certificateNo}`, {
        token: await svc.token('auditor'),
      })
    ).body as { events: unknown[] };
    expect(lines).toEqual([...api.events].reverse());
    expect(lines.every((e) => e.target === issued.certificateNo)).toBe(true);
    expect(lines[0]).toMatchObject({ action: 'certificate.issued', target: issued.certificateNo });

    const exported = (
      await svc.request('GET', '/api/v1/audit-events?action=audit-events.exported&limit=1', {
        token: await svc.token('auditor'),
      })
    ).body as { events: { details: Record<string, unknown> }[] };
    expect(exported.events[0]!.details).toEqual({ certificateNo: issued.certificateNo, events: lines.length });
    await context.close();
  });
});

describe('the statistician', () => {
  const api = async (route: string) =>
    (await svc.request('GET', route, { token: await svc.token('statistician') })).body;

  it('sees births and sex ratio by month with their charts, and the CSV says what the API says', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'statistician');
    expect(page.url()).toBe(`${svc.url}/console/statistician`);
    await page.getByLabel('开始日期（含）', { exact: true }).fill(period.from);
    await page.getByLabel('结束日期（不含）', { exact: true }).fill(period.to);
    await page.getByRole('button', { name: '查看' }).click();
    await page.getByText(`统计期间：${period.from} 至 ${period.to}（不含）`).waitFor();
    const births = page.getByRole('img', { name: '每月出生数' });
    const ratio = page.getByRole('img', { name: '每月出生性别比' });
    expect(await births.count()).toBe(1);
    expect(await ratio.count()).toBe(1);
    expect(await page.locator('svg.chart .chart-band').count()).toBe(1);
    await expectAccessible(page);
    await screens(page, 'statistician-months');

    const report = await api(`/api/v1/reports/sex-ratio?groupBy=month&from=${period.from}&to=${period.to}`);
    expect(report.groups.length).toBe(24);
    expect(await births.locator('rect.chart-bar').count()).toBe(24);
    const { file, bytes, text } = await download(page, '下载 CSV 表格');
    expect(file).toBe(`months-${period.from}-${period.to}.csv`);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(text.slice(1), { relax_column_count: false }) as string[][];
    expect(rows[0]).toEqual(['月份', '男', '女', '出生数', '出生性别比（女=100）']);
    expect(rows.slice(1)).toEqual([
      ...report.groups.map((g: any) => [
        g.group,
        String(g.boys),
        String(g.girls),
        String(g.births),
        String(g.sexRatio),
      ]),
      [
        '合计',
        String(report.total.boys),
        String(report.total.girls),
        String(report.total.births),
        String(report.total.sexRatio),
      ],
    ]);
    await context.close();
  });

  it('sees the sex ratio by county with the normal band and downloads it', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'statistician');
    await page.goto(`${svc.url}/console/statistician/divisions?from=${period.from}&to=${period.to}`);
    const chart = page.getByRole('img', { name: '各地区出生性别比' });
    expect(await chart.locator('circle').count()).toBe(12);
    expect(await chart.locator('desc').textContent()).toContain('正常范围 103–107');
    await expectAccessible(page);
    await screens(page, 'statistician-divisions');

    const report = await api(`/api/v1/reports/sex-ratio?groupBy=division&from=${period.from}&to=${period.to}`);
    const rows = parseCsv((await download(page, '下载 CSV 表格')).text.slice(1)) as string[][];
    expect(rows[0]).toEqual(['地区', '行政区划代码', '男', '女', '出生数', '出生性别比（女=100）']);
    expect(rows.slice(1, -1).map((r) => [r[1], r[2], r[3], r[5]])).toEqual(
      report.groups.map((g: any) => [g.group, String(g.boys), String(g.girls), String(g.sexRatio)]),
    );
    expect(rows.find((r) => r[1] === '440106')![0]).toBe('广州市天河区');
    await context.close();
  });

  it('sees certificate use and void rate by institution and downloads it', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'statistician');
    await page.goto(`${svc.url}/console/statistician/institutions?from=${period.from}&to=${period.to}`);
    const chart = page.getByRole('img', { name: '各机构签发与作废张数' });
    await expectAccessible(page);
    await screens(page, 'statistician-institutions');

    const report = await api(`/api/v1/reports/certificate-usage-by-institution?from=${period.from}&to=${period.to}`);
    expect(await chart.locator('rect.chart-bar').count()).toBe(report.institutions.length);
    const rows = parseCsv((await download(page, '下载 CSV 表格')).text.slice(1)) as string[][];
    expect(rows[0]).toEqual(['机构', '统一社会信用代码', '期内领取', '签发', '作废', '作废率', '期末库存', '活产数']);
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    expect(rows.slice(1)).toEqual(
      report.institutions.map((u: any) => [
        u.name,
        u.institution,
        String(u.received),
        String(sum(u.issued)),
        String(sum(u.voids)),
        u.voidRate === null ? '' : `${(u.voidRate * 100).toFixed(2)}%`,
        String(u.stockAtEnd),
        String(u.liveBirths),
      ]),
    );
    await context.close();
  });

  it('refuses a period that ends before it begins, beside the box', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'statistician');
    const res = await page.goto(`${svc.url}/console/statistician?from=2026-05-01&to=2026-01-01`);
    expect(res!.status()).toBe(400);
    expect(await page.locator('#f-to-error').textContent()).toBe('结束日期应晚于开始日期。');
    await expectAccessible(page);
    await context.close();
  });
});

describe('access', () => {
  it("each of the two roles' pages and downloads is refused to other roles with the 403 page", async () => {
    const cases: [string, string[]][] = [
      ['issuer', ['/console/auditor', '/console/statistician', '/console/statistician/institutions.csv']],
      ['statistician', ['/console/auditor', '/console/auditor/export']],
      ['auditor', ['/console/statistician/divisions', '/console/statistician/months.csv']],
    ];
    for (const [role, paths] of cases) {
      const { context, page } = await newPage();
      await signIn(page, role);
      for (const route of paths) {
        const res = await page.goto(`${svc.url}${route}`);
        expect(res!.status(), `${role} ${route}`).toBe(403);
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('无权访问此页面');
      }
      await context.close();
    }
  });
});

describe('a tampered log', () => {
  it('shows the auditor the break at the event whose row was changed in the SQLite file', async () => {
    const trail = (
      await svc.request('GET', `/api/v1/audit-events?certificateNo=${issued.certificateNo}&action=certificate.issued`, {
        token: await svc.token('auditor'),
      })
    ).body as { events: { seq: number }[] };
    const seq = trail.events[0]!.seq;
    // Someone with the file: the append-only trigger is no obstacle to them.
    const db = new Database(path.join(svc.dataDir, 'service.sqlite'));
    db.exec('DROP TRIGGER audit_events_no_update');
    db.prepare(`UPDATE audit_events SET actor = 'someone-else' WHERE seq = ?`).run(seq);
    db.exec(`CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
             BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END`);
    db.close();

    const { context, page } = await newPage();
    await signIn(page, 'auditor');
    // By keyboard alone: to the button, Enter.
    await page.getByRole('button', { name: '校验整条链' }).focus();
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert').filter({ hasText: '链已断开' });
    await alert.waitFor();
    expect(await alert.locator('strong').textContent()).toMatch(
      new RegExp(`^链已断开：第 ${seq} 条事件的哈希或链接不符`),
    );
    expect(await alert.locator('li.event.broken .event-head').textContent()).toBe(`#${seq} certificate.issued`);
    expect(await alert.locator('li.event.broken').textContent()).toContain('someone-else');
    await expectAccessible(page);
    await screens(page, 'auditor-broken');
    await context.close();
  });
});
