import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords } from '../fixtures/records.ts';
import { startTestService, type TestService } from '../http/harness.ts';
import { bornBefore, childIdNumber, chinaDateOf, qrTextOf } from '../http/lifecycle-helpers.ts';
import { launch } from './browser-kit.ts';
import { beijingLocal, consoleKit } from './console-kit.ts';

let svc: TestService;
let browser: Browser;
const record = fixtureRecords[0]!;
const story = {} as { code: string; applicationId: string; token: string; certificateNo: string; qr: string };

beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

const { usernameOf, newPage, signIn, screens, expectAccessible, validated, enter } = consoleKit(
  () => svc,
  () => browser,
);

/** The audit events the auditor's page shows, newest first, each with its items as shown. */
async function eventsOn(page: Page) {
  return page.locator('section[aria-labelledby=events-h] li.event').evaluateAll((cards) =>
    cards.map((card) => {
      const items = [...card.querySelectorAll('dl.items > div')].map((row) => [
        row.querySelector('dt')?.textContent ?? '',
        row.querySelector('dd')?.textContent ?? '',
      ]);
      const item = (name: string) => items.find(([dt]) => dt === name)?.[1] ?? '';
      return {
        seq: Number(card.querySelector('.seq')?.textContent?.slice(1)),
        action: card.querySelector('.action')?.textContent ?? '',
        actor: item('操作人'),
        target: item('对象'),
        details: items.filter(([dt]) => dt === '详情').map(([, dd]) => dd!),
      };
    }),
  );
}

