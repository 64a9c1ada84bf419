import { createPublicKey, verify } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileKeyStore } from '../../src/adapters/keystore/file-key-store.ts';
import { openKeyStore } from '../../src/adapters/keystore/open-key-store.ts';
import { createSigningKeyRepository } from '../../src/adapters/keystore/signing-key-repository.ts';
import { nodeX509 } from '../../src/adapters/pki/node-x509.ts';
import { isLowS } from '../../src/adapters/pki/p256-low-s.ts';
import { openDatabase } from '../../src/adapters/sqlite/database.ts';
import { provisionDemoTrustDomain } from '../../src/domain/trust/provision-demo-trust-domain.ts';
import { provisionInstitutionKey } from '../../src/domain/trust/provision-signing-key.ts';
import { revokeSigningKey } from '../../src/domain/trust/revoke-signing-key.ts';
import { createTestDomain, HOSPITAL_A, HOSPITAL_B, migrationSql, type TestDomain } from './pki-test-kit.ts';

let domain: TestDomain;
beforeEach(async () => {
  domain = await createTestDomain();
});
afterEach(() => domain.close());

const keysDirectory = () => path.join(domain.directory, 'keys');
const reopen = (overrides: Partial<Parameters<typeof FileKeyStore.open>[0]> = {}) =>
  FileKeyStore.open({
    directory: keysDirectory(),
    passphrase: 'test passphrase',
    register: domain.register,
    environment: 'test',
    clock: { now: () => new Date('2026-06-01T00:00:00Z') },
    ...overrides,
  });

