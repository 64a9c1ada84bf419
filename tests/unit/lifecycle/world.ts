/**
 * A small world for the lifecycle unit tests: two institutions with number ranges, one account
 * per role, and the steps midwife → issuer → certificate over the in-memory ports.
 */

import type { Role, StaffPrincipal } from '../../../src/domain/accounts/account.ts';
import { citizenIdCheckCharacter } from '../../../src/domain/check/citizen-id.ts';
import type { InstitutionRecord } from '../../../src/domain/institution.ts';
import { submitApplication } from '../../../src/domain/lifecycle/applications.ts';
import { recordDelivery } from '../../../src/domain/lifecycle/deliveries.ts';
import { issueCertificate } from '../../../src/domain/lifecycle/issue.ts';
import type { IssueResult } from '../../../src/domain/lifecycle/issuing-steps.ts';
import {
  applicationBodyFor,
  chinaTime,
  deliveryBodyFor,
  type FixtureRecord,
  fixtureRecords,
  TEST_NOW,
  withBirthTime,
} from '../../fixtures/records.ts';
import { inMemoryLifecycle } from './in-memory-ports.ts';

export const GZ: InstitutionRecord = {
  name: '广州市天河区妇幼保健院',
  creditCode: '12440106455858140M',
  divisionCode: '440106',
  status: 'active',
};
export const BJ: InstitutionRecord = {
  name: '北京市朝阳区妇幼保健院',
  creditCode: '121101054006885305',
  divisionCode: '110105',
  status: 'active',
};

const staff = <R extends Role>(role: R, institution: StaffPrincipal<R>['institution'], username: string) =>
  ({ role, accountId: 1, username, institution, certificateNo: null }) as StaffPrincipal<R>;

export const actors = {
  midwife: staff('midwife', GZ.creditCode, 'midwife-gz'),
  issuer: staff('issuer', GZ.creditCode, 'issuer-gz'),
  issuerBj: staff('issuer', BJ.creditCode, 'issuer-bj'),
  police: staff('police', null, 'police'),
  agency: staff('agency', null, 'agency'),
  admin: staff('admin', null, 'admin'),
};

/** Fixture record `index` (0: a Guangzhou hospital birth with both parents) born two hours ago in Guangzhou. */
export function birth(index = 0, hoursAgo = 2): FixtureRecord {
  const record = withBirthTime(fixtureRecords[index]!, chinaTime(new Date(TEST_NOW.getTime() - hoursAgo * 3_600_000)));
  record.birthPlace = { divisionCode: GZ.divisionCode };
  return record;
}

export function world() {
  const lc = inMemoryLifecycle({ now: TEST_NOW, institutions: [GZ, BJ] });
  lc.addRange(GZ.creditCode, 'Q', 440_000_001, 440_000_010);
  lc.addRange(BJ.creditCode, 'P', 110_000_001, 110_000_010);
  const { ports } = lc;

  /** The midwife records the delivery and the issuer enters the application; returns its id. */
  function applyFor(record = birth()): string {
    const delivery = recordDelivery(ports, actors.midwife, deliveryBodyFor(record));
    return submitApplication(ports, actors.issuer, applicationBodyFor(record, delivery.id)).id;
  }

  async function issueBirth(record = birth()): Promise<IssueResult> {
    const outcome = await issueCertificate(ports, actors.issuer, applyFor(record));
    if (!outcome.created) throw new Error('expected a new certificate');
    return outcome.result;
  }

  return { ...lc, applyFor, issueBirth };
}

/** A valid citizen ID number of a Guangzhou child born on `birthDate` (YYYY-MM-DD). */
export function childIdNumber(birthDate: string, sex: '1' | '2', serial = 1): string {
  const first17 = `440106${birthDate.replaceAll('-', '')}${String(serial * 2 - (sex === '1' ? 1 : 0)).padStart(3, '0')}`;
  return first17 + citizenIdCheckCharacter(first17);
}

/** The DomainError code a call fails with (sync or async), or null when it succeeds. */
export async function failureOf(call: () => unknown): Promise<{ code: string; message: string } | null> {
  try {
    await call();
    return null;
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return { code, message };
  }
}