describe('the staff console: midwife → parents online → issuer returns → parents correct → issuer issues → police 落户 → auditor', () => {
  it('the sign-in page refuses a wrong password with the lock explained', async () => {
    const { context, page } = await newPage();
    await page.goto(`${svc.url}/console`);
    expect(page.url()).toBe(`${svc.url}/console/sign-in`);
    await expectAccessible(page);
    await screens(page, 'sign-in');
    await page.getByLabel('用户名', { exact: true }).fill(usernameOf('midwife'));
    await page.getByLabel('密码', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('用户名或密码错误');
    expect(await page.getByRole('alert').textContent()).toContain('临时锁定');
    await screens(page, 'sign-in-refused');
    await context.close();
  });

  it('the midwife records a delivery by keyboard: checks as typed, late reason appears, slip with code and QR', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'midwife');
    expect(page.url()).toBe(`${svc.url}/console/midwife`);
    await expectAccessible(page);
    await screens(page, 'midwife');

    // A wrong check character: the error appears beside the field once the box is left.
    await enter(page, '有效身份证件号码', '440106199305121248');
    await expect
      .poll(() => page.locator('#f-mother-idNumber-error').textContent())
      .toBe('身份证号码校验位不正确，请核对。');

    // A birth 30 hours ago asks for the late-entry reason.
    await expect.poll(() => page.getByLabel('补录原因（出生已超过 24 小时）', { exact: true }).count()).toBe(0);
    await enter(page, '出生时间（北京时间）', beijingLocal(30));
    await expect.poll(() => page.getByLabel('补录原因（出生已超过 24 小时）', { exact: true }).count()).toBe(1);
    await enter(page, '出生时间（北京时间）', beijingLocal(2));
    await expect.poll(() => page.getByLabel('补录原因（出生已超过 24 小时）', { exact: true }).count()).toBe(0);

    const born = bornBefore(record, new Date(), 2);
    await Promise.all([validated(page), page.getByLabel('性别', { exact: true }).selectOption(born.newborn.sex)]);
    await enter(page, '出生孕周（周）', String(born.newborn.gestation.weeks));
    await enter(page, '出生孕周（天）', String(born.newborn.gestation.days));
    await enter(page, '出生体重（克）', String(born.newborn.weightGrams));
    await enter(page, '出生身长（厘米）', String(born.newborn.lengthCm));
    await enter(page, '姓名', born.mother.name);
    await enter(page, '年龄', String(born.mother.age));
    await enter(page, '住址', born.mother.address);
    await enter(page, '有效身份证件号码', born.mother.idNumber);
    await enter(page, '住院号', 'ZY2026-0001');
    await enter(page, '接生人员姓名', '张助产');
    await expect.poll(() => page.locator('.field.invalid').count()).toBe(0);
    // Saved with the keyboard alone: focus the button and press Enter.
    await page.getByRole('button', { name: '保存分娩记录' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '出院告知单' }).waitFor();
    story.code = ((await page.locator('.code').textContent()) ?? '').trim();
    expect(story.code).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
    expect(await page.locator('.qr-svg svg').count()).toBe(1);
    await expectAccessible(page);
    await screens(page, 'midwife-slip');

    await page.goto(`${svc.url}/console/midwife`);
    expect(await page.getByRole('cell', { name: 'ZY2026-0001' }).count()).toBe(1);
    await context.close();
  });

  it('the parents apply online stating the wrong sex', async () => {
    const applied = await svc.request('POST', '/api/v1/citizen/applications', {
      json: {
        applicationCode: story.code,
        motherIdNumber: record.mother.idNumber,
        newborn: { name: record.newborn.name, sex: record.newborn.sex === '1' ? '2' : '1' },
        father: record.father,
        applicant: {
          name: record.mother.name,
          relation: 'mother',
          idType: record.mother.idType,
          idNumber: record.mother.idNumber,
        },
      },
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);
    story.applicationId = applied.body.id;
    story.token = applied.body.accessToken;
  });

  it('the issuer sees the mismatch highlighted side by side and returns the application', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'issuer');
    expect(page.url()).toBe(`${svc.url}/console/issuer`);
    expect(await page.getByText('1 项不一致').count()).toBe(1);
    await expectAccessible(page);
    await screens(page, 'issuer-queue');
    await page.getByRole('link', { name: `审核：${record.newborn.name}` }).click();
    await page.getByRole('table').waitFor();
    const row = page.getByRole('row', { name: /新生儿性别/ });
    expect(await row.getAttribute('class')).toBe('mismatch');
    expect(await row.textContent()).toContain('不一致');
    expect(await page.locator('tr.mismatch').count()).toBe(1);
    // Only the way that can work is offered: return for correction, no issue button.
    expect(await page.getByRole('button', { name: '签发出生医学证明' }).count()).toBe(0);
    await expectAccessible(page);
    await screens(page, 'issuer-review');
    await page
      .getByLabel('退回原因（将告知家长需要更正的内容）', { exact: true })
      .fill('新生儿性别与分娩记录不一致，请核对');
    await page.getByRole('button', { name: '退回家长更正' }).click();
    await page.getByText('已退回家长更正：新生儿性别与分娩记录不一致，请核对').waitFor();
    await context.close();
  });

  it('the parents correct it; the issuer issues and sees the PDF inline, the print button and the claim code', async () => {
    const corrected = await svc.request('PUT', `/api/v1/citizen/applications/${story.applicationId}`, {
      token: story.token,
      json: {
        newborn: { name: record.newborn.name, sex: record.newborn.sex },
        father: record.father,
        applicant: {
          name: record.mother.name,
          relation: 'mother',
          idType: record.mother.idType,
          idNumber: record.mother.idNumber,
        },
      },
    });
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(200);

    const { context, page } = await newPage();
    await signIn(page, 'issuer');
    expect(await page.getByText('一致', { exact: true }).count()).toBe(1);
    await page.getByRole('link', { name: `审核：${record.newborn.name}` }).click();
    expect(await page.locator('tr.mismatch').count()).toBe(0);
    await page.getByRole('button', { name: '签发出生医学证明' }).click();
    await page.getByRole('heading', { name: '领取码' }).waitFor();
    const heading = (await page.getByRole('heading', { level: 1 }).textContent()) ?? '';
    story.certificateNo = heading.replace('出生医学证明 ', '').trim();
    expect(story.certificateNo).toMatch(/^[A-Z][0-9]{9}$/);
    expect((await page.locator('.handover .code').textContent())?.trim()).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
    expect(await page.getByRole('button', { name: '打印' }).count()).toBe(1);
    const src = await page.locator('iframe.pdf').getAttribute('src');
    expect(src).toBe(`/console/issuer/certificates/${story.certificateNo}/pdf`);
    const pdf = await page.request.get(`${svc.url}${src}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect(pdf.headers()['content-disposition']).toBe(`inline; filename="${story.certificateNo}.pdf"`);
    story.qr = await qrTextOf(await pdf.body());
    await expectAccessible(page);
    await screens(page, 'issuer-certificate');
    await context.close();
  });

  it('the police verify the pasted QR, look it up with a purpose, and record 落户 (child ID checked as typed)', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'police');
    expect(page.url()).toBe(`${svc.url}/console/police`);
    await expectAccessible(page);
    await screens(page, 'police');
    await page.getByLabel('二维码文字（扫码枪扫描或粘贴）', { exact: true }).fill(story.qr);
    await page.getByRole('button', { name: '核验', exact: true }).click();
    await page.getByRole('heading', { name: '真实有效，为当前版本' }).waitFor();
    await expectAccessible(page);
    await screens(page, 'police-verified');

    // Without a purpose the lookup is refused beside the purpose box.
    await page.getByLabel('出生医学证明编号', { exact: true }).fill(story.certificateNo);
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('#f-purpose-error').waitFor();
    await page.getByLabel('出生医学证明编号', { exact: true }).fill(story.certificateNo);
    await page.getByLabel('查询目的', { exact: true }).selectOption('办理出生登记（落户）');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('heading', { name: '登记落户' }).waitFor();
    await expectAccessible(page);
    await screens(page, 'police-lookup');

    const birthDate = chinaDateOf(new Date(Date.now() - 2 * 3_600_000));
    const otherSex = record.newborn.sex === '1' ? '2' : '1';
    await page.getByLabel('新生儿公民身份号码', { exact: true }).fill(childIdNumber(birthDate, otherSex as '1' | '2'));
    await expect.poll(() => page.locator('#f-childIdNumber-error').textContent(), { timeout: 5000 }).toContain('性别');
    await page
      .getByLabel('新生儿公民身份号码', { exact: true })
      .fill(childIdNumber(birthDate, record.newborn.sex as '1' | '2'));
    await page.getByLabel('落户日期', { exact: true }).fill(chinaDateOf(new Date()));
    await page.getByLabel('登记单位', { exact: true }).fill('广州市公安局天河区分局天河南派出所');
    await page.getByRole('button', { name: '登记落户' }).click();
    await page.getByText('已登记落户。').waitFor();
    expect(await page.getByText('此出生已于').textContent()).toContain('天河南派出所');
    await expectAccessible(page);
    await screens(page, 'police-registered');
    await context.close();
  });

  it("the issuer's 作废 is refused after 落户, with the way out named", async () => {
    const { context, page } = await newPage();
    await signIn(page, 'issuer');
    await page.goto(`${svc.url}/console/issuer/search`);
    await page.getByLabel('出生医学证明编号', { exact: true }).fill(story.certificateNo);
    await page.getByRole('button', { name: '查找' }).click();
    await page.getByRole('link', { name: `审核：${story.certificateNo}` }).click();
    await page.getByRole('button', { name: '作废此证' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('已用于落户登记，不能作废');
    await expectAccessible(page);
    await screens(page, 'issuer-void-refused');
    await context.close();
  });

  it('the auditor finds the chain intact, every step of the story in it, and keeps an anchor', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'auditor');
    await page.getByRole('button', { name: '校验整条链' }).click();
    const verdict = page.getByRole('status').filter({ hasText: '链完整' });
    await verdict.waitFor();
    // The whole log fits the first page: the count verified is the newest event shown, and no gaps.
    const log = await eventsOn(page);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => log.length - i));
    expect(await verdict.textContent()).toBe(`链完整：共 ${log.length} 条事件，0 个签名检查点均相符。`);
    const oldestFirst = [...log].reverse();
    const submitted = oldestFirst.find((e) => e.action === 'application.submitted')!;
    const deliveryId = JSON.parse(submitted.details.at(-1)!).deliveryId as string;
    // The steps that change something, oldest first. The refused 作废 left no event: the refusal
    // rolls back with the void's transaction, so no certificate.voided is in the log at all.
    expect(
      oldestFirst
        .filter((e) => !['auth.sign-in-failed', 'certificate.read', 'certificate.document-read'].includes(e.action))
        .map((e) => [e.action, e.actor, e.target]),
    ).toEqual([
      ['delivery.recorded', 'demo-midwife-gz（助产人员）', deliveryId],
      ['application.submitted', 'online-application（家长）', story.applicationId],
      ['application.returned', 'demo-issuer-gz（签发人员）', story.applicationId],
      ['application.resubmitted', '—（家长）', story.applicationId],
      ['certificate.issued', 'demo-issuer-gz（签发人员）', story.certificateNo],
      ['household.registered', 'demo-police（公安户籍）', story.certificateNo],
    ]);
    await expectAccessible(page);
    await screens(page, 'auditor-story-verified');

    await page.getByLabel('出生医学证明编号', { exact: true }).fill(story.certificateNo);
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForLoadState('load');
    const trail = await eventsOn(page);
    const api = (
      await svc.request('GET', `/api/v1/audit-events?certificateNo=${story.certificateNo}`, {
        token: await svc.token('auditor'),
      })
    ).body as { events: { seq: number; action: string }[] };
    expect(trail.map((e) => `#${e.seq} ${e.action}`)).toEqual(api.events.map((e) => `#${e.seq} ${e.action}`));
    expect(trail.every((e) => e.target === story.certificateNo)).toBe(true);
    // Each step once, in order (a run of the same read, as the 落户 form re-reads while checking
    // what is typed, counts once); the PDF reads are the issuer's alone.
    const steps = [...trail]
      .reverse()
      .filter((e) => e.action !== 'certificate.document-read')
      .map((e) => [e.actor, e.action, ...e.details.filter((d) => d.startsWith('目的：'))].join(' '))
      .filter((step, i, all) => step !== all[i - 1]);
    expect(steps).toEqual([
      'demo-issuer-gz（签发人员） certificate.issued',
      'demo-issuer-gz（签发人员） certificate.read',
      'demo-police（公安户籍） certificate.read 目的：办理出生登记（落户）',
      'demo-police（公安户籍） household.registered 目的：落户',
      'demo-police（公安户籍） certificate.read 目的：办理出生登记（落户）',
      'demo-issuer-gz（签发人员） certificate.read',
    ]);
    const issued = trail.at(-1)!;
    expect(JSON.parse(issued.details[0]!)).toMatchObject({ kind: 'first' });
    expect(trail.find((e) => e.action === 'household.registered')!.details).toEqual([
      '目的：落户',
      JSON.stringify({
        policeUnit: '广州市公安局天河区分局天河南派出所',
        registeredOn: chinaDateOf(new Date()),
        nameDiffers: false,
      }),
    ]);
    const pdfReads = trail.filter((e) => e.action === 'certificate.document-read');
    expect(pdfReads.length).toBeGreaterThan(0);
    expect(
      pdfReads.every((e) => e.actor === 'demo-issuer-gz（签发人员）' && e.details[0] === '{"document":"pdf"}'),
    ).toBe(true);
    await expectAccessible(page);
    await screens(page, 'auditor-story-events');

    await page.getByRole('button', { name: '保存锚点' }).click();
    const kept = page.locator('.kept');
    await kept.waitFor();
    expect(await kept.locator('p').textContent()).toBe('已签署检查点 #1：请抄存以下锚点。');
    const seq = (await kept.locator('dd').nth(0).textContent())!;
    const hash = (await kept.locator('dd').nth(1).textContent())!;
    // Nothing was recorded since the chain was verified: the anchor is the head that was verified.
    expect(seq).toBe(String(log.length));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    await page.getByLabel('事件序号', { exact: true }).fill(seq);
    await page.getByLabel('哈希（64 位十六进制）', { exact: true }).fill(hash);
    await page.getByRole('button', { name: '核对锚点' }).click();
    await page.getByText(`锚点相符：第 ${seq} 条事件的哈希未变`).waitFor();
    await expectAccessible(page);
    await screens(page, 'auditor-story-anchor');
    await context.close();
  });
});

