import { describe, expect, it } from 'vitest';
import { recordHouseholdRegistration } from '../../../src/domain/lifecycle/household.ts';
import { actors, birth, childIdNumber, failureOf, world } from './world.ts';

const place = { divisionCode: '440106', address: '广东省广州市天河区体育东路 88 号' };

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

  it('keeps the registered name and household place; the same name is not flagged', async () => {
    const w = world();
    const record = birth();
    const { certificateNo } = await w.issueBirth(record);
    const body = { ...registration(), registeredName: record.newborn.name, householdPlace: place };
    expect(recordHouseholdRegistration(w.ports, actors.police, certificateNo, body)).toEqual({
      certificateNo,
      householdRegistered: true,
      registeredOn: '2026-11-25',
      policeUnit: '天河派出所',
      registeredName: record.newborn.name,
      nameDiffers: false,
      householdPlace: place,
    });
    const kept = [...w.state().households.values()][0]!;
    expect(kept).toMatchObject({ registeredName: record.newborn.name, nameDiffers: false, householdPlace: place });
    expect(w.state().events.at(-1)!.event.data).toEqual({
      certificateNo,
      registeredOn: '2026-11-25',
      registeredName: record.newborn.name,
      nameDiffers: false,
      householdDivisionCode: '440106',
      householdAddress: place.address,
    });
  });

  it('allows a registered name that differs from the certificate and flags it', async () => {
    const w = world();
    const { certificateNo } = await w.issueBirth();
    const result = recordHouseholdRegistration(w.ports, actors.police, certificateNo, {
      ...registration(),
      registeredName: '改名后',
    });
    expect(result).toMatchObject({ registeredName: '改名后', nameDiffers: true });
    expect(result).not.toHaveProperty('householdPlace');
    expect(w.state().events.at(-1)!.event.data).toEqual({
      certificateNo,
      registeredOn: '2026-11-25',
      registeredName: '改名后',
      nameDiffers: true,
    });
  });

  it('sends neither name nor place when the feedback has neither', async () => {
    const w = world();
    const { certificateNo } = await w.issueBirth();
    recordHouseholdRegistration(w.ports, actors.police, certificateNo, registration());
    expect(w.state().events.at(-1)!.event.data).toEqual({ certificateNo, registeredOn: '2026-11-25' });
  });
});
