import { describe, expect, it } from 'vitest';
import { reissueCertificate, replaceCertificate } from '../../../src/domain/lifecycle/amend.ts';
import { recordHouseholdRegistration } from '../../../src/domain/lifecycle/household.ts';
import { issueCertificate } from '../../../src/domain/lifecycle/issue.ts';
import { voidInterruptedReservations } from '../../../src/domain/lifecycle/numbers.ts';
import { actors, birth, childIdNumber, failureOf, world } from './world.ts';

const rename = { reason: '姓名录入错误', changes: { newborn: { name: '李沐阳' } } };

describe('换发 and 补发 reuse the issuing steps', () => {
  it('replaces: a new number in the same lineage, the old one superseded and no longer claimable', async () => {
    const w = world();
    const first = await w.issueBirth();
    w.clock.advance(60_000);
    const replaced = await replaceCertificate(w.ports, actors.issuer, first.certificateNo, rename);

    expect(replaced).toMatchObject({ certificateNo: 'Q440000002', status: 'valid' });
    const old = w.ports.register.find(first.certificateNo)!;
    const next = w.ports.register.find('Q440000002')!;
    expect(old).toMatchObject({ status: 'superseded', supersededBy: 'Q440000002', statusReason: '姓名录入错误' });
    expect(next).toMatchObject({
      lineage: old.lineage,
      version: 2,
      kind: 'replacement',
      supersedes: first.certificateNo,
      changeReason: '姓名录入错误',
      issuedAt: w.clock.now().toISOString(),
    });
    expect(next.certificate.newborn.name).toBe('李沐阳');
    expect(next.licence.supersedes).toEqual({ licenceId: old.licenceId, certificateNo: old.certificateNo });
    expect(next.licenceId.endsWith(`.${old.lineage}.002.${next.licenceId.at(-1)}`)).toBe(true);
    expect(w.ports.claimCodes.state(first.certificateNo)!.hash).toBeNull();
    expect(w.ports.claimCodes.state('Q440000002')!.hash).not.toBeNull();
    expect(w.state().reservations.size).toBe(0);
    expect(w.state().audit.at(-1)).toMatchObject({
      action: 'certificate.replaced',
      target: 'Q440000002',
      details: { kind: 'replacement', supersedes: first.certificateNo, reason: '姓名录入错误' },
    });
  });

  it('refuses to amend a certificate that is no longer current', async () => {
    const w = world();
    const first = await w.issueBirth();
    await replaceCertificate(w.ports, actors.issuer, first.certificateNo, rename);
    expect(await failureOf(() => replaceCertificate(w.ports, actors.issuer, first.certificateNo, rename))).toEqual({
      code: 'INVALID_STATE',
      message: `Certificate ${first.certificateNo} is superseded`,
    });
    expect(w.state().ranges[0]!.next).toBe(440_000_003);
  });

  it('refuses a correction that departs from the delivery record, or names another father without DNA evidence', async () => {
    const w = world();
    const { certificateNo } = await w.issueBirth();
    const otherMother = { reason: '录入错误', changes: { mother: { idNumber: '11010519491231002X' } } };
    expect(await failureOf(() => replaceCertificate(w.ports, actors.issuer, certificateNo, otherMother))).toEqual({
      code: 'CROSS_CHECK_FAILED',
      message: 'The correction departs from the delivery record: mother.idNumber',
    });
    const otherFather = { reason: '父亲变更', changes: { father: { idNumber: '11010519491231002X' } } };
    expect(await failureOf(() => replaceCertificate(w.ports, actors.issuer, certificateNo, otherFather))).toMatchObject(
      { code: 'INVALID_REQUEST' },
    );
  });

  it('reissues after a loss and records that the child went through 落户', async () => {
    const w = world();
    const record = birth();
    const { certificateNo } = await w.issueBirth(record);
    recordHouseholdRegistration(w.ports, actors.police, certificateNo, {
      childIdNumber: childIdNumber('2026-11-24', '1'),
      registeredOn: '2026-11-25',
      policeUnit: '天河派出所',
    });
    const reissued = await reissueCertificate(w.ports, actors.issuer, certificateNo, { reason: '原证遗失' });

    expect(w.ports.register.find(reissued.certificateNo)).toMatchObject({
      kind: 'reissue',
      version: 2,
      householdRegisteredAtReissue: true,
      changeReason: '原证遗失',
    });
    expect(w.ports.register.find(certificateNo)).toMatchObject({ status: 'superseded' });
    // 落户 belongs to the birth: the new version shows it too.
    expect(w.ports.register.lookup(reissued.certificateNo)).toMatchObject({ householdRegistered: true });
  });

  it('voids the number of an amendment whose signing failed; the old certificate stays current', async () => {
    const w = world();
    const { certificateNo } = await w.issueBirth();
    w.signer.fail(new Error('key store unreachable'));
    expect(
      await failureOf(() => reissueCertificate(w.ports, actors.issuer, certificateNo, { reason: '原证遗失' })),
    ).toMatchObject({ message: 'key store unreachable' });

    expect(w.state().voided.get('Q440000002')).toEqual({
      institution: w.ports.register.find(certificateNo)!.institution,
      reason: 'OTHER',
      note: 'reissue abandoned',
      by: 'issuer-gz',
    });
    expect(w.state().reservations.size).toBe(0);
    expect(w.ports.register.find(certificateNo)!.status).toBe('valid');
  });

  it('lets one of two racing amendments win; the loser gets INVALID_STATE and its number is voided', async () => {
    const w = world();
    const { certificateNo } = await w.issueBirth();
    let open!: () => void;
    w.signer.hold(new Promise<void>((resolve) => (open = resolve)));
    const racing = [
      replaceCertificate(w.ports, actors.issuer, certificateNo, rename),
      reissueCertificate(w.ports, actors.issuer, certificateNo, { reason: '原证遗失' }),
    ].map((p) =>
      p.then(
        (r) => ({ ok: r.certificateNo }),
        (e: { code: string }) => ({ failed: e.code }),
      ),
    );
    // Both passed their checks and reserved a number before either signed.
    await Promise.resolve();
    expect([...w.state().reservations.keys()]).toEqual(['Q440000002', 'Q440000003']);
    open();
    const [won, lost] = await Promise.all(racing);

    expect(won).toEqual({ ok: 'Q440000002' });
    expect(lost).toEqual({ failed: 'INVALID_STATE' });
    expect(w.ports.register.find(certificateNo)!.supersededBy).toBe('Q440000002');
    expect(w.state().voided.get('Q440000003')).toMatchObject({ reason: 'OTHER', note: 'reissue abandoned' });
    expect(w.ports.register.find('Q440000003')).toBeNull();
  });

  it('fails an amendment whose number another node voided as abandoned while it signed; the number is voided once', async () => {
    const w = world();
    const { certificateNo } = await w.issueBirth();
    let open!: () => void;
    w.signer.hold(new Promise<void>((resolve) => (open = resolve)));
    const reissue = failureOf(() => reissueCertificate(w.ports, actors.issuer, certificateNo, { reason: '原证遗失' }));
    await Promise.resolve();
    // Another node took this one for gone (in memory, every reservation's process is "gone").
    expect(voidInterruptedReservations(w.ports)).toEqual(['Q440000002']);
    open();

    expect(await reissue).toMatchObject({ code: 'INVALID_STATE', message: expect.stringContaining('Q440000002') });
    expect(w.ports.register.find('Q440000002')).toBeNull();
    expect(w.ports.register.find(certificateNo)!.status).toBe('valid');
    expect(w.state().voided.get('Q440000002')).toMatchObject({ note: 'reissue interrupted', by: 'system' });
    const voids = w.state().audit.filter((e) => e.action === 'certificate.voided' && e.target === 'Q440000002');
    expect(voids).toHaveLength(1);
  });

  it('voids at start the numbers amendments left reserved when the process stopped', async () => {
    const w = world();
    const { certificateNo } = await w.issueBirth();
    const pending = w.applyFor(birth(5, 5));
    w.signer.hold(new Promise<void>(() => {}));
    void reissueCertificate(w.ports, actors.issuer, certificateNo, { reason: '原证遗失' });
    void issueCertificate(w.ports, actors.issuer, pending);
    await Promise.resolve();
    // "Restart": the reissue's number is voided, the application keeps its number for the retry.
    expect(voidInterruptedReservations(w.ports)).toEqual(['Q440000002']);
    expect(w.state().voided.get('Q440000002')).toMatchObject({ note: 'reissue interrupted', by: 'system' });
    expect(w.ports.stock.heldByApplication(pending)).toMatchObject({ certificateNo: 'Q440000003' });
    expect(voidInterruptedReservations(w.ports)).toEqual([]);
  });
});
