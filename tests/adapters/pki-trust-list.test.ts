import { createLocalJWKSet, flattenedVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCoseQrCodec } from '../../src/adapters/cose/cose-qr-codec.ts';
import { createNodeJwsVerifier } from '../../src/adapters/jws/node-jws-verifier.ts';
import { signCredentials } from '../../src/adapters/jws/sign-credentials.ts';
import { nodeX509 } from '../../src/adapters/pki/node-x509.ts';
import { pemToX5c } from '../../src/adapters/pki/pem.ts';
import { zlibCompression } from '../../src/adapters/status-lists/zlib-compression.ts';
import { signStatusListToken } from '../../src/domain/status-lists/status-list-token.ts';
import { packStatuses, STATUS_VALUE } from '../../src/domain/status-lists/status-values.ts';
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
import {
  createTestDomain,
  HOSPITAL_A,
  HOSPITAL_B,
  SAMPLE_STATUS,
  sampleLicence,
  type TestDomain,
  TYPE_CODE,
} from './pki-test-kit.ts';

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
    const kid8 = Buffer.from(domain.keyA.kid, 'base64url').subarray(0, 8).toString('base64url');
    expect(store.findKeys(kid8).map((key) => key.kid)).toEqual([domain.keyA.kid]);
    expect(issuerA.keys[0]!.kid8).toBe(kid8);
    other.close();
  });
});

