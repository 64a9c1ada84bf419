import { describe, expect, it } from 'vitest';
import { submitApplication } from '../../../src/domain/lifecycle/applications.ts';
import { recordDelivery } from '../../../src/domain/lifecycle/deliveries.ts';
import { issueCertificate } from '../../../src/domain/lifecycle/issue.ts';
import type { Issuer } from '../../../src/domain/lifecycle/ports.ts';
import type { ApplicationWithoutDelivery } from '../../../src/domain/rules/bodies.ts';
import {
  applicationBodyFor,
  chinaTime,
  deliveryBodyFor,
  type FixtureRecord,
  TEST_NOW,
  withBirthTime,
} from '../../fixtures/records.ts';
import { actors, BJ, birth, failureOf, world } from './world.ts';

type World = ReturnType<typeof world>;
type Declaration = { multipleBirth?: number; birthOrder?: number };

const HOUR = 3_600_000;
const bornAt = (record: FixtureRecord, hoursAgo: number) => {
  const shifted = withBirthTime(record, chinaTime(new Date(TEST_NOW.getTime() - hoursAgo * HOUR)));
  shifted.birthPlace = { ...record.birthPlace };
  return shifted;
};

/** A hospital birth at Guangzhou: delivery record (with its declaration) → application → issue. */
async function issueDelivered(w: World, record: FixtureRecord, declaration: Declaration = {}) {
  const body = { ...deliveryBodyFor(record), ...declaration };
  if (Date.parse(record.newborn.birthTime) < TEST_NOW.getTime() - 24 * HOUR) body.lateEntryReason = '补录';
  const delivery = recordDelivery(w.ports, actors.midwife, body);
  const application = submitApplication(w.ports, actors.issuer, applicationBodyFor(record, delivery.id));
  return issueCertificate(w.ports, actors.issuer, application.id);
}

/** The same mother's birth entered at Beijing as a birth outside an institution. */
async function issueOutsideAt(w: World, issuer: Issuer, record: FixtureRecord, declaration: Declaration = {}) {
  const { deliveryId: _none, ...common } = applicationBodyFor(record, 'unused');
  const body: ApplicationWithoutDelivery = {
    ...common,
    newborn: { ...record.newborn },
    birthPlace: { divisionCode: BJ.divisionCode },
    birthPlaceCategory: '3',
    paternityReportNo: 'BJ-SFJD-2026-00001',
    ...declaration,
  };
  const application = submitApplication(w.ports, issuer, body);
  return issueCertificate(w.ports, issuer, application.id);
}

const refusedElsewhere = {
  code: 'ALREADY_ISSUED',
  message:
    'The same mother holds a valid certificate of another institution for a birth within 280 days of this one; a second certificate needs a multiple-birth declaration (multipleBirth and birthOrder) that agrees with it',
};
const refusedHere = (certificateNo: string) => ({
  code: 'ALREADY_ISSUED',
  message: `The same mother holds certificate ${certificateNo} for a birth within 280 days of this one; a second certificate needs a multiple-birth declaration (multipleBirth and birthOrder) that agrees with it`,
});

describe('one pregnancy, one certificate unless a multiple birth is declared', () => {
  it('refuses the same mother at another institution with a birth one minute later, without naming the other certificate', async () => {
    const w = world();
    const record = birth(0, 3);
    await issueDelivered(w, record);
    const minuteLater = withBirthTime(record, chinaTime(new Date(Date.parse(record.newborn.birthTime) + 60_000)));

    expect(await failureOf(() => issueOutsideAt(w, actors.issuerBj, minuteLater))).toEqual(refusedElsewhere);
    expect(w.state().certificates.size).toBe(1);
  });

  it('refuses the same mother at another institution with the other sex at the same minute', async () => {
    const w = world();
    const record = birth(0, 3);
    await issueDelivered(w, record);
    const otherSex = structuredClone(record);
    otherSex.newborn.sex = record.newborn.sex === '1' ? '2' : '1';

    expect(await failureOf(() => issueOutsideAt(w, actors.issuerBj, otherSex))).toEqual(refusedElsewhere);
  });

  it('names the existing certificate to its own institution', async () => {
    const w = world();
    const record = birth(0, 3);
    await issueDelivered(w, record);

    expect(await failureOf(() => issueDelivered(w, bornAt(record, 1)))).toEqual(refusedHere('Q440000001'));
  });

  it('issues both twins born in the same minute when each delivery record declares the multiple birth', async () => {
    const w = world();
    const first = birth(0, 3);
    const second = structuredClone(first);
    second.newborn.name = '李思远';
    const a = await issueDelivered(w, first, { multipleBirth: 2, birthOrder: 1 });
    const b = await issueDelivered(w, second, { multipleBirth: 2, birthOrder: 2 });

    expect([a.result.certificateNo, b.result.certificateNo]).toEqual(['Q440000001', 'Q440000002']);
    expect(w.ports.register.find('Q440000002')!.registrationItems).toMatchObject({ multipleBirth: 2, birthOrder: 2 });
  });

  it('issues a twin declared through the path without a delivery record at another institution', async () => {
    const w = world();
    const first = birth(0, 5);
    await issueDelivered(w, first, { multipleBirth: 2, birthOrder: 1 });
    const second = bornAt(first, 4);

    const outcome = await issueOutsideAt(w, actors.issuerBj, second, { multipleBirth: 2, birthOrder: 2 });
    expect(outcome.result.certificateNo).toBe('P110000001');
  });

  it.each([
    ['the same birth order', { multipleBirth: 2, birthOrder: 1 }, 1],
    ['another plurality', { multipleBirth: 3, birthOrder: 2 }, 1],
    ['births more than 24 hours apart', { multipleBirth: 2, birthOrder: 2 }, 25],
    ['no declaration on the second', {}, 1],
  ])('refuses a declared twin with %s', async (_case, declaration, hoursLater) => {
    const w = world();
    const first = birth(0, 30);
    await issueDelivered(w, first, { multipleBirth: 2, birthOrder: 1 });
    const second = bornAt(first, 30 - hoursLater);

    expect(await failureOf(() => issueDelivered(w, second, declaration))).toEqual(refusedHere('Q440000001'));
  });

  it('refuses a twin whose sibling’s certificate declared a single birth', async () => {
    const w = world();
    const first = birth(0, 3);
    await issueDelivered(w, first);
    expect(await failureOf(() => issueDelivered(w, bornAt(first, 2), { multipleBirth: 2, birthOrder: 2 }))).toEqual(
      refusedHere('Q440000001'),
    );
  });

  it('issues a birth 280 days or more after the mother’s last one without any declaration', async () => {
    const w = world();
    const earlier = bornAt(birth(0), 280 * 24 + 2);
    await issueDelivered(w, earlier);

    const outcome = await issueDelivered(w, birth(0, 2));
    expect(outcome.result.certificateNo).toBe('Q440000002');
  });

  it('does not compare a mother under another document type with the same number', async () => {
    const w = world();
    const record = birth(0, 3);
    await issueDelivered(w, record);
    const passport = structuredClone(record);
    passport.mother.idType = '03';

    // Another document type is another person, as far as the register can tell.
    await expect(issueOutsideAt(w, actors.issuerBj, passport)).resolves.toMatchObject({ created: true });
  });
});
