import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SealedKeyStore } from '../../src/adapters/keystore/sealed-key-store.ts';
import { createSigningKeyRepository } from '../../src/adapters/keystore/signing-key-repository.ts';
import { nodeX509 } from '../../src/adapters/pki/node-x509.ts';
import { createSqlAuditLog } from '../../src/adapters/sql/audit-log.ts';
import { createSqlInstitutionRepository } from '../../src/adapters/sql/institution-repository.ts';
import { createSqlSealedKeyVault } from '../../src/adapters/sql/sealed-key-vault.ts';
import { sqliteSql } from '../../src/adapters/sql/sqlite-sql.ts';
import { openDatabase, type SqliteDatabase } from '../../src/adapters/sqlite/database.ts';
import type { AuditLog, Operator } from '../../src/domain/audit/audit-event.ts';
import {
  createInstitution,
  createRootCa,
  type KeyAdministration,
  type KeyAdministrator,
  revokeKey,
  rotateInstitutionKey,
} from '../../src/domain/trust/key-administration.ts';
import { HOSPITAL_A } from './pki-test-kit.ts';

const now = new Date('2026-06-01T00:00:00Z');
const operator: Operator = { username: 'cli', role: 'operator' };
const admin: KeyAdministrator = {
  role: 'admin',
  accountId: 1,
  username: 'demo-admin',
  institution: null,
  certificateNo: null,
};

let directory: string;
let db: SqliteDatabase;
let audit: ReturnType<typeof createSqlAuditLog>;
let ports: KeyAdministration;

beforeEach(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'key-administration-'));
  db = openDatabase(':memory:');
  audit = createSqlAuditLog(sqliteSql(db));
  const register = createSigningKeyRepository(sqliteSql(db));
  const keyStore = SealedKeyStore.open({
    vault: createSqlSealedKeyVault(sqliteSql(db)),
    passphrase: 'test passphrase',
    register,
    environment: 'test',
    clock: { now: () => now },
    scryptLog2N: 10,
  });
  const institutions = createSqlInstitutionRepository(sqliteSql(db));
  ports = { keyStore, register, x509: nodeX509, institutions, audit, clock: { now: () => now } };
  await createRootCa(ports, operator, {
    commonName: '出生医学证明电子证照测试根CA',
    organization: '测试卫生健康委员会',
  });
  await createInstitution(ports, operator, { ...HOSPITAL_A, divisionCode: '440104' });
});
afterEach(() => {
  db.close();
  rmSync(directory, { recursive: true, force: true });
});

const events = () => audit.list(100, 0).map(({ action, actor, role, target }) => ({ action, actor, role, target }));

/** The real audit log, which writes the event and then fails, as a full disk would after the write. */
const failingAfterWrite = (log: AuditLog): AuditLog => ({
  ...log,
  record(event, at) {
    log.record(event, at);
    throw new Error('the audit store failed');
  },
});

describe('key administration', () => {
  it('records one event per change, the same shape from the CLI and from the API', async () => {
    const first = ports.register.active('licence', HOSPITAL_A.creditCode)!;
    const rotated = await rotateInstitutionKey(ports, admin, HOSPITAL_A.creditCode);
    const revoked = revokeKey(ports, operator, { kid: first.kid, reason: 'keyCompromise', institutionKeysOnly: false });
    expect(revoked).toMatchObject({
      status: 'revoked',
      revokedAt: now.toISOString(),
      revocationReason: 'keyCompromise',
    });
    expect(events()).toEqual([
      { action: 'root-ca.created', actor: 'cli', role: 'operator', target: ports.register.active('root')!.kid },
      { action: 'institution.created', actor: 'cli', role: 'operator', target: HOSPITAL_A.creditCode },
      { action: 'signing-key.rotated', actor: 'demo-admin', role: 'admin', target: HOSPITAL_A.creditCode },
      { action: 'signing-key.revoked', actor: 'cli', role: 'operator', target: first.kid },
    ]);
    expect(audit.list(100, 0)[2]!.details).toEqual({ kid: rotated.kid });
    expect(audit.verify().intact).toBe(true);
  });

  it('leaves the register as it was when the rotation’s audit event cannot be written', async () => {
    const before = ports.register.list();
    await expect(
      rotateInstitutionKey({ ...ports, audit: failingAfterWrite(audit) }, admin, HOSPITAL_A.creditCode),
    ).rejects.toThrow('the audit store failed');
    expect(ports.register.list()).toEqual(before);
    expect(events().map((event) => event.action)).not.toContain('signing-key.rotated');
  });

  it('leaves the key trusted when the revocation’s audit event cannot be written', () => {
    const key = ports.register.active('licence', HOSPITAL_A.creditCode)!;
    expect(() =>
      revokeKey({ ...ports, audit: failingAfterWrite(audit) }, admin, {
        kid: key.kid,
        reason: 'keyCompromise',
        institutionKeysOnly: true,
      }),
    ).toThrow('the audit store failed');
    expect(ports.register.get(key.kid)).toEqual(key);
    expect(events().map((event) => event.action)).not.toContain('signing-key.revoked');
  });

  it('creates no institution when its audit event cannot be written', async () => {
    const creditCode = '124400004558586204';
    await expect(
      createInstitution({ ...ports, audit: failingAfterWrite(audit) }, operator, {
        creditCode,
        name: '广东省妇幼保健院',
        divisionCode: '440104',
      }),
    ).rejects.toThrow('the audit store failed');
    expect(ports.institutions.find(creditCode)).toBeNull();
    expect(ports.register.active('licence', creditCode)).toBeNull();
  });

  it('refuses through the API to revoke the root or the trust-list key, and a second institution of one code', async () => {
    const root = ports.register.active('root')!;
    expect(() => revokeKey(ports, admin, { kid: root.kid, reason: 'x', institutionKeysOnly: true })).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    await expect(createInstitution(ports, operator, { ...HOSPITAL_A, divisionCode: '440104' })).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_STATE' }),
    );
    expect(ports.register.get(root.kid)!.status).toBe('active');
  });
});
