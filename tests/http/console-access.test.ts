/**
 * The console's access matrix: every page and form of the midwife, the issuer and the police
 * answers every other role's account with the 403 page, and its own role with the page itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationBodyFor, fixtureRecords, withAnotherMother } from '../fixtures/records.ts';
import { type ConsoleClient, consoleClient } from './console-session.ts';
import { startTestService, type TestService } from './harness.ts';
import { bornBefore, issueBirth, recordDelivery, staffOf, submitApplication } from './lifecycle-helpers.ts';

let svc: TestService;
const ids = { certificateNo: '', applicationId: '', deliveryId: '' };
const clients = new Map<string, ConsoleClient>();
const ROLES = ['midwife', 'issuer', 'police', 'admin', 'agency', 'auditor', 'statistician'] as const;

beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  const staff = await staffOf(svc, 'gz');
  ids.certificateNo = (
    await issueBirth(svc, staff, bornBefore(withAnotherMother(fixtureRecords[0]!, 81), new Date(), 5))
  ).certificateNo;
  const waiting = bornBefore(withAnotherMother(fixtureRecords[0]!, 82), new Date(), 2);
  ids.deliveryId = (await recordDelivery(svc, staff.midwife, waiting)).id;
  ids.applicationId = (await submitApplication(svc, staff.issuer, applicationBodyFor(waiting, ids.deliveryId))).id;
  for (const role of ROLES) clients.set(role, await consoleClient(svc, role));
});
afterAll(async () => {
  await svc?.stop();
});

/** Each role's pages: GET paths and the forms' POST paths, with real records in them. */
const pagesOf = () => ({
  midwife: [
    ['GET', '/console/midwife'],
    ['POST', '/console/midwife/deliveries'],
    ['POST', '/console/midwife/deliveries/validate'],
  ],
  issuer: [
    ['GET', '/console/issuer'],
    ['GET', '/console/issuer?status=issued'],
    ['GET', `/console/issuer/applications/${ids.applicationId}`],
    ['POST', `/console/issuer/applications/${ids.applicationId}/return`],
    ['POST', `/console/issuer/applications/${ids.applicationId}/issue`],
    ['GET', `/console/issuer/certificates/${ids.certificateNo}`],
    ['GET', `/console/issuer/certificates/${ids.certificateNo}/pdf`],
    ['POST', `/console/issuer/certificates/${ids.certificateNo}/void`],
    ['POST', `/console/issuer/certificates/${ids.certificateNo}/reissue`],
    ['POST', `/console/issuer/certificates/${ids.certificateNo}/claim-code`],
    ['GET', `/console/issuer/certificates/${ids.certificateNo}/replace`],
    ['POST', `/console/issuer/certificates/${ids.certificateNo}/replace`],
    ['POST', `/console/issuer/certificates/${ids.certificateNo}/replace/validate`],
    ['GET', '/console/issuer/search'],
    ['POST', '/console/issuer/search'],
    ['GET', '/console/issuer/walk-in'],
    ['GET', '/console/issuer/walk-in/outside'],
    ['GET', `/console/issuer/walk-in/deliveries/${ids.deliveryId}`],
    ['POST', '/console/issuer/walk-in'],
    ['POST', '/console/issuer/walk-in/validate'],
  ],
  police: [
    ['GET', '/console/police'],
    ['POST', '/console/police/verify'],
    ['POST', '/console/police/verify/file'],
    ['POST', '/console/police/lookup'],
    ['POST', `/console/police/certificates/${ids.certificateNo}/household`],
    ['POST', `/console/police/certificates/${ids.certificateNo}/household/validate`],
  ],
});

const open = (client: ConsoleClient, method: string, path: string) =>
  method === 'GET' ? client.get(path) : client.post(path, {});

describe('console access matrix', () => {
  for (const owner of ['midwife', 'issuer', 'police'] as const) {
    it(`every page and form of the ${owner} answers each other role with the 403 page`, async () => {
      const refused: string[] = [];
      const answered: string[] = [];
      for (const [method, path] of pagesOf()[owner]) {
        for (const role of ROLES.filter((r) => r !== owner)) {
          const res = await open(clients.get(role)!, method!, path!);
          const page = res.status === 403 && res.html.includes('<h1>无权访问此页面</h1>');
          (page ? refused : answered).push(`${role} ${method} ${path} → ${res.status}`);
        }
      }
      expect(answered).toEqual([]);
      expect(refused).toHaveLength(pagesOf()[owner].length * (ROLES.length - 1));
    });
  }

  it("each role's own pages open for it (the matrix is not refusing everyone)", async () => {
    for (const owner of ['midwife', 'issuer', 'police'] as const) {
      for (const [method, path] of pagesOf()[owner].filter(([m]) => m === 'GET')) {
        const res = await open(clients.get(owner)!, method!, path!);
        expect(`${owner} ${path} → ${res.status}`).toBe(`${owner} ${path} → 200`);
      }
    }
  });

  it('the 403 page names the role that was refused and the way home', async () => {
    const res = await clients.get('statistician')!.get('/console/issuer/walk-in');
    expect(res.status).toBe(403);
    expect(res.html).toContain('当前账户的角色（统计人员）不能使用此页面。');
  });
});
