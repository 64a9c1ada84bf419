/**
 * The fixed trust domain of the known-answer vectors. TEST ONLY: its private keys are committed
 * in tests/vectors/keys/ (encrypted with the published passphrase "test-vectors-only") and are
 * on the key store's refusal list. Created once; later runs load it.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  decryptPrivateKey,
  type EncryptedKeyFile,
  encryptPrivateKey,
} from '../../src/adapters/keystore/encrypted-key-file.ts';
import type { SigningKeyRecord } from '../../src/domain/trust/ports.ts';
import { createRootX509 } from '../../src/adapters/pki/create-root-x509.ts';
import { jwkThumbprint, publicJwkOf } from '../../src/adapters/pki/ec-jwk.ts';
import { issueLeafX509 } from '../../src/adapters/pki/issue-leaf-x509.ts';
import { x509 } from '../../src/adapters/pki/x509-signer.ts';
import type { Institution } from '../../src/domain/certificate.ts';

export const VECTOR_KEY_PASSPHRASE = 'test-vectors-only';
export const keysDirectory = path.join(path.dirname(fileURLToPath(import.meta.url)), 'keys');
const domainFile = path.join(keysDirectory, 'domain.json');

export const HOSPITAL_A: Institution = { name: '广州市妇女儿童医疗中心', creditCode: '12440100455361428Y' };
export const HOSPITAL_B: Institution = { name: '广东省妇幼保健院', creditCode: '124400004558586204' };

/** The timeline every vector is judged against. */
export const TIMELINE = {
  domainCreated: '2025-01-01T00:00:00Z',
  /** Hospital A rotates its key: the old one retires, a new one starts. */
  rotation: '2026-03-01T00:00:00Z',
  /** Hospital B's key is revoked from this instant (suspected compromise). */
  revocation: '2026-06-01T00:00:00Z',
  /** "Now" for every vector. */
  now: '2026-12-01T00:00:00Z',
} as const;

export interface FixtureDomain {
  /** Rows as the key register holds them: root, trust-list signer, A (old, retired), A, B (revoked). */
  records: SigningKeyRecord[];
  kids: {
    root: string;
    trustList: string;
    /** Added with status lists (issue 9): the status-list signer under the same root. */
    statusList?: string;
    aOld: string;
    a: string;
    b: string;
    stray: string;
    otherRoot: string;
    impostor: string;
  };
  /** A root nobody trusts, and an "institution A" certificate under it. */
  untrusted: { rootPem: string; impostorPem: string };
  privateKeys: Map<string, KeyObject>;
}

interface StoredDomain extends Omit<FixtureDomain, 'privateKeys'> {}

const signerOf = (key: KeyObject) => async (data: Uint8Array) =>
  new Uint8Array(sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }));

function record(
  key: KeyObject,
  purpose: SigningKeyRecord['purpose'],
  pem: string,
  extra: Partial<SigningKeyRecord>,
): SigningKeyRecord {
  const certificate = new x509.X509Certificate(pem);
  return {
    kid: jwkThumbprint(publicJwkOf(key)),
    purpose,
    institutionCreditCode: null,
    institutionName: null,
    publicJwk: publicJwkOf(key),
    x509Pem: pem,
    issuerKid: null,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    status: 'active',
    createdAt: certificate.notBefore.toISOString(),
    retiredAt: null,
    revokedAt: null,
    revocationReason: null,
    ...extra,
  };
}

