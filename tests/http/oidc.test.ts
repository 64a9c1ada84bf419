import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formOfItems } from '../../src/web/forms.ts';
import { applicationBodyFor, fixtureRecords, withAnotherMother } from '../fixtures/records.ts';
import { statements } from '../storage-kit.ts';
import { startTestService, type TestService } from './harness.ts';
import {
  bornBefore,
  frozenClock,
  type Issued,
  issueBirth,
  recordDelivery,
  type Staff,
  staffOf,
} from './lifecycle-helpers.ts';
import { CookieBrowser } from './oidc-browserless.ts';
import {
  citizenClient,
  passwordAcr,
  realPersonAcr,
  staffClient,
  startTestProvider,
  type TestProvider,
} from './oidc-test-provider.ts';

/*
 * Sign-in through a real OpenID provider (oidc-provider, in process, on loopback): the parents on
 * /apply and /my, staff on /console. Every refusal is a clear page, never a 5xx.
 */

const { now: NOW } = frozenClock();
let t = NOW.getTime();
const clock = { now: () => new Date(t) };

let svc: TestService;
let idp: TestProvider;
let gz: Staff;
let applyCode: string;
let applyRecord: ReturnType<typeof bornBefore>;
let deliveryId: string;
let issued: Issued;
let issuedMother: string;

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  idp = await startTestProvider(`${base}/oidc/callback`);
  svc = await startTestService({
    clock,
    env: {
      PORT: String(port),
      PUBLIC_BASE_URL: base,
      RATE_LIMIT_PER_MINUTE: '1000',
      OIDC_CITIZEN_ISSUER: idp.issuer,
      OIDC_CITIZEN_CLIENT_ID: citizenClient.id,
      OIDC_CITIZEN_CLIENT_SECRET: citizenClient.secret,
      OIDC_CITIZEN_ACR: realPersonAcr,
      OIDC_STAFF_ISSUER: idp.issuer,
      OIDC_STAFF_CLIENT_ID: staffClient.id,
      OIDC_STAFF_CLIENT_SECRET: staffClient.secret,
    },
  });
  gz = await staffOf(svc, 'gz');
  applyRecord = bornBefore(fixtureRecords[0]!, NOW, 1);
  const delivery = await recordDelivery(svc, gz.midwife, applyRecord);
  applyCode = delivery.applicationCode as string;
  deliveryId = delivery.id;
  const claimRecord = bornBefore(fixtureRecords[2]!, NOW, 2);
  issued = await issueBirth(svc, gz, claimRecord);
  issuedMother = claimRecord.mother.idNumber;
  idp.people.set('mother', {
    idNumber: applyRecord.mother.idNumber,
    name: applyRecord.mother.name,
    acr: realPersonAcr,
  });
  idp.people.set('weak-mother', { idNumber: applyRecord.mother.idNumber, acr: passwordAcr });
  idp.people.set('stranger', { idNumber: issuedMother, acr: realPersonAcr });
  idp.people.set('claim-mother', { idNumber: issuedMother, acr: realPersonAcr });
  idp.people.set('staff-issuer', {});
  idp.people.set('staff-unlinked', {});
  idp.people.set('staff-disabled', {});
}, 60_000);

afterAll(async () => {
  await svc?.stop();
  await idp?.close();
});

/** The button on the service's page, the provider's sign-in page, and back: the service's answer. */
async function signIn(browser: CookieBrowser, path: string, form: Record<string, string>, login: string) {
  const atProvider = await browser.go('POST', `${svc.url}${path}`, form);
  expect(atProvider.status, atProvider.text).toBe(200);
  expect(atProvider.url.startsWith(`${idp.issuer}/interaction/`)).toBe(true);
  const back = await browser.go('POST', atProvider.url, { login });
  const callbackUrl = back.hops.find((hop) => hop.startsWith(`${svc.url}/oidc/callback`));
  return { ...back, callbackUrl };
}

/** Up to the provider's redirect to the callback, not following it. */
async function stopBeforeCallback(browser: CookieBrowser, path: string, form: Record<string, string>, login: string) {
  const atProvider = await browser.go('POST', `${svc.url}${path}`, form);
  let res = await browser.send('POST', atProvider.url, { login });
  while (res.location && !res.location.startsWith(`${svc.url}/oidc/callback`)) {
    res = await browser.send('GET', new URL(res.location, res.url).href);
  }
  expect(res.location).toMatch(/\/oidc\/callback\?code=/);
  return res.location!;
}

