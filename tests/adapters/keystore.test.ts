import { createPublicKey, verify } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openKeyStore } from '../../src/adapters/keystore/open-key-store.ts';
import { SealedKeyStore } from '../../src/adapters/keystore/sealed-key-store.ts';
import { importKeyDirectory } from '../../src/adapters/keystore/sealed-key-vault.ts';
import { createSigningKeyRepository } from '../../src/adapters/keystore/signing-key-repository.ts';
import { nodeX509 } from '../../src/adapters/pki/node-x509.ts';
import { isLowS } from '../../src/adapters/pki/p256-low-s.ts';
import { createSqlSealedKeyVault } from '../../src/adapters/sql/sealed-key-vault.ts';
import { sqliteSql } from '../../src/adapters/sql/sqlite-sql.ts';
import { migrate, openDatabase } from '../../src/adapters/sqlite/database.ts';
import { provisionDemoTrustDomain } from '../../src/domain/trust/provision-demo-trust-domain.ts';
import { provisionInstitutionKey } from '../../src/domain/trust/provision-signing-key.ts';
import { revokeSigningKey } from '../../src/domain/trust/revoke-signing-key.ts';
import { createTestDomain, HOSPITAL_A, HOSPITAL_B, type TestDomain } from './pki-test-kit.ts';

let domain: TestDomain;
beforeEach(async () => {
  domain = await createTestDomain();
});
afterEach(() => domain.close());

const keysDirectory = () => path.join(domain.directory, 'keys');
const reopen = (overrides: Partial<Parameters<typeof SealedKeyStore.open>[0]> = {}) =>
  SealedKeyStore.open({
    vault: createSqlSealedKeyVault(sqliteSql(domain.db)),
    passphrase: 'test passphrase',
    register: domain.register,
    environment: 'test',
    clock: { now: () => new Date('2026-06-01T00:00:00Z') },
    ...overrides,
  });

