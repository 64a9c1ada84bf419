import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fixtureRecords, withAnotherMother } from '../fixtures/records.ts';
import { consoleSession } from './console-helpers.ts';
import { startTestService, type TestService } from './harness.ts';
import {
  bornBefore,
  demo,
  frozenClock,
  type Issued,
  issueBirth,
  qrTextOf,
  staffOf,
  verifyOverHttp,
} from './lifecycle-helpers.ts';

/*
 * The consequences page must name exactly the certificates the verifier will then refuse: a
 * signature made at the revocation time itself fails, one a second before it stays valid. The
 * test's clock puts the signing times where it wants them.
 */

const T0 = frozenClock().now;
let t = T0.getTime();
const clock = { now: () => new Date(t) };
let svc: TestService;
const signed: { atT0: Issued & { qr: string }; minuteLater: Issued & { qr: string } } = {} as never;

async function issue(serial: number) {
  const staff = await staffOf(svc, 'gz');
  const issued = await issueBirth(
    svc,
    staff,
    bornBefore(withAnotherMother(fixtureRecords[0]!, serial), clock.now(), 2),
  );
  const pdf = await svc.request('GET', `/api/v1/certificates/${issued.certificateNo}/pdf`, { token: staff.issuer });
  return { ...issued, qr: await qrTextOf(pdf.body) };
}

beforeAll(async () => {
  svc = await startTestService({ clock, env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  signed.atT0 = await issue(21);
  t += 60_000;
  signed.minuteLater = await issue(22);
  t += 60_000;
}, 60_000);
afterAll(async () => {
  await svc?.stop();
});

const failingOf = (html: string) => [...html.matchAll(/<li>([A-Z]\d{9})<\/li>/g)].map((m) => m[1]);

describe('revoking a key from a time, over the console', () => {
  it('lists as failing exactly what the verifier then refuses, to the second', async () => {
    const admin = await consoleSession(svc, 'admin');
    const keys = await (await admin.get('/console/admin/keys')).text();
    const gzSection = keys.slice(keys.indexOf(`${demo.gz.name}</h2>`));
    const kid = /\/console\/admin\/keys\/([^"/]+)\/revoke/.exec(gzSection)![1]!;
    const preview = async (at: Date) => {
      const res = await admin.post(`/console/admin/keys/${kid}/revoke`, {
        revokedAt: at.toISOString().replace('.000Z', 'Z'),
        reason: '私钥疑似泄露',
      });
      expect(res.status).toBe(200);
      return res.text();
    };

    const fromT0 = await preview(T0);
    expect(failingOf(fromT0)).toEqual([signed.atT0.certificateNo, signed.minuteLater.certificateNo]);
    expect(fromT0).toContain('起由此密钥签署的 2 份出生医学证明将核验失败');
    const fromNextSecond = await preview(new Date(T0.getTime() + 1000));
    expect(failingOf(fromNextSecond)).toEqual([signed.minuteLater.certificateNo]);
    const fromNow = await preview(clock.now());
    expect(failingOf(fromNow)).toEqual([]);
    expect(fromNow).toContain('起此密钥没有签署过出生医学证明');
    // Previews change nothing.
    expect((await verifyOverHttp(svc, { qr: signed.minuteLater.qr })).body.valid).toBe(true);

    const confirmed = await admin.post(`/console/admin/keys/${kid}/revoke`, {
      revokedAt: new Date(T0.getTime() + 1000).toISOString().replace('.000Z', 'Z'),
      reason: '私钥疑似泄露',
      confirm: 'yes',
    });
    expect(confirmed.status).toBe(200);
    expect((await verifyOverHttp(svc, { qr: signed.atT0.qr })).body).toMatchObject({ valid: true });
    expect((await verifyOverHttp(svc, { qr: signed.minuteLater.qr })).body).toMatchObject({
      valid: false,
      reason: 'ISSUER_REVOKED',
    });
    // A second revocation of the same key is refused, not repeated.
    const again = await admin.post(`/console/admin/keys/${kid}/revoke`, { reason: '重复', confirm: 'yes' });
    expect(again.status).toBe(409);
  });
});

describe('rotating a key with the root key offline', () => {
  it('says on the keys page why it cannot, and changes nothing', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bc-offline-root-'));
    cpSync(inject('demoDataDir'), dataDir, { recursive: true });
    const db = new Database(path.join(dataDir, 'service.sqlite'));
    const rootKid = (db.prepare("SELECT kid FROM signing_keys WHERE purpose = 'root'").get() as { kid: string }).kid;
    // As in production: the root's sealed key is taken out of the database (take-root-offline).
    expect(db.prepare('DELETE FROM sealed_keys WHERE kid = ?').run(rootKid).changes).toBe(1);
    db.close();
    const offline = await startTestService({ dataDir, env: { RATE_LIMIT_PER_MINUTE: '100000' } });
    try {
      const admin = await consoleSession(offline, 'admin');
      const before = await (await admin.get('/console/admin/keys')).text();
      const rotated = await admin.post(`/console/admin/institutions/${demo.gz.creditCode}/signing-keys`, {});
      expect(rotated.status).toBe(503);
      const html = await rotated.text();
      expect(html).toContain('未能轮换密钥（KEY_UNREADABLE）：签发新密钥证书需要根 CA 私钥。');
      expect((html.match(/使用中/g) ?? []).length).toBe((before.match(/使用中/g) ?? []).length);
    } finally {
      await offline.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