const auditOf = (action: string) =>
  statements(svc.running.service.sql)
    .prepare('SELECT actor, role, target, details FROM audit_events WHERE action = ? ORDER BY seq')
    .all(action) as { actor: string | null; role: string | null; target: string | null; details: string }[];

describe('parents on /apply', () => {
  it('a verified mother with an unused code applies without typing her ID number', async () => {
    const browser = new CookieBrowser();
    const page = await browser.go('GET', `${svc.url}/apply`);
    expect(page.text).toContain('使用政务服务平台登录');
    const back = await signIn(browser, '/apply/oidc', { 'oidc.applicationCode': applyCode }, 'mother');
    expect(back.status).toBe(200);
    expect(back.text).toContain('content="0;url=/apply"');
    expect(browser.cookie(svc.url, 'apply_grant')).toBeDefined();

    const form = await browser.go('GET', `${svc.url}/apply`);
    expect(form.text).toContain('已通过政务服务平台实人认证');
    expect(form.text).not.toContain('name="motherIdNumber"');
    const values = formOfItems(applicationBodyFor(applyRecord, deliveryId));
    const applied = await browser.go('POST', `${svc.url}/apply`, values);
    expect(applied.status, applied.text).toBe(200);
    expect(applied.url).toBe(`${svc.url}/apply/status`);
    expect(applied.text).toContain('已提交，等待签发机构审核');
    expect(browser.cookie(svc.url, 'apply_grant')).toBeUndefined();

    const events = auditOf('oidc.sign-in').filter((e) => JSON.parse(e.details).purpose === 'apply');
    expect(events.length).toBe(1);
    expect(JSON.parse(events[0]!.details)).toEqual({ purpose: 'apply', issuer: idp.issuer, acr: realPersonAcr });
    const everything = JSON.stringify(statements(svc.running.service.sql).prepare('SELECT * FROM audit_events').all());
    expect(everything).not.toContain(applyRecord.mother.idNumber);
  });

  it('signing in again with the same code opens the application made', async () => {
    const browser = new CookieBrowser();
    const back = await signIn(browser, '/apply/oidc', { 'oidc.applicationCode': applyCode }, 'mother');
    expect(back.text).toContain('content="0;url=/apply/status"');
    const status = await browser.go('GET', `${svc.url}/apply/status`);
    expect(status.status).toBe(200);
    expect(status.text).toContain('已提交，等待签发机构审核');
  });

  it('the applicant named on an application already made (here the father) opens it too', async () => {
    const record = bornBefore(fixtureRecords[3]!, NOW, 3);
    const delivery = await recordDelivery(svc, gz.midwife, record);
    const body = applicationBodyFor(record, delivery.id);
    const father = body.father!;
    const applied = await svc.request('POST', '/api/v1/citizen/applications', {
      json: {
        applicationCode: delivery.applicationCode,
        motherIdNumber: record.mother.idNumber,
        newborn: body.newborn,
        father,
        applicant: { name: father.name, relation: 'father', idType: father.idType, idNumber: father.idNumber },
      },
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);
    idp.people.set('father', { idNumber: father.idNumber, acr: realPersonAcr });
    const browser = new CookieBrowser();
    const back = await signIn(
      browser,
      '/apply/oidc',
      { 'oidc.applicationCode': delivery.applicationCode as string },
      'father',
    );
    expect(back.status).toBe(200);
    expect(back.text).toContain('content="0;url=/apply/status"');
    const status = await browser.go('GET', `${svc.url}/apply/status`);
    expect(status.text).toContain('已提交，等待签发机构审核');
  });

  it('a verified ID number that is not the mother’s is refused with a clear page', async () => {
    const browser = new CookieBrowser();
    const back = await signIn(browser, '/apply/oidc', { 'oidc.applicationCode': applyCode }, 'stranger');
    expect(back.status).toBe(403);
    expect(back.text).toContain('实人认证的身份证件号码与此申领码登记的母亲（或申请人）的不一致');
    expect(browser.cookie(svc.url, 'apply_session')).toBeUndefined();
    expect(browser.cookie(svc.url, 'apply_grant')).toBeUndefined();
    const refused = auditOf('oidc.sign-in-refused').map((e) => JSON.parse(e.details));
    expect(refused).toContainEqual({ purpose: 'apply', reason: 'id-number' });
  });

  it('an authentication below the required acr is refused', async () => {
    const browser = new CookieBrowser();
    const back = await signIn(browser, '/apply/oidc', { 'oidc.applicationCode': applyCode }, 'weak-mother');
    expect(back.status).toBe(403);
    expect(back.text).toContain('此次认证的等级不足');
    expect(browser.cookie(svc.url, 'apply_session')).toBeUndefined();
  });

  it('a missing application code is asked for beside its field, before the provider', async () => {
    const browser = new CookieBrowser();
    const res = await browser.go('POST', `${svc.url}/apply/oidc`, { 'oidc.applicationCode': '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('请填写申领码。');
  });
});

describe('the state', () => {
  it('a callback replayed (same state, same code) is refused', async () => {
    const browser = new CookieBrowser();
    const back = await signIn(browser, '/apply/oidc', { 'oidc.applicationCode': applyCode }, 'mother');
    expect(back.status).toBe(200);
    const state = new URL(back.callbackUrl!).searchParams.get('state')!;
    // Even with the state cookie put back, a used state opens nothing.
    browser.setCookie(svc.url, 'oidc_flow', `apply.${state}`);
    const replay = await browser.go('GET', back.callbackUrl!);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('此次登录不是从本浏览器发起的，或已使用过');
    // From another browser (no state cookie) too.
    const other = await new CookieBrowser().go('GET', back.callbackUrl!);
    expect(other.status).toBe(400);
    expect(other.text).toContain('此次登录不是从本浏览器发起的，或已使用过');
  });

  it('a callback after the flow’s ten minutes is refused as expired', async () => {
    const browser = new CookieBrowser();
    const callback = await stopBeforeCallback(browser, '/apply/oidc', { 'oidc.applicationCode': applyCode }, 'mother');
    t += 11 * 60_000;
    const late = await browser.go('GET', callback);
    expect(late.status).toBe(400);
    expect(late.text).toContain('登录用时过长，已失效');
    expect(browser.cookie(svc.url, 'apply_session')).toBeUndefined();
  });

  it('an ID token whose signature was broken on the way is refused', async () => {
    const browser = new CookieBrowser();
    idp.tamperIdToken = true;
    try {
      const back = await signIn(browser, '/my/oidc', { 'oidc.certificateNo': issued.certificateNo }, 'claim-mother');
      expect(back.status).toBe(400);
      expect(back.text).toContain('政务服务平台未确认此次登录');
      expect(browser.cookie(svc.url, 'my_session')).toBeUndefined();
    } finally {
      idp.tamperIdToken = false;
    }
    const refused = auditOf('oidc.sign-in-refused').map((e) => JSON.parse(e.details));
    expect(refused).toContainEqual({ purpose: 'my', reason: 'provider' });
  });
});

describe('callbacks that are not a finished sign-in', () => {
  it('a person the provider does not know (access_denied) gets the provider refusal', async () => {
    const browser = new CookieBrowser();
    const back = await signIn(browser, '/apply/oidc', { 'oidc.applicationCode': applyCode }, 'nobody');
    expect(back.status).toBe(400);
    expect(back.text).toContain('政务服务平台未确认此次登录');
  });

  it('made-up callbacks are refused with a page, never a 5xx', async () => {
    const browser = new CookieBrowser();
    const answers = [];
    for (const query of ['', '?code=x', '?code=x&state=y', '?state=y&state=z', '?error=server_error&state=y']) {
      answers.push((await browser.go('GET', `${svc.url}/oidc/callback${query}`)).status);
    }
    // The browser's cookie says "y" was started here, but no flow has that state.
    browser.setCookie(svc.url, 'oidc_flow', 'my.y');
    const unknown = await browser.go('GET', `${svc.url}/oidc/callback?code=x&state=y`);
    answers.push(unknown.status);
    expect(answers).toEqual([400, 400, 400, 400, 400, 400]);
    expect(unknown.text).toContain('此次登录不是从本浏览器发起的，或已使用过');
  });

  it('the pages that start a sign-in let their form go on to the provider only (CSP form-action)', async () => {
    for (const page of ['/apply', '/my', '/console/sign-in']) {
      const res = await fetch(`${svc.url}${page}`);
      expect(res.headers.get('content-security-policy')).toContain(`form-action 'self' ${idp.issuer};`);
    }
    const verify = await fetch(`${svc.url}/verify`);
    expect(verify.headers.get('content-security-policy')).toContain("form-action 'self';");
  });
});

describe('the application code’s wrong-guess lock', () => {
  it('verified ID numbers that are not the mother’s count towards it, as wrong ID numbers typed with the code do', async () => {
    const record = withAnotherMother(bornBefore(fixtureRecords[1]!, NOW, 4), 11);
    const delivery = await recordDelivery(svc, gz.midwife, record);
    const code = delivery.applicationCode as string;
    const attempt = (login: string) =>
      signIn(new CookieBrowser(), '/apply/oidc', { 'oidc.applicationCode': code }, login);
    const failuresOf = () =>
      (
        statements(svc.running.service.sql)
          .prepare('SELECT failures FROM application_codes WHERE delivery_id = ?')
          .get(delivery.id) as { failures: number }
      ).failures;

    // One wrong person, then the mother: her sign-in clears the count, as a right code + ID number does.
    expect((await attempt('stranger')).status).toBe(403);
    expect(failuresOf()).toBe(1);
    idp.people.set('lock-mother', { idNumber: record.mother.idNumber, acr: realPersonAcr });
    expect((await attempt('lock-mother')).status).toBe(200);
    expect(failuresOf()).toBe(0);

    // Ten wrong people in a row: the code stops working, for the mother too, on both paths.
    for (let i = 0; i < 10; i++) expect((await attempt('stranger')).status).toBe(403);
    expect(failuresOf()).toBe(10);
    const locked = await attempt('lock-mother');
    expect(locked.status).toBe(404);
    const body = applicationBodyFor(record, delivery.id);
    const typed = await svc.request('POST', '/api/v1/citizen/applications', {
      json: {
        applicationCode: code,
        motherIdNumber: record.mother.idNumber,
        newborn: { name: record.newborn.name },
        father: body.father,
        applicant: body.applicant,
      },
    });
    expect(typed.status).toBe(401);
    expect(typed.body.error.code).toBe('INVALID_CLAIM');
    expect(auditOf('oidc.sign-in-refused').map((e) => JSON.parse(e.details))).toContainEqual({
      purpose: 'apply',
      reason: 'not-found',
    });
  });
});

describe('parents on /my', () => {
  it('the mother opens her certificate with its number and the platform, no claim code', async () => {
    const browser = new CookieBrowser();
    const back = await signIn(browser, '/my/oidc', { 'oidc.certificateNo': issued.certificateNo }, 'claim-mother');
    expect(back.status).toBe(200);
    expect(back.text).toContain('content="0;url=/my"');
    const my = await browser.go('GET', `${svc.url}/my`);
    expect(my.status).toBe(200);
    expect(my.text).toContain(issued.certificateNo);
  });

  it('another verified person is refused for that certificate', async () => {
    const browser = new CookieBrowser();
    const back = await signIn(browser, '/my/oidc', { 'oidc.certificateNo': issued.certificateNo }, 'mother');
    expect(back.status).toBe(403);
    expect(back.text).toContain('实人认证的身份证件号码与此出生医学证明上母亲的不一致');
    expect(browser.cookie(svc.url, 'my_session')).toBeUndefined();
  });
});

describe('staff on /console', () => {
  const issuerName = () => svc.accounts.find((a) => a.role === 'issuer' && a.username.endsWith('-gz'))!.username;

  it('an administrator links an issuer to a subject; that subject signs in with the issuer’s role', async () => {
    const admin = await svc.token('admin');
    const link = await svc.request('POST', `/api/v1/accounts/${issuerName()}/identity-links`, {
      token: admin,
      json: { issuer: idp.issuer, subject: 'staff-issuer' },
    });
    expect(link.status, JSON.stringify(link.body)).toBe(201);
    expect(link.body).toMatchObject({ username: issuerName(), issuer: idp.issuer, subject: 'staff-issuer' });
    const again = await svc.request('POST', `/api/v1/accounts/${issuerName()}/identity-links`, {
      token: admin,
      json: { issuer: idp.issuer, subject: 'staff-issuer' },
    });
    expect(again.status).toBe(409);

    const browser = new CookieBrowser();
    const signInPage = await browser.go('GET', `${svc.url}/console/sign-in`);
    expect(signInPage.text).toContain('使用卫生健康委统一身份认证登录');
    const back = await signIn(browser, '/console/sign-in/oidc', {}, 'staff-issuer');
    expect(back.status).toBe(200);
    expect(back.text).toContain('content="0;url=/console/issuer"');
    const home = await browser.go('GET', `${svc.url}/console/issuer`);
    expect(home.status).toBe(200);
    expect(home.url).toBe(`${svc.url}/console/issuer`);
    expect(auditOf('account.identity-linked').at(-1)).toMatchObject({ target: issuerName() });
    const signedIn = auditOf('oidc.sign-in').find((e) => JSON.parse(e.details).purpose === 'console');
    expect(signedIn).toMatchObject({ actor: issuerName(), role: 'issuer', target: issuerName() });
  });

  it('an unlinked subject is refused', async () => {
    const back = await signIn(new CookieBrowser(), '/console/sign-in/oidc', {}, 'staff-unlinked');
    expect(back.status).toBe(403);
    expect(back.text).toContain('此统一身份认证账户尚未关联本系统的工作人员账户');
  });

  it('a disabled account is refused though linked', async () => {
    const admin = await svc.token('admin');
    const police = svc.accounts.find((a) => a.role === 'police')!.username;
    await svc.request('POST', `/api/v1/accounts/${police}/identity-links`, {
      token: admin,
      json: { issuer: idp.issuer, subject: 'staff-disabled' },
    });
    expect((await svc.request('POST', `/api/v1/accounts/${police}/disable`, { token: admin })).status).toBe(200);
    try {
      const back = await signIn(new CookieBrowser(), '/console/sign-in/oidc', {}, 'staff-disabled');
      expect(back.status).toBe(403);
      expect(back.text).toContain('关联的工作人员账户已停用');
    } finally {
      await svc.request('POST', `/api/v1/accounts/${police}/enable`, { token: admin });
    }
  });

  it('after the link is removed the subject is refused again', async () => {
    const admin = await svc.token('admin');
    const removed = await svc.request('POST', `/api/v1/accounts/${issuerName()}/identity-links/remove`, {
      token: admin,
      json: { issuer: idp.issuer, subject: 'staff-issuer' },
    });
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ unlinked: true });
    expect(auditOf('account.identity-unlinked').length).toBe(1);
    const back = await signIn(new CookieBrowser(), '/console/sign-in/oidc', {}, 'staff-issuer');
    expect(back.status).toBe(403);
    expect(back.text).toContain('尚未关联');
  });

  it('a bad link body names the field', async () => {
    const res = await svc.request('POST', `/api/v1/accounts/${issuerName()}/identity-links`, {
      token: await svc.token('admin'),
      json: { issuer: idp.issuer },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('subject');
  });
});

describe('without OIDC configuration', () => {
  it('no page offers it, its routes are not there, and the callback refuses', async () => {
    const plain = await startTestService();
    try {
      for (const page of ['/apply', '/my', '/console/sign-in']) {
        const res = await plain.request('GET', page);
        expect(res.status).toBe(200);
        expect(String(res.body)).not.toContain('id="oidc"');
      }
      const form = { 'content-type': 'application/x-www-form-urlencoded', origin: plain.url };
      for (const path of ['/apply/oidc', '/my/oidc']) {
        expect((await plain.request('POST', path, { body: 'x=1', headers: form })).status).toBe(404);
      }
      expect((await plain.request('POST', '/console/sign-in/oidc', { body: 'x=1', headers: form })).status).toBe(401);
      expect((await plain.request('GET', '/oidc/callback?code=x&state=y')).status).toBe(400);
    } finally {
      await plain.stop();
    }
  });
});