describe('the file key store', () => {
  it('keeps each private key in its own owner-only file, encrypted, never in the database', () => {
    const file = path.join(keysDirectory(), `${domain.keyA.kid}.key`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(keysDirectory()).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(stored).sort()).toEqual(['cipher', 'ciphertext', 'format', 'kdf', 'kid', 'publicJwk']);
    expect(stored.kdf).toMatchObject({ name: 'scrypt', r: 8, p: 1 });
    expect(JSON.stringify(stored)).not.toMatch(/"d"|PRIVATE KEY/);
    const rows = JSON.stringify(domain.db.prepare('SELECT * FROM signing_keys').all());
    expect(rows).not.toMatch(/"d"|PRIVATE KEY|ciphertext/);
  });

  it('signs with ES256 in IEEE P1363 form, verifiable with the certified public key', async () => {
    const data = new TextEncoder().encode('protected.payload');
    const signature = await domain.keyStore.sign(domain.keyA.kid, data);
    expect(signature).toHaveLength(64);
    const key = createPublicKey({ key: domain.keyA.publicJwk, format: 'jwk' });
    expect(verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
  });

  it('signs only in low-S form (s ≤ n/2), so no signature has a second valid twin', async () => {
    // node's OpenSSL binding gives high S about half the time: 64 signatures all low by chance is 2^-64.
    const signatures = await Promise.all(
      Array.from({ length: 64 }, (_, i) => domain.keyStore.sign(domain.keyA.kid, new Uint8Array([i]))),
    );
    expect(signatures.filter((signature) => !isLowS(signature))).toEqual([]);
  });

  it('decrypts a key once and keeps it: the file is not read again', async () => {
    const store = reopen();
    await store.sign(domain.keyA.kid, new Uint8Array([1]));
    renameSync(path.join(keysDirectory(), `${domain.keyA.kid}.key`), path.join(domain.directory, 'moved'));
    await expect(store.sign(domain.keyA.kid, new Uint8Array([2]))).resolves.toHaveLength(64);
    // A registered key whose file is gone is a fault of key custody (503), not an unknown key (404).
    await expect(reopen().sign(domain.keyA.kid, new Uint8Array([2]))).rejects.toMatchObject({ code: 'KEY_UNREADABLE' });
  });

  it('refuses a wrong passphrase and a key file put in another key’s place', async () => {
    await expect(reopen({ passphrase: 'wrong' }).sign(domain.keyA.kid, new Uint8Array([1]))).rejects.toMatchObject({
      code: 'KEY_UNREADABLE',
    });
    copyFileSync(
      path.join(keysDirectory(), `${domain.keyB.kid}.key`),
      path.join(keysDirectory(), `${domain.keyA.kid}.key`),
    );
    await expect(reopen().sign(domain.keyA.kid, new Uint8Array([1]))).rejects.toMatchObject({ code: 'KEY_UNREADABLE' });
  });

  it('hands out the active key of an institution, and refuses institutions without one', () => {
    expect(domain.keyStore.activeKey(HOSPITAL_A.creditCode)).toEqual(domain.keyA);
    expect(() => domain.keyStore.activeKey('12110000400000990D')).toThrow(
      expect.objectContaining({ code: 'NO_SIGNING_KEY' }),
    );
    const afterExpiry = reopen({ clock: { now: () => new Date('2029-01-01T00:00:01Z') } });
    expect(() => afterExpiry.activeKey(HOSPITAL_A.creditCode)).toThrow(
      expect.objectContaining({ code: 'NO_SIGNING_KEY' }),
    );
  });

  it('rotates: a new active key, the old one retired, kept, and no longer signing', async () => {
    const now = new Date('2027-01-01T00:00:00Z');
    const next = await provisionInstitutionKey({ ...domain, now, institution: HOSPITAL_A });
    expect(next.kid).not.toBe(domain.keyA.kid);
    expect(domain.keyStore.activeKey(HOSPITAL_A.creditCode)).toEqual(next);
    expect(domain.register.get(domain.keyA.kid)).toMatchObject({ status: 'retired', retiredAt: now.toISOString() });
    await expect(domain.keyStore.sign(domain.keyA.kid, new Uint8Array([1]))).rejects.toMatchObject({
      code: 'KEY_NOT_USABLE',
    });
    expect(() => domain.register.insert({ ...domain.register.get(next.kid)!, kid: 'x'.repeat(43) })).toThrow(/UNIQUE/);
  });

  it('revokes from a given (past) time, never from the future', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const revokedAt = new Date('2026-05-01T00:00:00Z');
    const revoked = revokeSigningKey({
      register: domain.register,
      kid: domain.keyB.kid,
      revokedAt,
      reason: 'keyCompromise',
      now,
    });
    expect(revoked).toMatchObject({
      status: 'revoked',
      revokedAt: revokedAt.toISOString(),
      revocationReason: 'keyCompromise',
    });
    expect(() =>
      revokeSigningKey({
        register: domain.register,
        kid: domain.keyA.kid,
        revokedAt: new Date('2026-07-01'),
        reason: 'x',
        now,
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    expect(() =>
      revokeSigningKey({ register: domain.register, kid: domain.keyB.kid, revokedAt, reason: 'x', now }),
    ).toThrow(expect.objectContaining({ code: 'KEY_ALREADY_REVOKED' }));
  });
});

describe('in production', () => {
  const exampleKey = new URL(
    '../../keys.example/keys/4c1hiS7Ea_2o3ttgN6BT2go8PDGlqL2_4r8pGj-aZ68.key',
    import.meta.url,
  );
  const vectorKey = new URL('../vectors/keys/H6YFnDgwANJ-1e-qqygyutZ88sfAGWhwGwz939-icXs.key', import.meta.url);
  const openProduction = (directory: string, passphrase = 'a real passphrase') => {
    const db = new Database(':memory:');
    db.exec(migrationSql());
    return () =>
      FileKeyStore.open({
        directory,
        passphrase,
        register: createSigningKeyRepository(db),
        environment: 'production',
      });
  };

  it('refuses the example passphrase', () => {
    expect(openProduction(path.join(domain.directory, 'p'), 'example-only')).toThrow(
      expect.objectContaining({ code: 'EXAMPLE_KEY_REFUSED' }),
    );
  });

  it('refuses a key directory holding the keys.example key or a test-vector key', () => {
    for (const [index, source] of [exampleKey, vectorKey].entries()) {
      const directory = path.join(domain.directory, `production-${index}`);
      mkdirSync(directory);
      copyFileSync(source, path.join(directory, path.basename(source.pathname)));
      expect(openProduction(directory)).toThrow(expect.objectContaining({ code: 'EXAMPLE_KEY_REFUSED' }));
    }
  });

  it('opens the example key outside production (it is a working example)', async () => {
    const directory = path.join(domain.directory, 'development');
    mkdirSync(directory);
    copyFileSync(exampleKey, path.join(directory, path.basename(exampleKey.pathname)));
    const db = new Database(':memory:');
    db.exec(migrationSql());
    const repository = createSigningKeyRepository(db);
    const rows = JSON.parse(readFileSync(new URL('../../keys.example/signing-keys.json', import.meta.url), 'utf8'));
    for (const row of rows) repository.insert(row);
    const store = FileKeyStore.open({
      directory,
      passphrase: 'example-only',
      register: repository,
      environment: 'development',
      clock: { now: () => new Date('2026-06-01T00:00:00Z') },
    });
    await expect(store.sign(rows[1].kid, new Uint8Array([1]))).resolves.toHaveLength(64);
  });
});

describe('a deployment’s key store', () => {
  it('sets up the demo trust domain in DATA_DIR/keys, with migration 002 applied among the others', async () => {
    const db = openDatabase(':memory:');
    const config = { dataDir: path.join(domain.directory, 'data'), keyPassphrase: null, env: 'development' as const };
    const { keyStore, repository } = openKeyStore(config, db);
    const now = new Date('2026-01-01T00:00:00Z');
    const keys = await provisionDemoTrustDomain({
      keyStore,
      register: repository,
      x509: nodeX509,
      now,
      institutions: [HOSPITAL_A, HOSPITAL_B],
    });
    expect(keys.map((key) => key.institutionCreditCode)).toEqual([HOSPITAL_A.creditCode, HOSPITAL_B.creditCode]);
    const purposes = repository.list().map((key) => key.purpose);
    expect(purposes.sort()).toEqual(['audit', 'licence', 'licence', 'root', 'status-list', 'trust-list', 'tsa']);
    await expect(openKeyStore(config, db).keyStore.unlockActiveKeys()).resolves.toHaveLength(7);
    const wrong = openKeyStore({ ...config, keyPassphrase: 'not the passphrase' }, db).keyStore;
    await expect(wrong.unlockActiveKeys()).rejects.toMatchObject({ code: 'KEY_UNREADABLE' });
    db.close();
  });
});