describe('the delivery form', () => {
  it('keeps what is typed into the next box while a check is on its way, and the late-entry reason too', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'midwife');
    // The check of 姓名 is held back until the midwife has typed her age into the next box.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/console/midwife/deliveries/validate', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByLabel('有效身份证件号码', { exact: true }).fill('440106199305121248');
    const answered = validated(page);
    await page.getByLabel('姓名', { exact: true }).fill('王秀英');
    await page.keyboard.press('Tab');
    await page.keyboard.type('31');
    release();
    await answered;
    await expect
      .poll(() => page.locator('#f-mother-idNumber-error').textContent())
      .toBe('身份证号码校验位不正确，请核对。');
    expect(await page.getByLabel('年龄', { exact: true }).inputValue()).toBe('31');
    expect(await page.evaluate<string>("document.activeElement?.id ?? ''")).toBe('f-mother-age');
    expect(await page.getByLabel('有效身份证件号码', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await page.unroute('**/console/midwife/deliveries/validate');

    // The reason typed into the late-entry box survives the checks of later boxes.
    await enter(page, '出生时间（北京时间）', beijingLocal(30));
    const reason = page.getByLabel('补录原因（出生已超过 24 小时）', { exact: true });
    await reason.waitFor();
    await enter(page, '补录原因（出生已超过 24 小时）', '产妇急诊转入，次日补录');
    await enter(page, '出生体重（克）', '3300');
    expect(await reason.inputValue()).toBe('产妇急诊转入，次日补录');
    // Correcting the ID number clears its error and its invalid mark.
    await enter(page, '有效身份证件号码', record.mother.idNumber);
    await expect.poll(() => page.locator('#f-mother-idNumber-error').textContent()).toBe('');
    expect(await page.getByLabel('有效身份证件号码', { exact: true }).getAttribute('aria-invalid')).toBe(null);
    await expectAccessible(page);
    // Saving the half-filled form: the page comes back with each missing box marked.
    await page.getByRole('button', { name: '保存分娩记录' }).click();
    await page.locator('#f-newborn-sex-error').filter({ hasText: '此项必填。' }).waitFor();
    expect(await reason.inputValue()).toBe('产妇急诊转入，次日补录');
    await expectAccessible(page);
    await screens(page, 'midwife-errors');
    await context.close();
  });

  it('works without JavaScript: saving re-renders the page with each error beside its field', async () => {
    const context = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 360, height: 800 },
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, 'midwife');
    await page.getByLabel('有效身份证件号码', { exact: true }).fill('440106199305121248');
    await page.getByLabel('姓名', { exact: true }).fill('王秀英');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/console/midwife/deliveries')),
      page.getByRole('button', { name: '保存分娩记录' }).click(),
    ]);
    expect(response.status()).toBe(400);
    await page.waitForLoadState('load');
    expect(await page.locator('#f-mother-idNumber-error').textContent()).toBe('身份证号码校验位不正确，请核对。');
    expect(await page.locator('#f-newborn-sex-error').textContent()).toBe('此项必填。');
    expect(await page.locator('#f-newborn-weightGrams-error').textContent()).toBe('此项必填。');
    expect(await page.locator('#f-hospitalRecordNo-error').textContent()).toBe('此项必填。');
    expect(await page.getByLabel('姓名', { exact: true }).inputValue()).toBe('王秀英');
    expect(await page.locator('.field.invalid').count()).toBeGreaterThan(1);
    await context.close();
  });
});

