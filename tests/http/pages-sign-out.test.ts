import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureRecord, fixtureRecords, withAnotherMother } from '../fixtures/records.ts';
import { statements } from '../storage-kit.ts';
import { startTestService, type TestService } from './harness.ts';
import { bornBefore, frozenClock, issueBirth, recordDelivery, type Staff, staffOf } from './lifecycle-helpers.ts';

const { clock, now: NOW } = frozenClock();

let svc: TestService;
let gz: Staff;
beforeAll(async () => {
  svc = await startTestService({ clock, env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  gz = await staffOf(svc, 'gz');
});
afterAll(async () => {
  await svc?.stop();
});

const form = (fields: Record<string, string>, cookie?: string) => ({
  method: 'POST',
  redirect: 'manual' as const,
  headers: {
    'content-type': 'application/x-www-form-urlencoded',
    ...(cookie === undefined ? {} : { cookie }),
  },
  body: new URLSearchParams(fields).toString(),
});

/** The `name=value` of the session cookie a response sets. */
const sessionCookie = (res: Response, name: string) => {
  const set = res.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`));
  return set?.split(';')[0];
};

const applicantOf = (record: FixtureRecord) => ({
  name: record.mother.name,
  relation: 'mother',
  idType: record.mother.idType,
  idNumber: record.mother.idNumber,
});

describe("the parents' sign-out on the pages", () => {
  it('/my/sign-out ends the claim token on the server, not only the cookie', async () => {
    const birth = withAnotherMother(bornBefore(fixtureRecords[0]!, NOW, 3), 7);
    const issued = await issueBirth(svc, gz, birth);
    const claimed = await fetch(
      `${svc.url}/my`,
      form({
        certificateNo: issued.certificateNo,
        motherIdNumber: birth.mother.idNumber,
        claimCode: issued.claimCode,
      }),
    );
    expect(claimed.status).toBe(303);
    const cookie = sessionCookie(claimed, 'my_session')!;
    const token = cookie.slice('my_session='.length);
    const read = () => svc.request('GET', `/api/v1/certificates/${issued.certificateNo}/signed.json`, { token });
    expect((await read()).status).toBe(200);

    const signedOut = await fetch(`${svc.url}/my/sign-out`, form({}, cookie));
    expect([signedOut.status, signedOut.headers.get('location')]).toEqual([303, '/my']);
    expect(signedOut.headers.getSetCookie()).toEqual(['my_session=; Path=/my; Max-Age=0; HttpOnly; SameSite=Strict']);
    expect((await read()).status).toBe(401);
    // A copy of the cookie kept elsewhere opens nothing either.
    const again = await fetch(`${svc.url}/my`, { headers: { cookie } });
    expect(await again.text()).toContain('<p class="alert" role="alert">');
  });

  it('/apply/sign-out ends the application token on the server, not only the cookie', async () => {
    const birth = withAnotherMother(bornBefore(fixtureRecords[2]!, NOW, 4), 7);
    const delivery = await recordDelivery(svc, gz.midwife, birth);
    const applied = await svc.request('POST', '/api/v1/citizen/applications', {
      json: {
        applicationCode: delivery.applicationCode,
        motherIdNumber: birth.mother.idNumber,
        newborn: { name: birth.newborn.name },
        father: birth.father,
        applicant: applicantOf(birth),
      },
    });
    expect(applied.status).toBe(201);
    const { id, accessToken } = applied.body as { id: string; accessToken: string };
    const read = () => svc.request('GET', `/api/v1/citizen/applications/${id}`, { token: accessToken });
    expect((await read()).status).toBe(200);

    const signedOut = await fetch(`${svc.url}/apply/sign-out`, form({}, `apply_session=${id}.${accessToken}`));
    expect([signedOut.status, signedOut.headers.get('location')]).toEqual([303, '/apply']);
    expect((await read()).status).toBe(401);
    const audit = statements(svc.running.service.sql)
      .prepare("SELECT action, target FROM audit_events WHERE action = 'citizen.application-signed-out'")
      .all();
    expect(audit).toEqual([{ action: 'citizen.application-signed-out', target: id }]);
  });
});
