/**
 * Test helpers for the PDF adapter: fixture records mapped to CertificateViews with a small code
 * table of our own (the real tables belong to the domain), a throw-away PKI and an in-memory
 * KeyStore, and QR / signed-JSON texts signed with it.
 */
import 'reflect-metadata';
import { createHash, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as x509 from '@peculiar/x509';
import type { CertificateView, ParentView } from '../../src/adapters/pdf/certificate-view.ts';
import type { Certificate, Parent } from '../../src/domain/certificate.ts';
import type { KeyStore, SigningKey } from '../../src/domain/ports.ts';

x509.cryptoProvider.set(globalThis.crypto);

type FixtureRecord = Omit<Certificate, 'certificateNo' | 'issueDate' | 'issuer' | 'deliveryInstitution'> & {
  case: string;
};

const SEX: Record<string, string> = { '1': '男', '2': '女' };
const HEALTH: Record<string, string> = { '1': '良好', '2': '一般', '3': '差' };
const NATIONALITY: Record<string, string> = {
  CHN: '中国',
  HKG: '中国(香港)',
  MAC: '中国(澳门)',
  TWN: '中国(台湾)',
  USA: '美国',
};
const ETHNICITY: Record<string, string> = { '01': '汉族', '04': '藏族', '05': '维吾尔族', '07': '彝族', '08': '壮族' };
const ID_TYPE: Record<string, string> = { '01': '居民身份证', '03': '护照', '06': '港澳居民来往内地通行证' };
const CATEGORY: Record<string, string> = { '1': '医院', '2': '妇幼保健院', '3': '家庭', '9': '其他' };
const DIVISIONS: Record<string, { province: string; city: string; county: string; issuer: string }> = {
  '440106': { province: '广东省', city: '广州市', county: '天河区', issuer: '广州市天河区妇幼保健院' },
  '110105': { province: '北京市', city: '市辖区', county: '朝阳区', issuer: '北京市朝阳区妇幼保健院' },
  '650102': { province: '新疆维吾尔自治区', city: '乌鲁木齐市', county: '天山区', issuer: '新疆维吾尔自治区人民医院' },
  '540102': { province: '西藏自治区', city: '拉萨市', county: '城关区', issuer: '西藏自治区人民医院' },
  '310115': { province: '上海市', city: '市辖区', county: '浦东新区', issuer: '上海市浦东新区人民医院' },
  '530102': { province: '云南省', city: '昆明市', county: '五华区', issuer: '昆明市五华区妇幼保健院' },
};

function lookup(table: Record<string, string>, code: string): string {
  const text = table[code];
  if (text === undefined) throw new Error(`No display text for code ${code} in the test table`);
  return text;
}

export function fixtureRecords(): FixtureRecord[] {
  const file = path.resolve(import.meta.dirname, '../fixtures/records.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { records: FixtureRecord[] }).records;
}

function parentView(parent: Parent): ParentView {
  return {
    name: parent.name,
    age: parent.age,
    nationality: lookup(NATIONALITY, parent.nationality),
    ethnicity: parent.ethnicity === null ? null : lookup(ETHNICITY, parent.ethnicity),
    address: parent.address,
    idType: lookup(ID_TYPE, parent.idType),
    idNumber: parent.idNumber,
  };
}

/** The view the lifecycle code would derive for fixture record `index`. */
export function fixtureView(index: number): CertificateView {
  const record = fixtureRecords()[index];
  if (!record) throw new Error(`No fixture record ${index}`);
  const division = DIVISIONS[record.birthPlace.divisionCode];
  if (!division) throw new Error(`No division ${record.birthPlace.divisionCode} in the test table`);
  const inInstitution = record.birthPlaceCategory === '1' || record.birthPlaceCategory === '2';
  return {
    certificateNo: `Q${record.birthPlace.divisionCode.slice(0, 2)}${String(index + 1).padStart(7, '0')}`,
    newborn: {
      name: record.newborn.name,
      sex: lookup(SEX, record.newborn.sex),
      birthTime: record.newborn.birthTime,
      gestation: record.newborn.gestation,
      weightGrams: record.newborn.weightGrams,
      lengthCm: record.newborn.lengthCm,
      health: lookup(HEALTH, record.newborn.health),
    },
    birthPlace: { province: division.province, city: division.city, county: division.county },
    birthPlaceCategory: lookup(CATEGORY, record.birthPlaceCategory),
    deliveryInstitution: inInstitution ? division.issuer : null,
    mother: parentView(record.mother),
    father: record.father ? parentView(record.father) : null,
    issueDate: '2026-11-20',
    issuer: { name: division.issuer },
  };
}

/** A view at every length limit: 50-character names, 100-character addresses, long institutions. */
export function longestView(): CertificateView {
  const view = fixtureView(2);
  const name50 = '阿依努尔·吐尔逊'.repeat(7).slice(0, 50);
  const address100 = '新疆维吾尔自治区乌鲁木齐市天山区解放南路12号院3号楼2单元1101室'.repeat(3).slice(0, 100);
  const parent = (p: ParentView): ParentView => ({
    ...p,
    name: name50,
    address: address100,
    idType: '港澳居民来往内地通行证',
  });
  return {
    ...view,
    newborn: { ...view.newborn, name: name50 },
    birthPlace: { province: '新疆维吾尔自治区', city: '克孜勒苏柯尔克孜自治州', county: '阿合奇县' },
    birthPlaceCategory: `其他（${'乘坐前往乌鲁木齐的旅客列车途中'.repeat(3)}）`,
    deliveryInstitution: '新疆维吾尔自治区克孜勒苏柯尔克孜自治州阿合奇县人民医院妇产科分院（附属妇幼保健中心）',
    mother: parent(view.mother),
    father: parent(view.father!),
    issuer: { name: '新疆维吾尔自治区克孜勒苏柯尔克孜自治州阿合奇县人民医院妇产科分院（附属妇幼保健中心）' },
  };
}

// ---- e-licence identifier (DOMAIN.md: ISO/IEC 7064 MOD 37,36) ----

function mod3736(text: string): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let p = 36;
  for (const ch of text) {
    p = (p + alphabet.indexOf(ch)) % 36;
    if (p === 0) p = 36;
    p = (2 * p) % 37;
  }
  return alphabet[(37 - p) % 36]!;
}

export function licenceIdFor(serial: string): string {
  const typeCode = '11100000000013338W032';
  const issuerCode = '12440106455411236X';
  const version = '001';
  return `1.2.156.3005.2.${typeCode}.${issuerCode}.${serial}.${version}.${mod3736(typeCode + issuerCode + serial + version)}`;
}

// ---- throw-away PKI and key store ----

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ES256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

export interface TestPki {
  rootPem: string;
  rootDer: Uint8Array;
  keyStore: KeyStore;
  signingKey: SigningKey;
}

async function thumbprint(key: webcrypto.CryptoKey) {
  const jwk = (await webcrypto.subtle.exportKey('jwk', key)) as { crv: string; kty: string; x: string; y: string };
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return { kid: createHash('sha256').update(canonical).digest('base64url'), jwk };
}

/** A root and one institution certificate (UTF-8 Chinese O/CN), and a KeyStore holding its key. */
export async function createTestPki(
  institution = '广州市天河区妇幼保健院',
  creditCode = '12440106455411236X',
): Promise<TestPki> {
  const rootKeys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const notBefore = new Date(now - 86_400_000);
  const notAfter = new Date(now + 3650 * 86_400_000);
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'C=CN, O=测试卫生健康委员会, CN=出生医学证明测试根证书',
    notBefore,
    notAfter,
    keys: rootKeys,
    signingAlgorithm: ES256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: '1001',
    subject: `C=CN, O=${institution}, CN=${institution} 出生医学证明签发`,
    issuer: root.subject,
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey: rootKeys.privateKey,
    signingAlgorithm: ES256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const { kid, jwk } = await thumbprint(keys.publicKey);
  const signingKey: SigningKey = {
    kid,
    institutionCreditCode: creditCode,
    x5c: [Buffer.from(leaf.rawData).toString('base64')],
    publicJwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y },
  };
  const keyStore: KeyStore = {
    activeKey: () => signingKey,
    async sign(requested, data) {
      if (requested !== kid) throw new Error(`Unknown kid ${requested}`);
      return new Uint8Array(await webcrypto.subtle.sign(ES256, keys.privateKey, data));
    },
  };
  return { rootPem: root.toString('pem'), rootDer: new Uint8Array(root.rawData), keyStore, signingKey };
}

