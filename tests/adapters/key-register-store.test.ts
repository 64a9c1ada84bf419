import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EncryptedKeyFile } from '../../src/adapters/keystore/encrypted-key-file.ts';
import { createSigningKeyRepository } from '../../src/adapters/keystore/signing-key-repository.ts';
import { postgresSql } from '../../src/adapters/postgres/postgres-sql.ts';
import { createSqlCrlStore } from '../../src/adapters/sql/crl-store.ts';
import { createSqlSealedKeyVault } from '../../src/adapters/sql/sealed-key-vault.ts';
import type { Sql } from '../../src/adapters/sql/sql.ts';
import { sqliteSql } from '../../src/adapters/sql/sqlite-sql.ts';
import { openDatabase } from '../../src/adapters/sqlite/database.ts';
import type { SigningKeyRecord } from '../../src/domain/trust/ports.ts';
import { copyOfDatabase, openTestSql, PG_TEMPLATE, testEngine } from '../storage-kit.ts';

/** The published example root and licence key (keys.example/): real keys and certificates. */
const [root, licence] = JSON.parse(
  readFileSync(new URL('../../keys.example/signing-keys.json', import.meta.url), 'utf8'),
) as [SigningKeyRecord, SigningKeyRecord];
/** The institution's next key, whose kid starts with the same 8 characters (a QR hint matches both). */
const nextLicence: SigningKeyRecord = {
  ...licence,
  kid: `${licence.kid.slice(0, 8)}${'n'.repeat(35)}`,
  createdAt: '2026-06-01T00:00:00.000Z',
};
const trustList: SigningKeyRecord = {
  ...root,
  kid: 'trust-list-key-of-the-example-root-0000000',
  purpose: 'trust-list',
  issuerKid: root.kid,
  createdAt: '2026-01-02T00:00:00.000Z',
};

const sealedOf = (kid: string): EncryptedKeyFile =>
  ({ kid, kdf: 'scrypt', ciphertext: `sealed ${kid}` }) as unknown as EncryptedKeyFile;

