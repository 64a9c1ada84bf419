/**
 * Test kit for trust, signing and verification: sample e-licences (ordinary and worst case)
 * and a throw-away trust domain in a temporary directory with an in-memory database.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SealedKeyStore } from '../../src/adapters/keystore/sealed-key-store.ts';
import { createSigningKeyRepository } from '../../src/adapters/keystore/signing-key-repository.ts';
import { nodeX509 } from '../../src/adapters/pki/node-x509.ts';
import { createSqlSealedKeyVault } from '../../src/adapters/sql/sealed-key-vault.ts';
import { sqliteSql } from '../../src/adapters/sql/sqlite-sql.ts';
import { migrate } from '../../src/adapters/sqlite/database.ts';
import type { ELicencePayload, Institution } from '../../src/domain/certificate.ts';
import type { SigningKey } from '../../src/domain/ports.ts';
import type { KeyRegister, X509Tools } from '../../src/domain/trust/ports.ts';
import { provisionRootCa } from '../../src/domain/trust/provision-root-ca.ts';
import {
  provisionInstitutionKey,
  provisionStatusListSigner,
  provisionTrustListSigner,
} from '../../src/domain/trust/provision-signing-key.ts';

export const TYPE_CODE = '11100000000013338W001';
export const HOSPITAL_A: Institution = { name: '广州市妇女儿童医疗中心', creditCode: '12440100455361428Y' };
export const HOSPITAL_B: Institution = { name: '广东省妇幼保健院', creditCode: '124400004558586204' };

/** ISO/IEC 7064 MOD 37,36 check character (DOMAIN.md). */
export function mod3736(text: string): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let p = 36;
  for (const character of text) {
    p = (p + alphabet.indexOf(character)) % 36;
    if (p === 0) p = 36;
    p = (2 * p) % 37;
  }
  return alphabet[(37 - p) % 36]!;
}

export function licenceId(creditCode: string, serial: string, version = '001', typeCode = TYPE_CODE): string {
  return `1.2.156.3005.2.${typeCode}.${creditCode}.${serial}.${version}.${mod3736(typeCode + creditCode + serial + version)}`;
}

export interface SampleOptions {
  certificateNo?: string;
  institution?: Institution;
  newbornName?: string;
  motherName?: string;
  birthTime?: string;
  issueDate?: string;
  serial?: string;
  status?: { idx: number; uri: string };
}

/** The status list place sample licences carry unless told otherwise. */
export const SAMPLE_STATUS = { idx: 4711, uri: 'https://bc.example.cn/api/v1/status-lists/1' };

export function sampleLicence(options: SampleOptions = {}): ELicencePayload {
  const status = options.status ?? SAMPLE_STATUS;
  return { ...sampleLicenceItems(options), status: { status_list: { idx: status.idx, uri: status.uri } } };
}

function sampleLicenceItems(options: SampleOptions): Omit<ELicencePayload, 'status'> {
  const institution = options.institution ?? HOSPITAL_A;
  const issuer = { ...institution, divisionCode: '440104' };
  const id = licenceId(institution.creditCode, options.serial ?? 'K7Q2M9X4B1C8D5E3F6G0');
  const newbornName = options.newbornName ?? '李沐阳';
  const issueDate = options.issueDate ?? '2026-11-21';
  return {
    licence: {
      id,
      name: '出生医学证明',
      typeCode: TYPE_CODE,
      issuer,
      issueDate,
      validUntil: null,
      holder: { name: newbornName },
      version: '001',
      supersedes: null,
    },
    certificate: {
      certificateNo: options.certificateNo ?? 'Q440000001',
      newborn: {
        name: newbornName,
        sex: '1',
        birthTime: options.birthTime ?? '2026-11-20T08:31+08:00',
        gestation: { weeks: 39, days: 2 },
        weightGrams: 3350,
        lengthCm: 50.5,
        health: '1',
      },
      birthPlace: { divisionCode: '440104' },
      birthPlaceCategory: '1',
      deliveryInstitution: { ...institution },
      mother: {
        name: options.motherName ?? '王晓红',
        age: 29,
        nationality: 'CHN',
        ethnicity: '01',
        address: '广东省广州市越秀区人民中路 318 号',
        idType: '01',
        idNumber: '11010519491231002X',
      },
      father: null,
      fatherAbsentReason: '未提供',
      issueDate,
      issuer,
    },
  };
}

/** The largest QR input the schema allows: 50-character names of 4-byte (CJK Ext-B) characters, etc. */
export function worstCaseLicence(): ELicencePayload {
  return sampleLicence({
    newbornName: '𠮷'.repeat(50),
    motherName: '𪚥'.repeat(50),
    // A non-default offset and an issue date far from the signing day both cost extra labels.
    birthTime: '1999-12-31T23:59-12:00',
    issueDate: '2000-01-01',
    serial: 'ZZZZZZZZZZZZZZZZZZZZ',
    certificateNo: 'Z999999999',
  });
}

export interface TestDomain {
  directory: string;
  db: Database.Database;
  register: KeyRegister;
  keyStore: SealedKeyStore;
  x509: X509Tools;
  keyA: SigningKey;
  keyB: SigningKey;
  close(): void;
}

export const migrationSql = () =>
  readFileSync(new URL('../../src/adapters/sqlite/migrations/002-signing-keys.sql', import.meta.url), 'utf8');

/** Root CA, trust-list and status-list signers and one signing key per sample hospital, all fresh. */
export async function createTestDomain(now = new Date('2026-01-01T00:00:00Z')): Promise<TestDomain> {
  const directory = mkdtempSync(path.join(tmpdir(), 'trust-test-'));
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  const register = createSigningKeyRepository(sqliteSql(db));
  const keyStore = SealedKeyStore.open({
    vault: createSqlSealedKeyVault(sqliteSql(db)),
    passphrase: 'test passphrase',
    register,
    environment: 'test',
    clock: { now: () => now },
    scryptLog2N: 10,
  });
  const request = { keyStore, register, x509: nodeX509, now };
  await provisionRootCa({ ...request, commonName: '出生医学证明电子证照测试根CA', organization: '测试卫生健康委员会' });
  await provisionTrustListSigner(request);
  await provisionStatusListSigner(request);
  const keyA = await provisionInstitutionKey({ ...request, institution: HOSPITAL_A });
  const keyB = await provisionInstitutionKey({ ...request, institution: HOSPITAL_B });
  return {
    directory,
    db,
    register,
    keyStore,
    x509: nodeX509,
    keyA,
    keyB,
    close() {
      db.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
