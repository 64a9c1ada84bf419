import { describe, expect, it } from 'vitest';
import { submitApplication } from '../../../src/domain/lifecycle/applications.ts';
import { issueCertificate } from '../../../src/domain/lifecycle/issue.ts';
import { applicationBodyFor } from '../../fixtures/records.ts';
import { actors, birth, failureOf, world } from './world.ts';

describe('first issue: check → reserve number → sign → render → commit', () => {
  it('issues the first number of the range, signs and renders at one instant, and marks the application issued', async () => {
    const w = world();
    const application = w.applyFor();
    w.clock.advance(1234);
    const outcome = await issueCertificate(w.ports, actors.issuer, application);

    expect(outcome).toMatchObject({ created: true, result: { certificateNo: 'Q440000001', status: 'valid' } });
    const record = w.ports.register.find('Q440000001')!;
    const instant = w.clock.now();
    expect(record.issuedAt).toBe(instant.toISOString());
    expect(w.signer.calls).toEqual([{ certificateNo: 'Q440000001', issuedAt: instant }]);
    expect(w.renderer.calls.map((c) => c.issuedAt)).toEqual([instant]);
    expect(JSON.parse(record.signedJson).signedAt).toBe(record.issuedAt);
    expect(record).toMatchObject({ version: 1, kind: 'first', lineage: 'SERIAL00000000000003' });
    expect(record.licenceId).toContain('.SERIAL00000000000003.001.');
    expect(record.registrationItems).toMatchObject({ midwifeName: '刘芳', applicant: { relation: 'mother' } });
    expect(w.ports.applications.findApplication(application)).toMatchObject({
      status: 'issued',
      certificateNo: 'Q440000001',
    });
    expect(w.state().audit.map((e) => e.action)).toEqual([
      'delivery.recorded',
      'application.submitted',
      'certificate.issued',
    ]);
  });

  it('refuses an application that disagrees with the delivery record, before taking a number', async () => {
    const w = world();
    const record = birth();
    const delivery = w.applyFor(record);
    const deliveryId = w.ports.applications.findApplication(delivery)!.deliveryId!;
    const body = applicationBodyFor(record, deliveryId);
    body.mother = { ...body.mother, idNumber: '11010519491231002X' };
    const wrong = submitApplication(w.ports, actors.issuer, body);

    expect(await failureOf(() => issueCertificate(w.ports, actors.issuer, wrong.id))).toEqual({
      code: 'CROSS_CHECK_FAILED',
      message: 'The application disagrees with the delivery record: mother.idNumber',
    });
    expect(w.state().ranges[0]!.next).toBe(440_000_001);
    expect(w.signer.calls).toEqual([]);
  });

  it('keeps the number for the application when signing fails, and the retry signs with the same number and serial', async () => {
    const w = world();
    const application = w.applyFor();
    w.signer.fail(new Error('signer stopped'));
    expect(await failureOf(() => issueCertificate(w.ports, actors.issuer, application))).toMatchObject({
      message: 'signer stopped',
    });
    const held = w.ports.stock.heldByApplication(application);
    expect(held).toMatchObject({ certificateNo: 'Q440000001' });
    expect(w.ports.stock.isUsed('Q440000001')).toBe(true);
    // An interrupted first issue is not abandoned at start: only amendments are.
    expect(w.ports.stock.abandoned()).toEqual([]);

    w.signer.fail(null);
    const retried = await issueCertificate(w.ports, actors.issuer, application);
    expect(retried).toMatchObject({ created: true, result: { certificateNo: 'Q440000001' } });
    expect(w.ports.register.find('Q440000001')!.lineage).toBe(held!.holder.lineage);
    expect(w.state().ranges[0]!.next).toBe(440_000_002);
  });

  it('answers an issued application with its certificate and no new claim code', async () => {
    const w = world();
    const application = w.applyFor();
    const first = await issueCertificate(w.ports, actors.issuer, application);
    const again = await issueCertificate(w.ports, actors.issuer, application);
    expect(again).toEqual({
      created: false,
      result: {
        certificateNo: 'Q440000001',
        licenceId: first.result.licenceId,
        status: 'valid',
        links: first.result.links,
      },
    });
    expect(w.signer.calls).toHaveLength(1);
  });

  it('answers two parallel issues of one application with one certificate', async () => {
    const w = world();
    const application = w.applyFor();
    const [a, b] = await Promise.all([
      issueCertificate(w.ports, actors.issuer, application),
      issueCertificate(w.ports, actors.issuer, application),
    ]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.result.certificateNo).toBe(b.result.certificateNo);
    expect(w.state().certificates.size).toBe(1);
  });

  it('refuses ALREADY_ISSUED for a second application of a delivery record that has its certificate', async () => {
    const w = world();
    const record = birth();
    const application = w.applyFor(record);
    await issueCertificate(w.ports, actors.issuer, application);
    const deliveryId = w.ports.applications.findApplication(application)!.deliveryId!;
    const second = submitApplication(w.ports, actors.issuer, applicationBodyFor(record, deliveryId));

    expect(await failureOf(() => issueCertificate(w.ports, actors.issuer, second.id))).toEqual({
      code: 'ALREADY_ISSUED',
      message: 'A certificate was already issued for this delivery record',
    });
    expect(w.state().ranges[0]!.next).toBe(440_000_002);
  });

  it('refuses a second certificate for the same birth entered again through a new delivery record', async () => {
    const w = world();
    const record = birth();
    await w.issueBirth(record);
    expect(await failureOf(() => w.issueBirth(record))).toEqual({
      code: 'ALREADY_ISSUED',
      message:
        'The same mother holds certificate Q440000001 for a birth within 280 days of this one; a second certificate needs a multiple-birth declaration (multipleBirth and birthOrder) that agrees with it',
    });
  });

  it('refuses NUMBERS_EXHAUSTED when the range is used up, and takes nothing', async () => {
    const w = world();
    w.state().ranges[0]!.last = 440_000_001;
    await w.issueBirth(birth(0));
    expect(await failureOf(() => w.issueBirth(birth(5, 3)))).toMatchObject({ code: 'NUMBERS_EXHAUSTED' });
    expect(w.state().certificates.size).toBe(1);
  });

  it('lets only the application’s own institution issue it', async () => {
    const w = world();
    const application = w.applyFor();
    expect(await failureOf(() => issueCertificate(w.ports, actors.issuerBj, application))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await failureOf(() => issueCertificate(w.ports, actors.issuer, 'A404'))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
