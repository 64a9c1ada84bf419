import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPoliceUnit } from '../../src/setup/demo-trust-domain.ts';
import { fixtureRecords } from '../fixtures/records.ts';
import { statements } from '../storage-kit.ts';
import { consoleClient, errorBeside } from './console-session.ts';
import { startTestService, type TestService } from './harness.ts';
import { bornBefore, issueBirth, staffOf } from './lifecycle-helpers.ts';

/*
 * The administrator sets a police account's unit (over the API and on the console's account page)
 * and links staff accounts to identity-provider subjects on that page; each act is audited by the
 * use case the API uses.
 */

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
});
afterAll(async () => {
  await svc?.stop();
});

const usernameOf = (role: string) =>
  svc.accounts.find((a) => a.role === role && (a.institution === null || a.username.endsWith('-gz')))!.username;
const auditOf = (action: string) =>
  statements(svc.running.service.sql)
    .prepare('SELECT actor, role, target, details FROM audit_events WHERE action = ? ORDER BY seq')
    .all(action) as { actor: string; role: string; target: string; details: string }[];
const putUnit = async (username: string, json: unknown, role = 'admin') =>
  svc.request('PUT', `/api/v1/accounts/${username}/police-unit`, { token: await svc.token(role), json });
const archivePurpose = `purpose=${encodeURIComponent('核验留档')}`;

describe('PUT /api/v1/accounts/{username}/police-unit', () => {
  it('moves an officer to another unit: audited, listed, and the old unit’s archives are no longer theirs', async () => {
    const police = usernameOf('police');
    const issued = await issueBirth(svc, await staffOf(svc, 'gz'), bornBefore(fixtureRecords[0]!, new Date(), 2));
    const archived = await svc.request('POST', `/api/v1/police-archives?${archivePurpose}`, {
      token: await svc.token('police'),
      json: { certificateNo: issued.certificateNo, caseNo: 'HJ-UNIT-1' },
    });
    expect(archived.status, JSON.stringify(archived.body)).toBe(201);

    const moved = await putUnit(police, { policeUnit: '广州市公安局越秀区分局北京街派出所' });
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({ username: police, policeUnit: '广州市公安局越秀区分局北京街派出所' });
    expect(auditOf('account.police-unit-set').at(-1)).toMatchObject({
      actor: usernameOf('admin'),
      role: 'admin',
      target: police,
    });
    expect(JSON.parse(auditOf('account.police-unit-set').at(-1)!.details)).toEqual({
      policeUnit: '广州市公安局越秀区分局北京街派出所',
      previous: demoPoliceUnit,
    });
    const list = await svc.request('GET', '/api/v1/accounts', { token: await svc.token('admin') });
    const listed = (list.body.accounts as { username: string; policeUnit: string | null }[]).map((a) => [
      a.username,
      a.policeUnit,
    ]);
    expect(listed).toContainEqual([police, '广州市公安局越秀区分局北京街派出所']);
    expect(listed).toContainEqual([usernameOf('admin'), null]);

    const read = await svc.request('GET', `/api/v1/police-archives/${archived.body.id}?${archivePurpose}`, {
      token: await svc.token('police'),
    });
    expect(read.status).toBe(403);
    expect((await putUnit(police, { policeUnit: demoPoliceUnit })).status).toBe(200);
    const again = await svc.request('GET', `/api/v1/police-archives/${archived.body.id}?${archivePurpose}`, {
      token: await svc.token('police'),
    });
    expect(again.status).toBe(200);
  });

  it('a non-police account is 400 naming policeUnit; bad text and unknown accounts are refused', async () => {
    const notPolice = await putUnit(usernameOf('issuer'), { policeUnit: demoPoliceUnit });
    expect(notPolice.status).toBe(400);
    expect(notPolice.body.error.code).toBe('INVALID_REQUEST');
    expect(notPolice.body.error.details).toEqual([
      { path: 'policeUnit', message: 'only a police account has a police unit' },
    ]);
    const police = usernameOf('police');
    for (const json of [{}, { policeUnit: '' }, { policeUnit: ' 前后有空格 ' }, { policeUnit: '所'.repeat(65) }]) {
      const res = await putUnit(police, json);
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['policeUnit']);
    }
    expect((await putUnit(police, 7)).status).toBe(400);
    expect((await putUnit('nobody-here', { policeUnit: demoPoliceUnit })).status).toBe(404);
    expect((await putUnit(police, { policeUnit: demoPoliceUnit }, 'police')).status).toBe(403);
    // Nothing was changed by any of them.
    const list = await svc.request('GET', '/api/v1/accounts', { token: await svc.token('admin') });
    expect(list.body.accounts.find((a: { username: string }) => a.username === police).policeUnit).toBe(demoPoliceUnit);
  });
});

