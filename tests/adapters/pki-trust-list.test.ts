import { createLocalJWKSet, flattenedVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodeJwsVerifier } from '../../src/adapters/jws/node-jws-verifier.ts';
import { signCredentials } from '../../src/adapters/jws/sign-credentials.ts';
import { nodeX509 } from '../../src/adapters/pki/node-x509.ts';
import { pemToX5c } from '../../src/adapters/pki/pem.ts';
import { buildJwks } from '../../src/domain/trust/build-jwks.ts';
import { buildOfflineBundle } from '../../src/domain/trust/build-offline-bundle.ts';
import { buildTrustList } from '../../src/domain/trust/build-trust-list.ts';
import { createTrustStore } from '../../src/domain/trust/create-trust-store.ts';
import { openOfflineBundle } from '../../src/domain/trust/open-offline-bundle.ts';
import { provisionInstitutionKey } from '../../src/domain/trust/provision-signing-key.ts';
import { createRegisterTrustSource } from '../../src/domain/trust/register-trust-source.ts';
import { revokeSigningKey } from '../../src/domain/trust/revoke-signing-key.ts';
import { verify } from '../../src/domain/verification/verify.ts';
import { loadVectors } from '../vectors/load-vectors.ts';
import { createTestDomain, HOSPITAL_A, HOSPITAL_B, sampleLicence, type TestDomain, TYPE_CODE } from './pki-test-kit.ts';

let domain: TestDomain;
const rotatedAt = new Date('2026-03-01T00:00:00Z');
const now = new Date('2026-06-01T00:00:00Z');
beforeEach(async () => {
  domain = await createTestDomain();
  await provisionInstitutionKey({ ...domain, now: rotatedAt, institution: HOSPITAL_A });
  revokeSigningKey({
    register: domain.register,
    kid: domain.keyB.kid,
    revokedAt: rotatedAt,
    reason: 'keyCompromise',
    now,
  });
});
afterEach(() => domain.close());

const trustListOf = (d: TestDomain) =>
  buildTrustList({
    rootX509Pem: d.register.active('root')!.x509Pem,
    keys: d.register.list(),
    licenceTypeCode: TYPE_CODE,
    issuedAt: now,
  });

describe('the trust list', () => {
  it('lists every institution with every certificate it ever had, and each key’s status', () => {
    const trustList = trustListOf(domain);
    const current = domain.keyStore.activeKey(HOSPITAL_A.creditCode);
    expect(trustList.root).toBe(domain.register.active('root')!.x509Pem);
    expect([trustList.version, trustList.licenceTypeCode, trustList.issuedAt]).toEqual([
      1,
      TYPE_CODE,
      now.toISOString(),
    ]);
    // Ordered by credit code.
    expect(trustList.issuers.map(({ creditCode, name, status }) => ({ creditCode, name, status }))).toEqual([
      { creditCode: HOSPITAL_B.creditCode, name: HOSPITAL_B.name, status: 'revoked' },
      { creditCode: HOSPITAL_A.creditCode, name: HOSPITAL_A.name, status: 'active' },
    ]);
    const [b, a] = trustList.issuers;
    expect(a!.keys.map((key) => [key.kid, key.status, key.retiredAt])).toEqual([
      [domain.keyA.kid, 'retired', rotatedAt.toISOString()],
      [current.kid, 'active', null],
    ]);
    expect(a!.certificates.map(pemToX5c)).toEqual([domain.keyA.x5c[0], current.x5c[0]]);
    expect(b!.keys[0]).toMatchObject({ status: 'revoked', revokedAt: rotatedAt.toISOString() });
  });

  it('is believed only as far as its certificates chain to its root', async () => {
    const trustList = trustListOf(domain);
    const other = await createTestDomain();
    const forged = structuredClone(trustList);
    const issuerA = forged.issuers.find((issuer) => issuer.creditCode === HOSPITAL_A.creditCode)!;
    issuerA.certificates[1] = other.register.get(other.keyA.kid)!.x509Pem;
    const store = createTrustStore(forged, nodeX509);
    expect(store.keys().map((key) => key.kid)).not.toContain(other.keyA.kid);
    expect(store.rejected()).toEqual([{ creditCode: HOSPITAL_A.creditCode, kid: issuerA.keys[1]!.kid }]);
    expect(store.findKeys(domain.keyA.kid.slice(0, 8)).map((key) => key.kid)).toEqual([domain.keyA.kid]);
    other.close();
  });
});