/** Two connections to one fresh database of the test engine (a SQLite file; a PostgreSQL copy). */
async function twoConnections(): Promise<{ a: Sql; b: Sql; close(): void }> {
  if (testEngine === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'bc-keys-'));
    const file = path.join(dir, 'service.sqlite');
    const a = sqliteSql(openDatabase(file));
    const b = sqliteSql(openDatabase(file));
    return {
      a,
      b,
      close() {
        a.close();
        b.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = await copyOfDatabase(PG_TEMPLATE);
  const a = postgresSql(url);
  const b = postgresSql(url);
  return {
    a,
    b,
    close() {
      a.close();
      b.close();
    },
  };
}

describe(`the key register on ${testEngine}`, () => {
  let sql: Sql;
  beforeEach(async () => {
    sql = await openTestSql();
  });
  afterEach(() => sql.close());

  it('stores key records and finds them by kid, QR hint, purpose and the active key', () => {
    const register = createSigningKeyRepository(sql);
    for (const record of [root, licence, trustList]) register.insert(record);
    expect(register.get(licence.kid)).toEqual(licence);
    expect(register.get('absent')).toBeNull();
    expect(register.active('root')).toEqual(root);
    expect(register.active('licence', licence.institutionCreditCode!)).toEqual(licence);
    expect(register.active('licence')).toBeNull();
    expect(register.active('trust-list', 'another institution')).toBeNull();

    register.transaction(() => {
      register.retire(licence.kid, '2026-06-01T00:00:00.000Z');
      register.insert(nextLicence);
    });
    expect(register.active('licence', licence.institutionCreditCode!)?.kid).toBe(nextLicence.kid);
    expect(register.findByKid(licence.kid.slice(0, 8)).map((r) => r.kid)).toEqual(
      [licence.kid, nextLicence.kid].sort(),
    );
    expect(register.findByKid(nextLicence.kid).map((r) => r.kid)).toEqual([nextLicence.kid]);
    expect(register.list().map((r) => r.kid)).toEqual([
      ...[root.kid, licence.kid].sort(),
      trustList.kid,
      nextLicence.kid,
    ]);
    expect(register.list('licence').map((r) => [r.kid, r.status, r.retiredAt])).toEqual([
      [licence.kid, 'retired', '2026-06-01T00:00:00.000Z'],
      [nextLicence.kid, 'active', null],
    ]);
    // Retiring is for the active key only: a second retirement keeps the first instant.
    register.retire(licence.kid, '2026-07-01T00:00:00.000Z');
    expect(register.get(licence.kid)?.retiredAt).toBe('2026-06-01T00:00:00.000Z');

    register.revoke(licence.kid, '2026-05-01T00:00:00.000Z', 'keyCompromise');
    expect(register.get(licence.kid)).toMatchObject({
      status: 'revoked',
      revokedAt: '2026-05-01T00:00:00.000Z',
      revocationReason: 'keyCompromise',
    });
    register.replaceCertificate(root.kid, 'another PEM');
    expect(register.get(root.kid)).toEqual({ ...root, x509Pem: 'another PEM' });
  });

  it('moves its change mark with every write, not with reads, and not with a write rolled back', () => {
    const register = createSigningKeyRepository(sql);
    const marks = [register.changeMark()];
    register.insert(root);
    marks.push(register.changeMark());
    register.get(root.kid);
    register.list();
    expect(register.changeMark()).toBe(marks[1]);
    register.insert(licence);
    marks.push(register.changeMark());
    register.retire(licence.kid, '2026-06-01T00:00:00.000Z');
    marks.push(register.changeMark());
    register.revoke(licence.kid, '2026-06-02T00:00:00.000Z', 'superseded');
    marks.push(register.changeMark());
    register.replaceCertificate(root.kid, 'another PEM');
    marks.push(register.changeMark());
    expect(new Set(marks).size).toBe(6);

    expect(() =>
      register.transaction(() => {
        register.revoke(root.kid, '2026-06-03T00:00:00.000Z', 'cACompromise');
        throw new Error('the audit event failed');
      }),
    ).toThrow('the audit event failed');
    expect(register.changeMark()).toBe(marks[5]);
    expect(register.get(root.kid)?.status).toBe('active');
  });

  it('keeps sealed keys write-once; only a root key may leave', () => {
    const vault = createSqlSealedKeyVault(sql);
    const register = createSigningKeyRepository(sql);
    for (const record of [root, licence]) register.insert(record);
    expect(vault.kids()).toEqual([]);
    expect(vault.write(sealedOf(root.kid), '2026-01-01T00:00:00.000Z')).toBe(true);
    expect(vault.write(sealedOf(licence.kid), '2026-01-01T00:00:00.000Z')).toBe(true);
    expect(vault.write({ ...sealedOf(licence.kid), ciphertext: 'another' }, '2026-02-01T00:00:00.000Z')).toBe(false);
    expect(vault.read(licence.kid)).toEqual(sealedOf(licence.kid));
    expect(vault.read('absent')).toBeNull();
    expect(vault.kids()).toEqual([root.kid, licence.kid].sort());

    // The database itself refuses an edit (migration 018's triggers on either engine).
    expect(() =>
      sql.run(sql.db.updateTable('sealed_keys').set({ sealed: '[]' }).where('kid', '=', licence.kid)),
    ).toThrow('sealed keys are write-once');
    expect(() => vault.removeRoot(licence.kid)).toThrow('sealed keys are write-once');
    vault.removeRoot(root.kid);
    expect(vault.kids()).toEqual([licence.kid]);
  });

  it('keeps the root’s CRLs in order and hands back the latest as written', () => {
    const crls = createSqlCrlStore(sql);
    expect(crls.latest()).toBeNull();
    const crl = (number: number) => ({
      number,
      der: new Uint8Array([0x30, 0x03, 0x02, 0x01, number, 0x00, 0xff]),
      thisUpdate: `2026-0${number}-01T00:00:00.000Z`,
      nextUpdate: `2026-0${number}-08T00:00:00.000Z`,
      revocations: number === 1 ? '' : `${licence.kid}@2026-05-01T00:00:00.000Z`,
    });
    crls.insert(crl(1));
    crls.insert(crl(2));
    expect(crls.latest()).toEqual(crl(2));
    expect(() => crls.insert(crl(2))).toThrow(/unique|UNIQUE|duplicate/);
  });
});

describe(`two connections to one key register on ${testEngine}`, () => {
  it('sees a rotation and a revocation made through the other connection', async () => {
    const { a, b, close } = await twoConnections();
    try {
      const here = createSigningKeyRepository(a);
      const there = createSigningKeyRepository(b);
      for (const record of [root, licence]) here.insert(record);
      const before = there.changeMark();
      expect(there.active('licence', licence.institutionCreditCode!)?.kid).toBe(licence.kid);

      here.transaction(() => {
        here.retire(licence.kid, '2026-06-01T00:00:00.000Z');
        here.insert(nextLicence);
      });
      const rotated = there.changeMark();
      expect(rotated).not.toBe(before);
      expect(there.active('licence', licence.institutionCreditCode!)?.kid).toBe(nextLicence.kid);

      here.revoke(nextLicence.kid, '2026-06-02T00:00:00.000Z', 'keyCompromise');
      expect(there.changeMark()).not.toBe(rotated);
      expect(there.get(nextLicence.kid)?.status).toBe('revoked');
      // And the other way round: both connections agree on the mark once nothing is in flight.
      there.revoke(licence.kid, '2026-06-03T00:00:00.000Z', 'superseded');
      expect(here.changeMark()).toBe(there.changeMark());
    } finally {
      close();
    }
  });
});