describe('the console’s account page', () => {
  it('lists, links and (after a confirmation) unlinks identity-provider subjects, audited', async () => {
    const admin = await consoleClient(svc, 'admin');
    const issuer = usernameOf('issuer');
    const accounts = await admin.get('/console/admin/accounts');
    expect(accounts.html).toContain(`href="/console/admin/accounts/${issuer}"`);
    expect(accounts.html).toContain('未关联');

    const page = await admin.get(`/console/admin/accounts/${issuer}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('尚未关联统一身份认证账户。');
    // No police unit for an issuer.
    expect(page.html).not.toContain('name="policeUnit"');

    const bad = await admin.post(`/console/admin/accounts/${issuer}/identity-links`, {
      issuer: 'idp.example',
      subject: 'a b',
    });
    expect(bad.status).toBe(400);
    expect(errorBeside(bad.html, 'issuer')).toBe('应为 http:// 或 https:// 开头的身份认证平台地址。');
    expect(errorBeside(bad.html, 'subject')).toBe('应为不含空格的字母、数字或符号。');

    const linked = await admin.post(`/console/admin/accounts/${issuer}/identity-links`, {
      issuer: 'https://idp.wsjkw.example.gov.cn',
      subject: 'wsjkw-0042',
    });
    expect(linked.status).toBe(201);
    expect(linked.html).toContain(`已将 wsjkw-0042 关联到 ${issuer}。`);
    expect(linked.html).toContain('<code class="kid">wsjkw-0042</code>');
    const api = await svc.request('GET', `/api/v1/accounts/${issuer}/identity-links`, {
      token: await svc.token('admin'),
    });
    expect(api.body.links.map((l: { subject: string }) => l.subject)).toEqual(['wsjkw-0042']);
    expect((await admin.get('/console/admin/accounts')).html).toContain('<code class="kid subject">wsjkw-0042</code>');

    // The same subject for another account: refused beside the subject box.
    const taken = await admin.post(`/console/admin/accounts/${usernameOf('midwife')}/identity-links`, {
      issuer: 'https://idp.wsjkw.example.gov.cn',
      subject: 'wsjkw-0042',
    });
    expect(taken.status).toBe(409);
    expect(errorBeside(taken.html, 'subject')).toBe('此认证账户已关联到一个工作人员账户，须先在那里解除。');

    // 解除关联 asks first; the link stays until confirmed.
    const asked = await admin.post(`/console/admin/accounts/${issuer}/identity-links/remove`, {
      issuer: 'https://idp.wsjkw.example.gov.cn',
      subject: 'wsjkw-0042',
    });
    expect(asked.status).toBe(200);
    expect(asked.html).toContain('确认解除关联');
    expect(auditOf('account.identity-unlinked')).toEqual([]);
    const done = await admin.post(`/console/admin/accounts/${issuer}/identity-links/remove`, {
      issuer: 'https://idp.wsjkw.example.gov.cn',
      subject: 'wsjkw-0042',
      confirm: 'yes',
    });
    expect(done.status).toBe(200);
    expect(done.html).toContain(`已解除 wsjkw-0042 与 ${issuer} 的关联。`);
    expect(done.html).toContain('尚未关联统一身份认证账户。');
    const twice = await admin.post(`/console/admin/accounts/${issuer}/identity-links/remove`, {
      issuer: 'https://idp.wsjkw.example.gov.cn',
      subject: 'wsjkw-0042',
      confirm: 'yes',
    });
    expect(twice.status).toBe(404);
    expect(errorBeside(twice.html, 'subject')).toBe('此认证账户未关联到本账户。');

    const linkedEvents = auditOf('account.identity-linked').map((e) => [e.actor, e.target, JSON.parse(e.details)]);
    expect(linkedEvents).toEqual([
      [usernameOf('admin'), issuer, { issuer: 'https://idp.wsjkw.example.gov.cn', subject: 'wsjkw-0042' }],
    ]);
    expect(auditOf('account.identity-unlinked').map((e) => [e.actor, e.target])).toEqual([
      [usernameOf('admin'), issuer],
    ]);
    expect((await admin.get('/console/admin/accounts/nobody-here')).status).toBe(404);
  });

  it('sets a police account’s unit, with errors beside the box', async () => {
    const admin = await consoleClient(svc, 'admin');
    const police = usernameOf('police');
    const page = await admin.get(`/console/admin/accounts/${police}`);
    expect(page.html).toContain(`现为：${demoPoliceUnit}`);
    const blank = await admin.post(`/console/admin/accounts/${police}/police-unit`, { policeUnit: '   ' });
    expect(blank.status).toBe(400);
    expect(errorBeside(blank.html, 'policeUnit')).toBe('此项必填。');
    const long = await admin.post(`/console/admin/accounts/${police}/police-unit`, { policeUnit: '所'.repeat(65) });
    expect(errorBeside(long.html, 'policeUnit')).toBe('内容过长，最多 64 个字。');
    const set = await admin.post(`/console/admin/accounts/${police}/police-unit`, {
      policeUnit: '广州市公安局天河区分局石牌派出所',
    });
    expect(set.status).toBe(200);
    expect(set.html).toContain(`已将 ${police} 的所属派出所设为 广州市公安局天河区分局石牌派出所。`);
    expect((await admin.get('/console/admin/accounts')).html).toContain('派出所：广州市公安局天河区分局石牌派出所');
    // A non-police account's page offers no unit, and a post there is refused beside the box.
    const issuer = usernameOf('issuer');
    const refused = await admin.post(`/console/admin/accounts/${issuer}/police-unit`, { policeUnit: demoPoliceUnit });
    expect(refused.status).toBe(400);
    expect(errorBeside(refused.html, 'policeUnit')).toBe(null);
    expect(refused.html).toContain('只有公安账户才有所属派出所。');
    await admin.post(`/console/admin/accounts/${police}/police-unit`, { policeUnit: demoPoliceUnit });
    expect(auditOf('account.police-unit-set').length).toBeGreaterThanOrEqual(2);
  });

  it('answers every other role with the 403 page, changing nothing', async () => {
    const police = usernameOf('police');
    for (const role of ['issuer', 'police', 'auditor']) {
      const client = await consoleClient(svc, role);
      expect((await client.get(`/console/admin/accounts/${police}`)).status, role).toBe(403);
      const posts = [
        ['identity-links', { issuer: 'https://idp.wsjkw.example.gov.cn', subject: `by-${role}` }],
        [
          'identity-links/remove',
          { issuer: 'https://idp.wsjkw.example.gov.cn', subject: `by-${role}`, confirm: 'yes' },
        ],
        ['police-unit', { policeUnit: `${role} 自设派出所` }],
      ] as const;
      for (const [what, values] of posts) {
        expect((await client.post(`/console/admin/accounts/${police}/${what}`, values)).status, `${role} ${what}`).toBe(
          403,
        );
      }
    }
    const api = await svc.request('GET', `/api/v1/accounts/${police}/identity-links`, {
      token: await svc.token('admin'),
    });
    expect(api.body.links).toEqual([]);
    expect(svc.running.service.accounts.findByUsername(police)!.policeUnit).toBe(demoPoliceUnit);
  });
});