describe('the JWKS', () => {
  it('publishes every signing key ever trusted, by thumbprint, that a stock JOSE library uses as is', async () => {
    const jwks = buildJwks(domain.register.list(), nodeX509);
    expect(jwks.keys).toHaveLength(3);
    expect(jwks.keys.find((key) => key.kid === domain.keyA.kid)).toMatchObject({
      kid: domain.keyA.kid,
      use: 'sig',
      alg: 'ES256',
      x5c: domain.keyA.x5c,
      status: 'retired',
    });
    expect(jwks.keys.find((key) => key.kid === domain.keyB.kid)).toMatchObject({ revokedAt: rotatedAt.toISOString() });
    const payload = sampleLicence();
    const { signedJson } = await signCredentials(
      payload,
      domain.keyStore.activeKey(HOSPITAL_A.creditCode),
      domain.keyStore,
      {
        now: () => now,
      },
    );
    const verified = await flattenedVerify(signedJson, createLocalJWKSet(jwks as never));
    expect(JSON.parse(new TextDecoder().decode(verified.payload))).toEqual(payload);
  });
});

describe('the service trust source', () => {
  it('sees a revocation at the very next verification', async () => {
    const key = domain.keyStore.activeKey(HOSPITAL_A.creditCode);
    const { qr } = await signCredentials(sampleLicence(), key, domain.keyStore, { now: () => now });
    const ports = {
      trust: createRegisterTrustSource(domain.register, nodeX509, TYPE_CODE),
      register: { lookup: () => ({ status: 'valid' as const, supersededBy: null, householdRegistered: false }) },
      jws: createNodeJwsVerifier(),
      clock: { now: () => now },
    };
    expect((await verify({ qr }, ports)).valid).toBe(true);
    revokeSigningKey({
      register: domain.register,
      kid: key.kid,
      revokedAt: rotatedAt,
      reason: 'keyCompromise',
      now,
    });
    expect((await verify({ qr }, ports)).reason).toBe('ISSUER_REVOKED');
  });
});

describe('the offline bundle', () => {
  const build = async (d: TestDomain) =>
    buildOfflineBundle({
      trustList: trustListOf(d),
      register: [{ certificateNo: 'Q440000001', status: 'superseded', supersededBy: 'Q440000002' }],
      asOf: now,
      signer: d.register.active('trust-list')!,
      keyStore: d.keyStore,
      x509: nodeX509,
    });

  it('opens when signed by the trust-list key under its (pinned) root, and verifies offline', async () => {
    const bundle = await build(domain);
    const rootPem = domain.register.active('root')!.x509Pem;
    const opened = openOfflineBundle(JSON.parse(JSON.stringify(bundle)), nodeX509, { pinnedRootPem: rootPem });
    expect(opened.asOf).toBe(now.toISOString());
    expect(opened.rootFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(await opened.register.lookup('Q440000001')).toEqual({
      status: 'superseded',
      supersededBy: 'Q440000002',
      householdRegistered: false,
      licenceDigest: null,
    });
    const { qr } = await signCredentials(
      sampleLicence(),
      domain.keyStore.activeKey(HOSPITAL_A.creditCode),
      domain.keyStore,
      {
        now: () => now,
      },
    );
    const result = await verify({ qr }, { ...opened, jws: createNodeJwsVerifier(), clock: { now: () => now } });
    expect([result.status, result.supersededBy]).toEqual(['superseded', 'Q440000002']);
  });

  it('refuses a tampered bundle, another root than the pinned one, and a signer that is no trust-list key', async () => {
    const bundle = await build(domain);
    const payload = JSON.parse(Buffer.from(bundle.payload, 'base64url').toString('utf8'));
    payload.register[0].status = 'valid';
    const tampered = { ...bundle, payload: Buffer.from(JSON.stringify(payload)).toString('base64url') };
    expect(() => openOfflineBundle(tampered, nodeX509)).toThrow(expect.objectContaining({ code: 'BUNDLE_INVALID' }));
    const { rootPemFile } = loadVectors();
    const { readFileSync } = await import('node:fs');
    expect(() => openOfflineBundle(bundle, nodeX509, { pinnedRootPem: readFileSync(rootPemFile, 'utf8') })).toThrow(
      expect.objectContaining({ code: 'BUNDLE_ROOT_MISMATCH' }),
    );
    await expect(
      buildOfflineBundle({
        trustList: trustListOf(domain),
        register: [],
        asOf: now,
        signer: domain.register.get(domain.keyA.kid)!,
        keyStore: domain.keyStore,
        x509: nodeX509,
      }),
    ).rejects.toThrow(TypeError);
    expect(() => openOfflineBundle({ protected: 'e30', payload: 'e30', signature: '' }, nodeX509)).toThrow(
      expect.objectContaining({ code: 'BUNDLE_INVALID' }),
    );
  });
});