describe('the JWKS', () => {
  it('publishes every signing key ever trusted, by thumbprint, that a stock JOSE library uses as is', async () => {
    const jwks = buildJwks(domain.register.list(), nodeX509);
    expect(jwks.keys).toHaveLength(3);
    expect(jwks.keys.find((key) => key.kid === domain.keyA.kid)).toMatchObject({
      kid: domain.keyA.kid,
      kid8: Buffer.from(domain.keyA.kid, 'base64url').subarray(0, 8).toString('base64url'),
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
      qr: createCoseQrCodec(),
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
  const statusList = (
    d: TestDomain,
    entries: { idx: number; value: number }[],
    signer = d.register.active('status-list')!,
  ) =>
    signStatusListToken({
      uri: SAMPLE_STATUS.uri,
      bits: packStatuses(8192, entries),
      issuedAt: now,
      signer,
      keyStore: d.keyStore,
      x509: nodeX509,
      compression: zlibCompression,
    });
  const build = async (d: TestDomain, lists?: string[]) =>
    buildOfflineBundle({
      trustList: trustListOf(d),
      statusLists: lists ?? [
        await statusList(d, [
          { idx: SAMPLE_STATUS.idx, value: STATUS_VALUE.superseded },
          { idx: 2, value: STATUS_VALUE.revoked },
        ]),
      ],
      asOf: now,
      signer: d.register.active('trust-list')!,
      keyStore: d.keyStore,
      x509: nodeX509,
    });
  const tools = { x509: nodeX509, compression: zlibCompression };
  const at = (date: Date) => ({ now: () => date });
  const qrOf = async (options: Parameters<typeof sampleLicence>[0] = {}) =>
    (
      await signCredentials(sampleLicence(options), domain.keyStore.activeKey(HOSPITAL_A.creditCode), domain.keyStore, {
        now: () => now,
      })
    ).qr;
  const offline = (opened: ReturnType<typeof openOfflineBundle>, clock = at(now)) => ({
    ...opened,
    jws: createNodeJwsVerifier(),
    qr: createCoseQrCodec(),
    clock,
  });

  it('opens when signed by the trust-list key under its (pinned) root, and gives status as of its time', async () => {
    const bundle = await build(domain);
    const rootPem = domain.register.active('root')!.x509Pem;
    const opened = openOfflineBundle(JSON.parse(JSON.stringify(bundle)), tools, {
      pinnedRootPem: rootPem,
      clock: at(now),
    });
    expect(opened.asOf).toBe(now.toISOString());
    expect(opened.rootFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(JSON.parse(Buffer.from(bundle.payload, 'base64url').toString()))).not.toMatch(/Q4400/);
    const result = await verify({ qr: await qrOf() }, offline(opened));
    expect([result.status, result.reason, result.statusAsOf, result.supersededBy]).toEqual([
      'superseded',
      'SUPERSEDED',
      now.toISOString(),
      undefined,
    ]);
    const other = await verify({ qr: await qrOf({ status: { idx: 1, uri: SAMPLE_STATUS.uri } }) }, offline(opened));
    expect([other.valid, other.status]).toEqual([true, 'valid']);
    const revoked = await verify({ qr: await qrOf({ status: { idx: 2, uri: SAMPLE_STATUS.uri } }) }, offline(opened));
    expect([revoked.status, revoked.reason]).toEqual(['revoked', 'REVOKED']);
  });

  it('gives no status for an expired list, a list it does not hold or an index past its end', async () => {
    const opened = openOfflineBundle(await build(domain), tools, { clock: at(new Date(now.getTime() + 86_400_000)) });
    const expired = await verify({ qr: await qrOf() }, offline(opened, at(new Date(now.getTime() + 86_400_000))));
    expect([expired.status, expired.reason, expired.checks.at(-1)]).toEqual([
      'unknown',
      'STATUS_UNAVAILABLE',
      { name: 'status', result: 'fail' },
    ]);
    const fresh = openOfflineBundle(await build(domain), tools, { clock: at(now) });
    const elsewhere = { idx: 1, uri: 'https://bc.example.cn/api/v1/status-lists/2' };
    expect((await verify({ qr: await qrOf({ status: elsewhere }) }, offline(fresh))).reason).toBe('STATUS_UNAVAILABLE');
    const beyond = { idx: 9000, uri: SAMPLE_STATUS.uri };
    expect((await verify({ qr: await qrOf({ status: beyond }) }, offline(fresh))).reason).toBe('STATUS_UNAVAILABLE');
  });

  it('refuses a tampered bundle, another root than the pinned one, and signers of the wrong purpose', async () => {
    const bundle = await build(domain);
    const payload = JSON.parse(Buffer.from(bundle.payload, 'base64url').toString('utf8'));
    payload.asOf = '2030-01-01T00:00:00.000Z';
    const tampered = { ...bundle, payload: Buffer.from(JSON.stringify(payload)).toString('base64url') };
    const clock = at(now);
    expect(() => openOfflineBundle(tampered, tools, { clock })).toThrow(
      expect.objectContaining({ code: 'BUNDLE_INVALID' }),
    );
    const { rootPemFile } = loadVectors();
    const { readFileSync } = await import('node:fs');
    expect(() => openOfflineBundle(bundle, tools, { pinnedRootPem: readFileSync(rootPemFile, 'utf8'), clock })).toThrow(
      expect.objectContaining({ code: 'BUNDLE_ROOT_MISMATCH' }),
    );
    await expect(
      buildOfflineBundle({
        trustList: trustListOf(domain),
        statusLists: [],
        asOf: now,
        signer: domain.register.get(domain.keyA.kid)!,
        keyStore: domain.keyStore,
        x509: nodeX509,
      }),
    ).rejects.toThrow(TypeError);
    // A status list signed by the trust-list key (not the status key) does not open.
    const trustListSigner = { ...domain.register.active('trust-list')!, purpose: 'status-list' as const };
    const misSigned = await build(domain, [await statusList(domain, [], trustListSigner)]);
    expect(() => openOfflineBundle(misSigned, tools, { clock })).toThrow(
      expect.objectContaining({ code: 'BUNDLE_INVALID' }),
    );
    expect(() => openOfflineBundle({ protected: 'e30', payload: 'e30', signature: '' }, tools, { clock })).toThrow(
      expect.objectContaining({ code: 'BUNDLE_INVALID' }),
    );
  });
});