async function createDomain(): Promise<FixtureDomain> {
  const newKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const [rootKey, trustListKey, aOldKey, aKey, bKey, strayKey, otherRootKey, impostorKey] = Array.from({ length: 8 }, newKey);
  const start = new Date(TIMELINE.domainCreated);
  const rotation = new Date(TIMELINE.rotation);
  const rootPem = await createRootX509({
    commonName: '出生医学证明电子证照测试根CA（仅供测试）',
    organization: '测试卫生健康委员会',
    publicJwk: publicJwkOf(rootKey!),
    notBefore: start,
    sign: signerOf(rootKey!),
  });
  const rootKid = jwkThumbprint(publicJwkOf(rootKey!));
  const leaf = (key: KeyObject, institution: Institution | null, notBefore: Date, issuerPem = rootPem, issuerKey = rootKey!) =>
    issueLeafX509({
      profile: institution ? 'elicence-signing' : 'trust-list-signing',
      subject: institution
        ? { commonName: institution.name, organization: institution.name, creditCode: institution.creditCode }
        : { commonName: '出生医学证明电子证照信任列表签名（仅供测试）', organization: '测试卫生健康委员会' },
      publicJwk: publicJwkOf(key),
      notBefore,
      issuerX509Pem: issuerPem,
      sign: signerOf(issuerKey),
    });
  const institutionOf = (institution: Institution) => ({
    institutionCreditCode: institution.creditCode,
    institutionName: institution.name,
    issuerKid: rootKid,
  });
  const records = [
    record(rootKey!, 'root', rootPem, {}),
    record(trustListKey!, 'trust-list', await leaf(trustListKey!, null, start), { issuerKid: rootKid }),
    record(aOldKey!, 'licence', await leaf(aOldKey!, HOSPITAL_A, start), {
      ...institutionOf(HOSPITAL_A),
      status: 'retired',
      retiredAt: new Date(TIMELINE.rotation).toISOString(),
    }),
    record(aKey!, 'licence', await leaf(aKey!, HOSPITAL_A, rotation), institutionOf(HOSPITAL_A)),
    record(bKey!, 'licence', await leaf(bKey!, HOSPITAL_B, start), {
      ...institutionOf(HOSPITAL_B),
      status: 'revoked',
      revokedAt: new Date(TIMELINE.revocation).toISOString(),
      revocationReason: 'keyCompromise (test vector)',
    }),
  ];
  const otherRootPem = await createRootX509({
    commonName: '某不可信根CA（仅供测试）',
    organization: '不可信机构',
    publicJwk: publicJwkOf(otherRootKey!),
    notBefore: start,
    sign: signerOf(otherRootKey!),
  });
  const kid = (key: KeyObject) => jwkThumbprint(publicJwkOf(key));
  return {
    records,
    kids: {
      root: rootKid,
      trustList: kid(trustListKey!),
      aOld: kid(aOldKey!),
      a: kid(aKey!),
      b: kid(bKey!),
      stray: kid(strayKey!),
      otherRoot: kid(otherRootKey!),
      impostor: kid(impostorKey!),
    },
    untrusted: {
      rootPem: otherRootPem,
      impostorPem: await leaf(impostorKey!, HOSPITAL_A, start, otherRootPem, otherRootKey!),
    },
    privateKeys: new Map([rootKey, trustListKey, aOldKey, aKey, bKey, strayKey, otherRootKey, impostorKey].map((key) => [kid(key!), key!])),
  };
}

function save(domain: FixtureDomain): void {
  mkdirSync(keysDirectory, { recursive: true });
  for (const [kid, key] of domain.privateKeys) {
    const file = encryptPrivateKey(key, VECTOR_KEY_PASSPHRASE, 10);
    writeFileSync(path.join(keysDirectory, `${kid}.key`), `${JSON.stringify(file, null, 2)}\n`, { flag: 'wx' });
  }
  const { privateKeys: _omitted, ...stored } = domain;
  writeFileSync(domainFile, `${JSON.stringify(stored, null, 2)}\n`, { flag: 'wx' });
}

export function loadFixtureDomain(): FixtureDomain {
  const stored = JSON.parse(readFileSync(domainFile, 'utf8')) as StoredDomain;
  const privateKeys = new Map<string, KeyObject>();
  for (const kid of Object.values(stored.kids)) {
    const file = JSON.parse(readFileSync(path.join(keysDirectory, `${kid}.key`), 'utf8')) as EncryptedKeyFile;
    privateKeys.set(kid, decryptPrivateKey(file, VECTOR_KEY_PASSPHRASE, kid));
  }
  return { ...stored, privateKeys };
}

/** Loads the committed fixture domain, creating it only if it has never been made. */
export async function fixtureDomain(): Promise<FixtureDomain> {
  if (existsSync(domainFile)) return addStatusListSigner(loadFixtureDomain());
  const domain = await createDomain();
  save(domain);
  return addStatusListSigner(domain);
}

/**
 * A domain made before status lists gets its status-list signer once, certified by the same
 * root; the other keys (and every vector signed with them) stay as they were.
 */
async function addStatusListSigner(domain: FixtureDomain): Promise<FixtureDomain> {
  if (domain.kids.statusList) return domain;
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const root = domain.records.find((candidate) => candidate.purpose === 'root')!;
  const pem = await issueLeafX509({
    profile: 'status-list-signing',
    subject: { commonName: '出生医学证明电子证照状态列表签名（仅供测试）', organization: '测试卫生健康委员会' },
    publicJwk: publicJwkOf(key),
    notBefore: new Date(TIMELINE.domainCreated),
    issuerX509Pem: root.x509Pem,
    sign: signerOf(domain.privateKeys.get(root.kid)!),
  });
  const kid = jwkThumbprint(publicJwkOf(key));
  const extended: FixtureDomain = {
    ...domain,
    records: [...domain.records, record(key, 'status-list', pem, { issuerKid: root.kid })],
    kids: { ...domain.kids, statusList: kid },
    privateKeys: new Map([...domain.privateKeys, [kid, key]]),
  };
  const file = encryptPrivateKey(key, VECTOR_KEY_PASSPHRASE, 10);
  writeFileSync(path.join(keysDirectory, `${kid}.key`), `${JSON.stringify(file, null, 2)}\n`, { flag: 'wx' });
  const { privateKeys: _omitted, ...stored } = extended;
  writeFileSync(domainFile, `${JSON.stringify(stored, null, 2)}\n`);
  return extended;
}