describe('console access', () => {
  it("each role's pages are refused to the others with the 403 page", async () => {
    const { context, page } = await newPage();
    await signIn(page, 'midwife');
    for (const other of ['/console/issuer', '/console/police', '/console/issuer/search']) {
      const res = await page.goto(`${svc.url}${other}`);
      expect(res?.status()).toBe(403);
      await page.getByRole('heading', { name: '无权访问此页面' }).waitFor();
    }
    await expectAccessible(page);
    await screens(page, 'forbidden');
    await context.close();
    for (const [role, path] of [
      ['issuer', '/console/midwife'],
      ['police', '/console/issuer'],
      ['agency', '/console/police'],
    ] as const) {
      const { context: c, page: p } = await newPage();
      await signIn(p, role);
      expect((await p.goto(`${svc.url}${path}`))?.status()).toBe(403);
      await c.close();
    }
  });

  it('a session cookie replayed after sign-out opens nothing', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'issuer');
    const cookie = (await context.cookies()).find((c) => c.name === 'console_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(`${svc.url}/console/sign-in`);
    const replay = await fetch(`${svc.url}/console/issuer`, {
      headers: { cookie: `console_session=${cookie.value}` },
      redirect: 'manual',
    });
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toBe('/console/sign-in');
    await context.close();
  });

  it('a form posted from another origin is refused, and one without the CSRF token too', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'issuer');
    const cookie = (await context.cookies()).find((c) => c.name === 'console_session')!;
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${svc.url}/console/sign-out`, {
        method: 'POST',
        headers: {
          cookie: `console_session=${cookie.value}`,
          'content-type': 'application/x-www-form-urlencoded',
          ...headers,
        },
        body,
        redirect: 'manual',
      });
    const csrf = await page.locator('input[name=_csrf]').first().getAttribute('value');
    const foreign = await post({ origin: 'https://evil.example' }, `_csrf=${encodeURIComponent(csrf!)}`);
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain('请求被拒绝');
    const tokenless = await post({ origin: svc.url }, '');
    expect(tokenless.status).toBe(403);
    // The session survived both: the page still opens.
    expect((await page.goto(`${svc.url}/console/issuer`))?.status()).toBe(200);
    await context.close();
  });
});
