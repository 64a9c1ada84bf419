import { describe, expect, it } from 'vitest';
import { readCertificate, searchByMother } from '../../../src/domain/lifecycle/reads.ts';
import { maskIdNumber } from '../../../src/domain/lifecycle/visibility.ts';
import { voidCertificate } from '../../../src/domain/lifecycle/void.ts';
import { actors, birth, failureOf, world } from './world.ts';

describe('who sees what of a record', () => {
  it('shows the issuing institution full ID numbers and the 登记 items; admins masked, without the void note', async () => {
    const w = world();
    const record = birth();
    const { certificateNo } = await w.issueBirth(record);
    voidCertificate(w.ports, actors.issuer, certificateNo, { reason: 'PRINT_ERROR', note: '套打错位' });

    const own = readCertificate(w.ports, actors.issuer, certificateNo, undefined);
    expect(own.certificate.mother.idNumber).toBe(record.mother.idNumber);
    expect(own).toMatchObject({ statusNote: '套打错位', registration: { midwifeName: '刘芳' } });

    const admin = readCertificate(w.ports, actors.admin, certificateNo, undefined);
    expect(admin.certificate.mother.idNumber).toBe(maskIdNumber(record.mother.idNumber));
    expect(admin).not.toHaveProperty('statusNote');
    expect(admin).not.toHaveProperty('registration');
  });

  it('makes police state a purpose, then shows them full ID numbers', async () => {
    const w = world();
    const record = birth();
    const { certificateNo } = await w.issueBirth(record);
    expect(await failureOf(() => readCertificate(w.ports, actors.police, certificateNo, undefined))).toMatchObject({
      code: 'PURPOSE_REQUIRED',
    });
    const read = readCertificate(w.ports, actors.police, certificateNo, '落户核验');
    expect(read.certificate.mother.idNumber).toBe(record.mother.idNumber);
    expect(w.state().audit.at(-1)).toMatchObject({ action: 'certificate.read', purpose: '落户核验' });
  });

  it('gives agencies only what a verification shows', async () => {
    const w = world();
    const record = birth();
    const { certificateNo, licenceId } = await w.issueBirth(record);
    expect(searchByMother(w.ports, actors.agency, record.mother.idNumber, '医保参保')).toEqual({
      results: [
        {
          certificateNo,
          licenceId,
          status: 'valid',
          supersededBy: null,
          newborn: { name: record.newborn.name, sex: record.newborn.sex, birthTime: record.newborn.birthTime },
          mother: { name: record.mother.name },
          issuer: { name: '广州市天河区妇幼保健院' },
          issueDate: '2026-11-25',
          householdRegistered: false,
        },
      ],
    });
  });

  it('keeps other institutions’ issuers out', async () => {
    const w = world();
    const { certificateNo } = await w.issueBirth();
    expect(await failureOf(() => readCertificate(w.ports, actors.issuerBj, certificateNo, undefined))).toEqual({
      code: 'FORBIDDEN',
      message: 'The certificate was issued by another institution',
    });
  });
});
