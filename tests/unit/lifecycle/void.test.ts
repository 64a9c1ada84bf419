import { describe, expect, it } from 'vitest';
import { recordHouseholdRegistration } from '../../../src/domain/lifecycle/household.ts';
import { issueCertificate } from '../../../src/domain/lifecycle/issue.ts';
import { revokeCertificate } from '../../../src/domain/lifecycle/revoke.ts';
import { voidCertificate } from '../../../src/domain/lifecycle/void.ts';
import { actors, birth, childIdNumber, failureOf, world } from './world.ts';

describe('作废', () => {
  it('voids an issued certificate before hand-over: status void, claim code withdrawn, audited', async () => {
    const w = world();
    const { certificateNo } = await w.issueBirth();
    const result = voidCertificate(w.ports, actors.issuer, certificateNo, { reason: 'PRINT_ERROR', note: '套打错位' });

    expect(result).toEqual({ certificateNo, status: 'void', reason: 'PRINT_ERROR', voided: 'certificate' });
    expect(w.ports.register.find(certificateNo)).toMatchObject({
      status: 'void',
      statusReason: 'PRINT_ERROR',
      statusNote: '套打错位',
    });
    expect(w.ports.claimCodes.state(certificateNo)!.hash).toBeNull();
    expect(w.state().audit.at(-1)).toMatchObject({
      action: 'certificate.voided',
      details: { reason: 'PRINT_ERROR', voided: 'certificate' },
    });
  });

  it('refuses to void a certificate used for 落户, or one no longer current', async () => {
    const w = world();
    const { certificateNo } = await w.issueBirth();
    recordHouseholdRegistration(w.ports, actors.police, certificateNo, {
      childIdNumber: childIdNumber('2026-11-24', '1'),
      registeredOn: '2026-11-25',
      policeUnit: '天河派出所',
    });
    expect(await failureOf(() => voidCertificate(w.ports, actors.issuer, certificateNo, { reason: 'OTHER' }))).toEqual({
      code: 'INVALID_STATE',
      message: `Certificate ${certificateNo} was used for household registration`,
    });

    const other = await w.issueBirth(birth(5, 3));
    revokeCertificate(w.ports, actors.admin, other.certificateNo, '冒领');
    expect(
      await failureOf(() => voidCertificate(w.ports, actors.issuer, other.certificateNo, { reason: 'OTHER' })),
    ).toEqual({ code: 'INVALID_STATE', message: `Certificate ${other.certificateNo} is revoked` });
  });

  it('voids an unused number of the stock as a blank, never to be handed out', async () => {
    const w = world();
    expect(voidCertificate(w.ports, actors.issuer, 'Q440000001', { reason: 'LOST_BLANK' })).toMatchObject({
      voided: 'blank',
    });
    const { certificateNo } = await w.issueBirth();
    expect(certificateNo).toBe('Q440000002');
    expect(await failureOf(() => voidCertificate(w.ports, actors.issuer, 'Q440000001', { reason: 'OTHER' }))).toEqual({
      code: 'INVALID_STATE',
      message: 'Number Q440000001 is already voided or reserved',
    });
  });

  it('refuses blanks of another institution and numbers of no range', async () => {
    const w = world();
    expect(await failureOf(() => voidCertificate(w.ports, actors.issuer, 'P110000001', { reason: 'OTHER' }))).toEqual({
      code: 'FORBIDDEN',
      message: 'The number belongs to another institution',
    });
    expect(await failureOf(() => voidCertificate(w.ports, actors.issuer, 'Z000000001', { reason: 'OTHER' }))).toEqual({
      code: 'NOT_FOUND',
      message: 'No certificate or stock number Z000000001',
    });
  });

  it('refuses to void as a blank the number an interrupted first issue holds, which its retry then uses', async () => {
    const w = world();
    const application = w.applyFor();
    w.signer.fail(new Error('stopped'));
    await failureOf(() => issueCertificate(w.ports, actors.issuer, application));
    w.signer.fail(null);

    expect(
      await failureOf(() => voidCertificate(w.ports, actors.issuer, 'Q440000001', { reason: 'LOST_BLANK' })),
    ).toMatchObject({ code: 'INVALID_STATE' });
    const retried = await issueCertificate(w.ports, actors.issuer, application);
    expect(retried.result.certificateNo).toBe('Q440000001');
    expect(w.state().voided.size).toBe(0);
  });

  it('lets a voided birth be issued again from its delivery record', async () => {
    const w = world();
    const application = w.applyFor();
    const { result } = await issueCertificate(w.ports, actors.issuer, application);
    voidCertificate(w.ports, actors.issuer, result.certificateNo, { reason: 'ENTRY_ERROR' });
    const deliveryId = w.ports.applications.findApplication(application)!.deliveryId!;
    expect(w.ports.applications.deliveryIssued(deliveryId)).toBe(false);
  });
});