const b64url = (data: Uint8Array | string) => Buffer.from(data).toString('base64url');

/** Claims of about the size the QR carries (API.md: ≤ version 13, about 300 characters in all). */
function qrClaims(view: CertificateView, licenceId: string) {
  return {
    no: view.certificateNo,
    lid: licenceId.split('.').slice(-3).join('.'),
    t: view.newborn.birthTime.slice(0, 16),
    s: view.newborn.sex === '男' ? '1' : '2',
    dig: createHash('sha256').update(view.certificateNo).digest('base64url').slice(0, 16),
  };
}

/** A compact ES256 JWS signed with the test key, as the QR carries. */
export async function signQrText(pki: TestPki, view: CertificateView, licenceId: string): Promise<string> {
  const header = b64url(JSON.stringify({ alg: 'ES256', kid: pki.signingKey.kid }));
  const payload = b64url(JSON.stringify(qrClaims(view, licenceId)));
  const signature = await pki.keyStore.sign(pki.signingKey.kid, new TextEncoder().encode(`${header}.${payload}`));
  return `${header}.${payload}.${b64url(signature)}`;
}

/** A flattened JWS JSON serialization of the whole view, standing in for signed.json. */
export async function signElicenceJson(pki: TestPki, view: CertificateView, licenceId: string): Promise<string> {
  const protectedHeader = b64url(JSON.stringify({ alg: 'ES256', kid: pki.signingKey.kid, x5c: pki.signingKey.x5c }));
  const payload = b64url(JSON.stringify({ licence: { id: licenceId, name: '出生医学证明' }, certificate: view }));
  const signature = await pki.keyStore.sign(
    pki.signingKey.kid,
    new TextEncoder().encode(`${protectedHeader}.${payload}`),
  );
  return JSON.stringify({ protected: protectedHeader, payload, signature: b64url(signature) });
}

/** Shifts every CJK ideograph of `text` to the next code point: wrong glyphs at the right places. */
export function corruptGlyphs(text: string): string {
  return [...text]
    .map((ch) => (/\p{Script=Han}/u.test(ch) ? String.fromCodePoint(ch.codePointAt(0)! + 1) : ch))
    .join('');
}

/**
 * A QR text of the real shape and length whose signature part is fixed bytes, so a render is
 * reproducible pixel for pixel (an ECDSA signature differs on every run).
 */
export function fixedQrText(view: CertificateView, licenceId: string): string {
  const header = b64url(JSON.stringify({ alg: 'ES256', kid: 'reference-kid-000000000000000000000000000' }));
  const payload = b64url(JSON.stringify(qrClaims(view, licenceId)));
  return `${header}.${payload}.${b64url(createHash('sha512').update(payload).digest())}`;
}
