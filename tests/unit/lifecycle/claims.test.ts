import { describe, expect, it } from 'vitest';
import { replaceCertificate } from '../../../src/domain/lifecycle/amend.ts';
import { claimCertificate, maxClaimFailures, newClaimCode } from '../../../src/domain/lifecycle/claims.ts';
import { actors, birth, failureOf, world } from './world.ts';

const tokens = {
  issue: (principal: { certificateNo: string | null }, ttlSeconds: number) => ({
    token: `token-for-${principal.certificateNo}`,
    expiresInSeconds: ttlSeconds,
  }),
};

describe('claim codes', () => {
  it('opens the certificate with its number, the mother’s ID number and the claim code', async () => {
    const w = world();
    const record = birth();
    const { certificateNo, claimCode } = await w.issueBirth(record);
    const body = { certificateNo, motherIdNumber: record.mother.idNumber, claimCode };
    expect(claimCertificate(w.ports, tokens, body)).toEqual({
      accessToken: `token-for-${certificateNo}`,
      tokenType: 'Bearer',
      expiresIn: 900,
    });
  });

  it('counts only wrong codes with the right mother, and locks after the maximum', async () => {
    const w = world();
    const record = birth();
    const { certificateNo, claimCode } = await w.issueBirth(record);
    const stranger = { certificateNo, motherIdNumber: '11010519491231002X', claimCode: 'WRONG' };
    await failureOf(() => claimCertificate(w.ports, tokens, stranger));
    expect(w.ports.claimCodes.state(certificateNo)!.failures).toBe(0);

    const guess = { certificateNo, motherIdNumber: record.mother.idNumber, claimCode: 'WRONG' };
    for (let i = 0; i < maxClaimFailures; i++) await failureOf(() => claimCertificate(w.ports, tokens, guess));
    const right = { ...guess, claimCode };
    expect(await failureOf(() => claimCertificate(w.ports, tokens, right))).toMatchObject({ code: 'INVALID_CLAIM' });

    const fresh = newClaimCode(w.ports, actors.issuer, certificateNo);
    expect(claimCertificate(w.ports, tokens, { ...right, claimCode: fresh })).toMatchObject({ tokenType: 'Bearer' });
    // The old code stopped working when the new one was handed out.
    expect(await failureOf(() => claimCertificate(w.ports, tokens, right))).toMatchObject({ code: 'INVALID_CLAIM' });
  });

  it('refuses claims and new codes for a superseded certificate', async () => {
    const w = world();
    const record = birth();
    const { certificateNo, claimCode } = await w.issueBirth(record);
    await replaceCertificate(w.ports, actors.issuer, certificateNo, {
      reason: '姓名录入错误',
      changes: { newborn: { name: '李沐阳' } },
    });
    const body = { certificateNo, motherIdNumber: record.mother.idNumber, claimCode };
    expect(await failureOf(() => claimCertificate(w.ports, tokens, body))).toMatchObject({ code: 'INVALID_CLAIM' });
    expect(await failureOf(() => newClaimCode(w.ports, actors.issuer, certificateNo))).toEqual({
      code: 'INVALID_STATE',
      message: `Certificate ${certificateNo} is superseded`,
    });
  });
});
