import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationBodyFor, fixtureRecords } from '../fixtures/records.ts';
import { startTestService, type TestService } from './harness.ts';
import { bornBefore, issueBirth, recordDelivery, staffOf, submitApplication } from './lifecycle-helpers.ts';

/** A clock the test moves forward, so "signed before / after the revocation" is exact. */
let nowMs = Date.now();
const clock = { now: () => new Date(nowMs) };
let svc: TestService;

async function issue(record = fixtureRecords[0]!) {
  const issued = await issueBirth(svc, await staffOf(svc, 'gz'), bornBefore(record, new Date(nowMs), 1));
  const signed = await svc.request('GET', issued.links.signedJson, { token: await svc.token('issuer', 'gz') });
  const header = JSON.parse(Buffer.from(signed.body.protected, 'base64url').toString());
  return { certificateNo: issued.certificateNo, signedJson: signed.body, kid: header.kid as string };
}

const verify = async (signedJson: unknown) =>
  (await svc.request('POST', '/api/v1/verifications', { json: { signedJson } })).body;

beforeAll(async () => {
  svc = await startTestService({ clock });
});
afterAll(async () => {
  await svc?.stop();
});

describe('institution signing keys over their life', () => {
  it('rotates: new certificates use the new key, old ones keep verifying, the JWKS lists both', async () => {
    const before = await issue();
    nowMs += 60_000;
    const gz = svc.accounts.find((a) => a.role === 'issuer' && a.username.endsWith('-gz'))!.institution!;
    const rotated = await svc.request('POST', `/api/v1/institutions/${gz}/signing-keys`, {
      token: await svc.token('admin'),
    });
    expect(rotated.status).toBe(201);
    expect(rotated.body.kid).not.toBe(before.kid);
    nowMs += 60_000;
    const after = await issue(fixtureRecords[1]!);
    expect(after.kid).toBe(rotated.body.kid);
    expect(await verify(before.signedJson)).toMatchObject({ valid: true, status: 'valid' });
    expect(await verify(after.signedJson)).toMatchObject({ valid: true, status: 'valid' });
    const jwks = (await svc.request('GET', '/.well-known/jwks.json')).body;
    const statuses = Object.fromEntries(jwks.keys.map((k: { kid: string; status: string }) => [k.kid, k.status]));
    expect(statuses[before.kid]).toBe('retired');
    expect(statuses[after.kid]).toBe('active');
  });

  it('revokes from a given time: earlier e-licences verify, later ones fail with ISSUER_REVOKED', async () => {
    nowMs += 60_000;
    const early = await issue(fixtureRecords[2]!);
    nowMs += 60_000;
    const compromisedAt = new Date(nowMs).toISOString();
    nowMs += 60_000;
    const late = await issue(fixtureRecords[3]!);
    expect(late.kid).toBe(early.kid);
    nowMs += 60_000;
    const revoked = await svc.request('POST', `/api/v1/signing-keys/${early.kid}/revoke`, {
      token: await svc.token('admin'),
      json: { reason: '私钥疑似泄露', revokedAt: compromisedAt },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ kid: early.kid, status: 'revoked', revokedAt: compromisedAt });
    expect(await verify(early.signedJson)).toMatchObject({ valid: true, status: 'valid' });
    expect(await verify(late.signedJson)).toMatchObject({ valid: false, reason: 'ISSUER_REVOKED' });
    const again = await svc.request('POST', `/api/v1/signing-keys/${early.kid}/revoke`, {
      token: await svc.token('admin'),
      json: { reason: 'x' },
    });
    expect(again.status).toBe(409);
  });

  it('stops issuing with a revoked key until the admin provisions a new one', async () => {
    nowMs += 60_000;
    const rec = bornBefore(fixtureRecords[4]!, new Date(nowMs), 1);
    const issuer = await svc.token('issuer', 'gz');
    const delivery = await recordDelivery(svc, await svc.token('midwife', 'gz'), rec);
    const application = await submitApplication(svc, issuer, applicationBodyFor(rec, delivery.id));
    const refused = await svc.request('POST', `/api/v1/applications/${application.id}/issue`, { token: issuer });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('NO_SIGNING_KEY');
    const gz = svc.accounts.find((a) => a.role === 'issuer' && a.username.endsWith('-gz'))!.institution!;
    expect(
      (await svc.request('POST', `/api/v1/institutions/${gz}/signing-keys`, { token: await svc.token('admin') }))
        .status,
    ).toBe(201);
    const retried = await svc.request('POST', `/api/v1/applications/${application.id}/issue`, { token: issuer });
    expect(retried.status).toBe(201);
    const audit = await svc.request('GET', '/api/v1/audit-events/verify', { token: await svc.token('auditor') });
    expect(audit.body.intact).toBe(true);
  });
});

describe('revocation requests that cannot be honoured', () => {
  it('refuses an impossible revokedAt with a 400 naming it', async () => {
    const kid = svc.running.service.signingKeys.list('licence')[0]!.kid;
    for (const revokedAt of ['2026-11-25T25:61Z', '2026-02-31T10:00+08:00']) {
      const res = await svc.request('POST', `/api/v1/signing-keys/${kid}/revoke`, {
        token: await svc.token('admin'),
        json: { reason: '测试', revokedAt },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([
        { path: 'revokedAt', message: 'revokedAt must be a real date and time' },
      ]);
    }
  });

  it('refuses to revoke the root or the trust-list key through the API', async () => {
    for (const purpose of ['root', 'trust-list'] as const) {
      const kid = svc.running.service.signingKeys.active(purpose)!.kid;
      const res = await svc.request('POST', `/api/v1/signing-keys/${kid}/revoke`, {
        token: await svc.token('admin'),
        json: { reason: '测试' },
      });
      expect(res.status).toBe(403);
    }
    expect((await svc.request('GET', '/api/v1/trust-list')).status).toBe(200);
  });
});
