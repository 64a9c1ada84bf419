import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statements } from '../storage-kit.ts';
import { consoleSession } from './console-helpers.ts';
import { startTestService, type TestService } from './harness.ts';
import { auditTrail } from './lifecycle-helpers.ts';

let svc: TestService;

beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
});
afterAll(async () => {
  await svc?.stop();
});

const session = (role: string) => consoleSession(svc, role);

/** The error paragraph beside a field, as the page renders it. */
const fieldError = (html: string, name: string) =>
  new RegExp(`id="f-${name}-error"[^>]*>([^<]*)<`).exec(html)?.[1] ?? null;

const gz = () => svc.accounts.find((a) => a.username === 'demo-issuer-gz')!.institution!;

describe('the administrator console over HTTP', () => {
  it('lands the admin on the stock page and the agency on its own page', async () => {
    expect((await session('admin')).home).toBe('/console/admin');
    expect((await session('agency')).home).toBe('/console/agency');
  });

  it('refuses every admin page to other roles with the 403 page, and the agency page to the admin', async () => {
    for (const role of ['midwife', 'issuer', 'police', 'agency', 'auditor', 'statistician']) {
      const s = await session(role);
      for (const path of [
        '/console/admin',
        '/console/admin/accounts',
        '/console/admin/keys',
        '/console/admin/certificates',
      ]) {
        const res = await s.get(path);
        expect(res.status, `${role} ${path}`).toBe(403);
        expect(await res.text()).toContain('无权访问此页面');
      }
      const posted = await s.post('/console/admin/number-ranges', {
        institution: gz(),
        prefix: 'Z',
        firstNo: '1',
        lastNo: '2',
      });
      expect(posted.status).toBe(403);
    }
    const admin = await session('admin');
    for (const path of ['/console/agency', '/console/police', '/console/issuer', '/console/midwife']) {
      expect((await admin.get(path)).status, path).toBe(403);
    }
    const police = await session('police');
    expect((await police.get('/console/agency')).status).toBe(403);
  });

  it('refuses an admin form without the CSRF token, or from another origin, and changes nothing', async () => {
    const admin = await session('admin');
    const tokenless = await admin.post('/console/admin/accounts', { username: 'no-csrf', role: 'police' }, false);
    expect(tokenless.status).toBe(403);
    expect(await tokenless.text()).toContain('请求被拒绝');
    const foreign = await fetch(`${svc.url}/console/admin/accounts/demo-police/disable`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'x=1',
      redirect: 'manual',
    });
    expect(foreign.status).toBe(403);
    const accounts = await svc.request('GET', '/api/v1/accounts', { token: await svc.token('admin') });
    const names = accounts.body.accounts.map((a: { username: string; disabled: boolean }) => a.username);
    expect(names).not.toContain('no-csrf');
    expect(accounts.body.accounts.find((a: { username: string }) => a.username === 'demo-police').disabled).toBe(false);
  });

  it('names the field of a bad number range on a 400 page, and an overlap on a 409', async () => {
    const admin = await session('admin');
    const letters = await admin.post('/console/admin/number-ranges', {
      institution: gz(),
      prefix: 'Z',
      firstNo: 'abc',
      lastNo: '5',
    });
    expect(letters.status).toBe(400);
    expect(fieldError(await letters.text(), 'firstNo')).toBe('应为整数。');
    const backwards = await admin.post('/console/admin/number-ranges', {
      institution: gz(),
      prefix: 'Z',
      firstNo: '900',
      lastNo: '100',
    });
    expect(backwards.status).toBe(400);
    expect(fieldError(await backwards.text(), 'lastNo')).toBe('终止号不能小于起始号。');
    const nowhere = await admin.post('/console/admin/number-ranges', { prefix: 'Z', firstNo: '1', lastNo: '2' });
    expect(nowhere.status).toBe(400);
    expect(fieldError(await nowhere.text(), 'institution')).toBe('没有该机构。');
    const overlap = await admin.post('/console/admin/number-ranges', {
      institution: gz(),
      prefix: 'Q',
      firstNo: '440000005',
      lastNo: '440000009',
    });
    expect(overlap.status).toBe(409);
    expect(fieldError(await overlap.text(), 'firstNo')).toBe('与已领取的号段重叠。');
  });

  it('names the fields of a bad account, a bad revocation time and a bad certificate number', async () => {
    const admin = await session('admin');
    const account = await admin.post('/console/admin/accounts', { username: 'a b', role: 'issuer', institution: '' });
    expect(account.status).toBe(400);
    const html = await account.text();
    expect(fieldError(html, 'username')).toBe('应为 3–64 位字母、数字、点、下划线或连字符。');
    expect(fieldError(html, 'institution')).toBe('助产人员和签发人员须选择所属机构。');
    expect(html).not.toContain('初始密码');
    const taken = await admin.post('/console/admin/accounts', { username: 'demo-police', role: 'police' });
    expect(taken.status).toBe(400);
    expect(fieldError(await taken.text(), 'username')).toBe('该用户名已被使用。');

    const keys = await svc.request('GET', '/.well-known/jwks.json');
    const kid = (keys.body.keys as { kid: string }[])[0]!.kid;
    const badTime = await admin.post(`/console/admin/keys/${kid}/revoke`, {
      revokedAt: '2026-02-30T10:00',
      reason: '',
    });
    expect(badTime.status).toBe(400);
    const badHtml = await badTime.text();
    expect(fieldError(badHtml, 'revokedAt')).toBe('请填写有效的日期和时间。');
    expect(fieldError(badHtml, 'reason')).toBe('此项必填。');
    const future = await admin.post(`/console/admin/keys/${kid}/revoke`, {
      revokedAt: '2999-01-01T00:00',
      reason: '测试',
    });
    expect(future.status).toBe(400);
    expect(fieldError(await future.text(), 'revokedAt')).toBe('不能晚于现在。');
    expect((await admin.get('/console/admin/keys/not-a-key/revoke')).status).toBe(404);

    const certificate = await admin.post('/console/admin/certificates/revoke', { certificateNo: '12345', reason: '' });
    expect(certificate.status).toBe(400);
    const certHtml = await certificate.text();
    expect(fieldError(certHtml, 'certificateNo')).toBe('应为 1 个大写字母加 9 位数字，例如 Q440000001。');
    expect(fieldError(certHtml, 'reason')).toBe('此项必填。');
    const unknown = await admin.post('/console/admin/certificates/revoke', {
      certificateNo: 'Q449999999',
      reason: '冒领',
    });
    expect(unknown.status).toBe(404);
    expect(fieldError(await unknown.text(), 'certificateNo')).toBe('没有该编号的出生医学证明。');
  });

  it('shows a reset password once, in the page only: not in the URL, not on the next page', async () => {
    const admin = await session('admin');
    const reset = await admin.post('/console/admin/accounts/demo-statistician/password', {});
    expect(reset.status).toBe(200);
    expect(reset.headers.get('cache-control')).toBe('no-store');
    const html = await reset.text();
    const password = /class="code password">([^<]+)</.exec(html)![1]!;
    expect(password).toMatch(/^([2-9A-HJKMNP-Z]{5}-){3}[2-9A-HJKMNP-Z]{5}$/);
    expect((await admin.get('/console/admin/accounts').then((r) => r.text())).includes(password)).toBe(false);
    // The old password stops working; the new one signs in.
    const old = svc.accounts.find((a) => a.username === 'demo-statistician')!.password;
    const signIn = (pw: string) =>
      fetch(`${svc.url}/console/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'demo-statistician', password: pw }),
        redirect: 'manual',
      });
    expect((await signIn(old)).status).toBe(401);
    expect((await signIn(password)).status).toBe(303);
    const unknown = await admin.post('/console/admin/accounts/nobody-here/password', {});
    expect(unknown.status).toBe(404);
  });

  it('disables an account (its sign-in refused, its session ended), enables it again, and lifts a sign-in lock', async () => {
    const admin = await session('admin');
    const auditor = await session('auditor');
    const disabled = await admin.post('/console/admin/accounts/demo-auditor/disable', {});
    expect(disabled.status).toBe(200);
    const html = await disabled.text();
    expect(html).toContain('已停用 demo-auditor；该账户的所有登录已失效。');
    expect(/<tr><th scope="row">demo-auditor<\/th>.*?<\/tr>/s.exec(html)?.[0]).toContain('已停用');
    expect((await auditor.get('/console/home')).status).toBe(303);
    const password = svc.accounts.find((a) => a.username === 'demo-auditor')!.password;
    const signIn = (username: string, pw: string) =>
      fetch(`${svc.url}/console/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, password: pw }),
        redirect: 'manual',
      });
    expect((await signIn('demo-auditor', password)).status).toBe(401);
    expect((await admin.post('/console/admin/accounts/demo-auditor/enable', {})).status).toBe(200);
    expect((await signIn('demo-auditor', password)).status).toBe(303);
    // The admin's own account offers no disable button, and refuses one posted anyway.
    const own = await admin.post(`/console/admin/accounts/${admin.username}/disable`, {});
    expect(own.status).toBe(409);

    for (let i = 0; i < 5; i++) expect((await signIn('demo-agency', 'wrong password')).status).toBe(401);
    const agencyPassword = svc.accounts.find((a) => a.username === 'demo-agency')!.password;
    expect((await signIn('demo-agency', agencyPassword)).status).toBe(401);
    const locked = await (await admin.get('/console/admin/accounts')).text();
    expect(/<tr><th scope="row">demo-agency<\/th>.*?<\/tr>/s.exec(locked)?.[0]).toContain('登录已锁定至');
    const unlocked = await admin.post('/console/admin/accounts/demo-agency/unlock', {});
    expect(await unlocked.text()).toContain('已解除 demo-agency 的登录锁定。');
    expect((await signIn('demo-agency', agencyPassword)).status).toBe(303);
  });

  it("records each console act in the audit log through the API's use cases, and no password in it", async () => {
    const admin = await session('admin');
    const before = auditTrail(svc).length;
    expect(
      (await admin.post('/console/admin/number-ranges', { institution: gz(), prefix: 'W', firstNo: '1', lastNo: '10' }))
        .status,
    ).toBe(201);
    const created = await admin.post('/console/admin/accounts', { username: 'police-2', role: 'police' });
    expect(created.status).toBe(201);
    const password = /class="code password">([^<]+)</.exec(await created.text())![1]!;
    expect((await admin.post(`/console/admin/institutions/${gz()}/signing-keys`, {})).status).toBe(201);
    const agency = await session('agency');
    const lookup = await agency.post('/console/agency/lookup', {
      motherIdNumber: '110105199001010028',
      purpose: 'other',
      purposeOther: '办理新生儿医疗保险参保',
    });
    expect(lookup.status).toBe(200);
    const trail = auditTrail(svc).slice(before);
    expect(trail).toEqual([
      { action: 'number-range.received', target: gz(), purpose: null },
      { action: 'account.created', target: 'police-2', purpose: null },
      { action: 'signing-key.rotated', target: gz(), purpose: null },
      { action: 'certificate.searched', target: null, purpose: '办理新生儿医疗保险参保' },
    ]);
    const rows = statements(svc.running.service.sql).prepare('SELECT details FROM audit_events').all() as {
      details: string;
    }[];
    expect(rows.some((r) => r.details.includes(password))).toBe(false);
  });
});
