import { describe, expect, it } from 'vitest';
import { recordHouseholdRegistration } from '../../../src/domain/lifecycle/household.ts';
import { actors, birth, childIdNumber, failureOf, world } from './world.ts';

const registration = (childId = childIdNumber('2026-11-24', '1')) => ({
  childIdNumber: childId,
  registeredOn: '2026-11-25',
  policeUnit: '天河派出所',
});

describe('落户', () => {
  it('records the police feedback once per birth', async () => {
    const w = world();
    const { certificateNo } = await w.issueBirth();
    expect(recordHouseholdRegistration(w.ports, actors.police, certificateNo, registration())).toEqual({
      certificateNo,
      householdRegistered: true,
      registeredOn: '2026-11-25',
      policeUnit: '天河派出所',
    });
    expect(
      await failureOf(() => recordHouseholdRegistration(w.ports, actors.police, certificateNo, registration())),
    ).toEqual({ code: 'ALREADY_REGISTERED', message: 'This birth was already registered on 2026-11-25' });
  });

  it('refuses a child ID number already registered for another birth', async () => {
    const w = world();
    const first = await w.issueBirth(birth(0, 2));
    const second = await w.issueBirth(birth(6, 3));
    recordHouseholdRegistration(w.ports, actors.police, first.certificateNo, registration());
    expect(
      await failureOf(() => recordHouseholdRegistration(w.ports, actors.police, second.certificateNo, registration())),
    ).toEqual({ code: 'ALREADY_REGISTERED', message: 'The child ID number is already registered for another birth' });
  });

  it('refuses a child ID number whose birth date or sex does not fit the certificate', async () => {
    const w = world();
    const { certificateNo } = await w.issueBirth();
    const wrong = registration(childIdNumber('2026-11-23', '2'));
    expect(
      await failureOf(() => recordHouseholdRegistration(w.ports, actors.police, certificateNo, wrong)),
    ).toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect(w.state().households.size).toBe(0);
  });
});
