/**
 * The police's 落户 form checks the child's ID number as it is typed, against the newborn's birth
 * date and sex on the page the officer opened. That opening was one audited read with its
 * purpose; the checks while typing read nothing more, so they add nothing to the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords, withAnotherMother } from '../fixtures/records.ts';
import { consoleClient, formBoxes } from './console-session.ts';
import { startTestService, type TestService } from './harness.ts';
import { auditTrail, bornBefore, childIdNumber, chinaDateOf, issueBirth, staffOf } from './lifecycle-helpers.ts';

let svc: TestService;
let certificateNo: string;
let birthDate: string;
let sex: '1' | '2';

beforeAll(async () => {
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  const record = bornBefore(withAnotherMother(fixtureRecords[0]!, 91), new Date(), 5);
  certificateNo = (await issueBirth(svc, await staffOf(svc, 'gz'), record)).certificateNo;
  birthDate = chinaDateOf(new Date(record.newborn.birthTime));
  sex = record.newborn.sex as '1' | '2';
});
afterAll(async () => {
  await svc?.stop();
});

const readsOf = (no: string) => auditTrail(svc).filter((e) => e.target === no && e.action === 'certificate.read');
const childIdError = (html: string) => /id="f-childIdNumber-error"[^>]*>([^<]*)</.exec(html)?.[1] ?? '';

describe('the 落户 form checks as typed without reading the record again', () => {
  it('tells a number of the wrong sex from the right one, and audits only the look-up', async () => {
    const police = await consoleClient(svc, 'police');
    const page = await police.post('/console/police/lookup', { certificateNo, purpose: '办理出生登记（落户）' });
    expect(page.status).toBe(200);
    const form = formBoxes(page.html, `household-${certificateNo}`);
    expect(readsOf(certificateNo)).toHaveLength(1);

    const otherSex = sex === '1' ? '2' : '1';
    const check = (childId: string) =>
      police.post(`/console/police/certificates/${certificateNo}/household/validate`, {
        ...form,
        childIdNumber: childId,
      });
    for (let i = 0; i < 5; i++) {
      const wrong = await check(childIdNumber(birthDate, otherSex));
      expect(wrong.status).toBe(200);
      expect(childIdError(wrong.html)).not.toBe('');
    }
    const right = await check(childIdNumber(birthDate, sex));
    expect(childIdError(right.html)).toBe('');
    expect(readsOf(certificateNo)).toHaveLength(1);
  });

  it('answers a check without the page’s birth time with the form’s own rules only, never a fault', async () => {
    const police = await consoleClient(svc, 'police');
    const res = await police.post(`/console/police/certificates/${certificateNo}/household/validate`, {
      childIdNumber: childIdNumber(birthDate, sex === '1' ? '2' : '1'),
      _birthTime: 'not a time',
    });
    expect(res.status).toBe(200);
    expect(childIdError(res.html)).toBe('');
  });
});