describe('the sealed key store', () => {
  it('keeps each private key sealed in the database, write-once, and no key file anywhere', () => {
    const row = domain.db.prepare('SELECT sealed, created_at FROM sealed_keys WHERE kid = ?').get(domain.keyA.kid) as {
      sealed: string;
      created_at: string;
    };
    const stored = JSON.parse(row.sealed);
    expect(Object.keys(stored).sort()).toEqual(['cipher', 'ciphertext', 'format', 'kdf', 'kid', 'publicJwk']);
    expect(stored).toMatchObject({ kid: domain.keyA.kid, kdf: { name: 'scrypt', r: 8, p: 1 } });
    expect(row.created_at).toBe('2026-01-01T00:00:00.000Z');
    expect(row.sealed).not.toMatch(/"d"|PRIVATE KEY/);
    expect(existsSync(keysDirectory())).toBe(false);
    const rows = JSON.stringify(domain.db.prepare('SELECT * FROM signing_keys').all());
    expect(rows).not.toMatch(/"d"|PRIVATE KEY|ciphertext/);
    expect(() => domain.db.prepare("UPDATE sealed_keys SET sealed = '{}' WHERE kid = ?").run(domain.keyA.kid)).toThrow(
      'sealed keys are write-once',
    );
    expect(() => domain.db.prepare('DELETE FROM sealed_keys WHERE kid = ?').run(domain.keyA.kid)).toThrow(
      'sealed keys are write-once',
    );
    // The root alone may leave (taken offline by the operator).
    const root = domain.register.active('root')!.kid;
    expect(domain.db.prepare('DELETE FROM sealed_keys WHERE kid = ?').run(root).changes).toBe(1);
    expect(reopen().holdsKey(root)).toBe(false);
    expect(reopen().holdsKey(domain.keyA.kid)).toBe(true);
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

  it('decrypts a key once and keeps it: the sealed key is read from the database once', async () => {
    const vault = createSqlSealedKeyVault(sqliteSql(domain.db));
    const reads: string[] = [];
    const read = (kid: string) => {
      reads.push(kid);
      return vault.read(kid);
    };
    const store = reopen({ vault: { ...vault, read } });
    await store.sign(domain.keyA.kid, new Uint8Array([1]));
    await store.sign(domain.keyA.kid, new Uint8Array([2]));
    expect(reads).toEqual([domain.keyA.kid]);
  });

  it('reads a key another process sealed into the same database when first used', async () => {
    const other = reopen();
    const made = other.generateKey();
    expect(domain.keyStore.holdsKey(made.kid)).toBe(true);
    expect(domain.keyStore.publicKeyOf(made.kid).export({ format: 'jwk' })).toMatchObject(made.publicJwk);
  });

  it('refuses a registered key it does not hold, a wrong passphrase and a sealed key in another key’s place', async () => {
    const empty = new Database(':memory:');
    migrate(empty);
    const elsewhere = createSqlSealedKeyVault(sqliteSql(empty));
    // A registered key not held here is a fault of key custody (503), not an unknown key (404).
    await expect(reopen({ vault: elsewhere }).sign(domain.keyA.kid, new Uint8Array([1]))).rejects.toMatchObject({
      code: 'KEY_UNREADABLE',
    });
    await expect(reopen({ passphrase: 'wrong' }).sign(domain.keyA.kid, new Uint8Array([1]))).rejects.toMatchObject({
      code: 'KEY_UNREADABLE',
    });
    const sealedB = createSqlSealedKeyVault(sqliteSql(domain.db)).read(domain.keyB.kid)!;
    empty
      .prepare("INSERT INTO sealed_keys (kid, sealed, created_at) VALUES (?, ?, '2026-01-01')")
      .run(domain.keyA.kid, JSON.stringify({ ...sealedB, kid: domain.keyA.kid }));
    await expect(reopen({ vault: elsewhere }).sign(domain.keyA.kid, new Uint8Array([1]))).rejects.toMatchObject({
      code: 'KEY_UNREADABLE',
    });
    empty.close();
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

  it('signs one credential with the active key it found, without reading the register per signature', async () => {
    let reads = 0;
    const counted = new Proxy(domain.register, {
      get: (target, name, receiver) => {
        const value = Reflect.get(target, name, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          reads++;
          return value.apply(target, args);
        };
      },
    });
    const store = reopen({ register: counted });
    reads = 0;
    const { key, keyStore } = store.activeSigner(HOSPITAL_A.creditCode);
    expect(key).toEqual(domain.keyA);
    const data = new Uint8Array([1, 2, 3]);
    const signatures = [await keyStore.sign(key.kid, data), await keyStore.sign(key.kid, data)];
    expect(reads).toBe(1);
    for (const signature of signatures) {
      expect(
        verify(
          'sha256',
          data,
          { key: createPublicKey({ key: key.publicJwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
          signature,
        ),
      ).toBe(true);
    }
    // Any other key is checked in the register as ever.
    await keyStore.sign(domain.keyB.kid, data);
    expect(reads).toBe(2);
    expect(() => store.activeSigner('12110000400000990D')).toThrow(expect.objectContaining({ code: 'NO_SIGNING_KEY' }));
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
  /** A production key store over a fresh database into which `directory`'s key files were imported. */
  const openProduction = (directory: string | null, passphrase = 'a real passphrase') => {
    const db = new Database(':memory:');
    migrate(db);
    const vault = createSqlSealedKeyVault(sqliteSql(db));
    if (directory) importKeyDirectory(directory, vault, new Date());
    return () =>
      SealedKeyStore.open({
        vault,
        passphrase,
        register: createSigningKeyRepository(sqliteSql(db)),
        environment: 'production',
      });
  };

  it('refuses the example passphrase', () => {
    expect(openProduction(null, 'example-only')).toThrow(expect.objectContaining({ code: 'EXAMPLE_KEY_REFUSED' }));
  });

  it('refuses a database holding the keys.example key or a test-vector key', () => {
    for (const [index, source] of [exampleKey, vectorKey].entries()) {
      const directory = path.join(domain.directory, `production-${index}`);
      mkdirSync(directory, { recursive: true });
      copyFileSync(source, path.join(directory, path.basename(source.pathname)));
      expect(openProduction(directory)).toThrow(expect.objectContaining({ code: 'EXAMPLE_KEY_REFUSED' }));
    }
  });

  it('opens the example key outside production (it is a working example)', async () => {
    const directory = path.join(domain.directory, 'development');
    mkdirSync(directory, { recursive: true });
    copyFileSync(exampleKey, path.join(directory, path.basename(exampleKey.pathname)));
    const db = new Database(':memory:');
    migrate(db);
    const repository = createSigningKeyRepository(sqliteSql(db));
    const rows = JSON.parse(readFileSync(new URL('../../keys.example/signing-keys.json', import.meta.url), 'utf8'));
    for (const row of rows) repository.insert(row);
    const vault = createSqlSealedKeyVault(sqliteSql(db));
    expect(importKeyDirectory(directory, vault, new Date())).toEqual([rows[1].kid]);
    const store = SealedKeyStore.open({
      vault,
      passphrase: 'example-only',
      register: repository,
      environment: 'development',
      clock: { now: () => new Date('2026-06-01T00:00:00Z') },
    });
    await expect(store.sign(rows[1].kid, new Uint8Array([1]))).resolves.toHaveLength(64);
  });
});

describe('key files of an earlier version', () => {
  it('are imported into the database once, left in place, and a misnamed or broken file is skipped', () => {
    const directory = path.join(domain.directory, 'old-keys');
    mkdirSync(directory, { recursive: true });
    const vault = createSqlSealedKeyVault(sqliteSql(domain.db));
    const sealedA = vault.read(domain.keyA.kid)!;
    const db = new Database(':memory:');
    migrate(db);
    const fresh = createSqlSealedKeyVault(sqliteSql(db));
    writeFileSync(path.join(directory, `${domain.keyA.kid}.key`), JSON.stringify(sealedA));
    writeFileSync(path.join(directory, `${domain.keyB.kid}.key`), JSON.stringify(sealedA));
    writeFileSync(path.join(directory, `${'x'.repeat(43)}.key`), '{not json');
    writeFileSync(path.join(directory, 'notes.txt'), 'not a key');
    const now = new Date('2026-03-01T00:00:00Z');
    expect(importKeyDirectory(directory, fresh, now)).toEqual([domain.keyA.kid]);
    expect(importKeyDirectory(directory, fresh, now)).toEqual([]);
    expect(fresh.kids()).toEqual([domain.keyA.kid]);
    expect(fresh.read(domain.keyA.kid)).toEqual(sealedA);
    expect(readdirSync(directory).sort()).toHaveLength(4);
    expect(importKeyDirectory(path.join(domain.directory, 'absent'), fresh, now)).toEqual([]);
    db.close();
  });
});

describe('a deployment’s key store', () => {
  it('sets up the demo trust domain in the database (no DATA_DIR/keys), with every migration applied', async () => {
    const db = openDatabase(':memory:');
    const config = { dataDir: path.join(domain.directory, 'data'), keyPassphrase: null, env: 'development' as const };
    const { keyStore, repository } = openKeyStore(config, sqliteSql(db));
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
    await expect(openKeyStore(config, sqliteSql(db)).keyStore.unlockActiveKeys()).resolves.toHaveLength(7);
    expect(existsSync(path.join(config.dataDir, 'keys'))).toBe(false);
    const wrong = openKeyStore({ ...config, keyPassphrase: 'not the passphrase' }, sqliteSql(db)).keyStore;
    await expect(wrong.unlockActiveKeys()).rejects.toMatchObject({ code: 'KEY_UNREADABLE' });
    db.close();
  });

  it('imports the key files of an earlier version on open, once, and signs with them', async () => {
    const dataDir = path.join(domain.directory, 'old-data');
    mkdirSync(path.join(dataDir, 'keys'), { recursive: true });
    const exampleFile = new URL(
      '../../keys.example/keys/4c1hiS7Ea_2o3ttgN6BT2go8PDGlqL2_4r8pGj-aZ68.key',
      import.meta.url,
    );
    copyFileSync(exampleFile, path.join(dataDir, 'keys', path.basename(exampleFile.pathname)));
    const db = openDatabase(':memory:');
    const rows = JSON.parse(readFileSync(new URL('../../keys.example/signing-keys.json', import.meta.url), 'utf8'));
    const config = { dataDir, keyPassphrase: 'example-only', env: 'development' as const };
    const clock = { now: () => new Date('2026-06-01T00:00:00Z') };
    const first = openKeyStore(config, sqliteSql(db), clock);
    for (const row of rows) first.repository.insert(row);
    expect(first.imported).toEqual([rows[1].kid]);
    await expect(first.keyStore.sign(rows[1].kid, new Uint8Array([1]))).resolves.toHaveLength(64);
    expect(openKeyStore(config, sqliteSql(db), clock).imported).toEqual([]);
    expect(readdirSync(path.join(dataDir, 'keys'))).toEqual([path.basename(exampleFile.pathname)]);
    db.close();
  });
});
