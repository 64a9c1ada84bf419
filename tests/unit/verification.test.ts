import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { licenceDigest } from '../../src/adapters/jws/licence-digest.ts';
import { createNodeJwsVerifier } from '../../src/adapters/jws/node-jws-verifier.ts';
import type { VerificationPorts } from '../../src/domain/verification/ports.ts';
import { verify } from '../../src/domain/verification/verify.ts';
import { fixtureDomain } from '../vectors/fixture-domain.ts';
import { loadVectors } from '../vectors/load-vectors.ts';
import { elicenceHeader, signingKeyOf, signRaw } from '../vectors/vector-credentials.ts';

const loaded = loadVectors();
const ports: VerificationPorts = { ...loaded, jws: createNodeJwsVerifier() };
const vector = (name: string) => loaded.vectors.find((candidate) => candidate.name === name)!.input;
const qr = vector('valid-qr').qr as string;
const signedJson = vector('valid-signed-json').signedJson as { protected: string; payload: string; signature: string };
const REASONS = ['MALFORMED', 'BAD_SIGNATURE', 'UNTRUSTED_ISSUER', 'ISSUER_REVOKED', 'NOT_FOUND', 'DATA_MISMATCH'];

describe('the verifier', () => {
  it('depends on nothing but the domain (no node, no libraries)', () => {
    const directory = path.join(import.meta.dirname, '../../src/domain/verification');
    for (const file of readdirSync(directory)) {
      const imports = [...readFileSync(path.join(directory, file), 'utf8').matchAll(/from '([^']+)'/g)].map(
        (m) => m[1]!,
      );
      for (const source of imports) expect(source, `${file} imports ${source}`).toMatch(/^\.\.?\//);
    }
  });

  it('rejects every one-character change anywhere in a QR text, and never throws', async () => {
    const alphabet = 'AZaz09-_.+ ';
    for (let index = 0; index < qr.length; index++) {
      const replacement =
        alphabet[(index * 7) % alphabet.length] === qr[index] ? 'Q' : alphabet[(index * 7) % alphabet.length];
      const result = await verify({ qr: qr.slice(0, index) + replacement + qr.slice(index + 1) }, ports);
      expect(result.valid, `position ${index}`).toBe(false);
      expect(REASONS).toContain(result.reason);
    }
  });

  it('answers MALFORMED for inputs of the wrong shape', async () => {
    for (const input of [
      {},
      { qr: 42 },
      { qr: '' },
      { signedJson: null },
      { signedJson: [] },
      { signedJson: '{' },
      null,
    ]) {
      expect(await verify(input as never, ports)).toEqual({
        valid: false,
        status: 'unknown',
        reason: 'MALFORMED',
        householdRegistered: false,
        checks: [{ name: 'format', result: 'fail' }],
      });
    }
    const extraMember = { ...signedJson, header: { kid: 'x' } };
    expect((await verify({ signedJson: extraMember }, ports)).reason).toBe('MALFORMED');
    expect((await verify({ qr, signedJson: { ...signedJson, payload: '' } }, ports)).reason).toBe('MALFORMED');
  });

  it('refuses a signing time in the future', async () => {
    const early = { ...ports, clock: { now: () => new Date('2026-11-21T02:00:00Z') } };
    expect((await verify({ signedJson }, early)).reason).toBe('UNTRUSTED_ISSUER');
  });

  it('refuses a licence of one institution signed with another institution’s key', async () => {
    const domain = await fixtureDomain();
    const keyA = signingKeyOf(domain, domain.kids.a);
    const payload = JSON.parse(Buffer.from(signedJson.payload, 'base64url').toString('utf8'));
    payload.licence.issuer.creditCode = '124400004558586204';
    payload.certificate.issuer.creditCode = '124400004558586204';
    payload.licence.id = payload.licence.id.replace('12440100455361428Y', '124400004558586204');
    const forged = signRaw(
      domain.privateKeys.get(keyA.kid)!,
      elicenceHeader(keyA, '2026-11-21T02:15:30Z'),
      JSON.stringify(payload),
    );
    const result = await verify({ signedJson: forged }, ports);
    expect([result.reason, result.certificate]).toEqual(['UNTRUSTED_ISSUER', undefined]);
  });

  it('compares the register’s e-licence identifier and digest when it keeps them', async () => {
    const entry = { status: 'valid' as const, supersededBy: null, householdRegistered: false };
    const withRegister = (extra: object): VerificationPorts => ({
      ...ports,
      register: { lookup: () => ({ ...entry, ...extra }) },
    });
    const digest = licenceDigest(signedJson);
    const good = await verify({ qr }, withRegister({ licenceDigest: digest }));
    expect(good.checks.at(-1)).toEqual({ name: 'consistency', result: 'pass' });
    expect(good.valid).toBe(true);
    expect((await verify({ signedJson }, withRegister({ licenceDigest: digest.replace(/^./, 'x') }))).reason).toBe(
      'DATA_MISMATCH',
    );
    expect((await verify({ qr }, withRegister({ licenceId: '1.2.156.3005.2.other' }))).reason).toBe('DATA_MISMATCH');
  });

  it('tries every key a QR kid names and uses the one that verifies', async () => {
    const trust = {
      ...loaded.trust,
      findKeys: (kid: string) => {
        const real = loaded.trust.findKeys(kid);
        const decoy = loaded.trust.keys().find((key) => !real.includes(key))!;
        return [{ ...decoy, kid: `${kid}${decoy.kid.slice(11)}` }, ...real];
      },
    };
    expect((await verify({ qr }, { ...ports, trust })).valid).toBe(true);
  });

  it('lets a failing register port reject: an outage is not a verdict on the credential', async () => {
    const down = { ...ports, register: { lookup: () => Promise.reject(new Error('database unavailable')) } };
    await expect(verify({ qr }, down)).rejects.toThrow('database unavailable');
  });
});

describe('the issuer check fails closed', () => {
  it('treats a revoked key without a readable revocation time as revoked for everything', async () => {
    const trust = {
      ...loaded.trust,
      findKeys: (kid: string) =>
        loaded.trust.findKeys(kid).map((key) => ({ ...key, status: 'revoked' as const, revokedAt: null })),
    };
    expect((await verify({ qr }, { ...ports, trust })).reason).toBe('ISSUER_REVOKED');
    const garbled = {
      ...trust,
      findKeys: (kid: string) => trust.findKeys(kid).map((key) => ({ ...key, revokedAt: 'soon' })),
    };
    expect((await verify({ qr }, { ...ports, trust: garbled })).reason).toBe('ISSUER_REVOKED');
  });
});
