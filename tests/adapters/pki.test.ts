import { generateKeyPairSync, type KeyObject, sign, X509Certificate } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkX509Chain } from '../../src/adapters/pki/check-x509-chain.ts';
import { createRootX509 } from '../../src/adapters/pki/create-root-x509.ts';
import { jwkThumbprint, publicJwkOf } from '../../src/adapters/pki/ec-jwk.ts';
import { issueLeafX509 } from '../../src/adapters/pki/issue-leaf-x509.ts';
import {
  EKU_DOCUMENT_SIGNING,
  EKU_EMAIL_PROTECTION,
  EKU_TSL_SIGNING,
  LEGACY_PROJECT_ARC,
} from '../../src/adapters/pki/oids.ts';
import { pemToX5c } from '../../src/adapters/pki/pem.ts';
import { x509 } from '../../src/adapters/pki/x509-signer.ts';

/** DER content octets of an OID (X.690 §8.19), for looking one up in a certificate. */
function oidDer(oid: string): Buffer {
  const [first, second, ...rest] = oid.split('.').map(BigInt);
  const bytes: number[] = [];
  for (const arc of [first! * 40n + second!, ...rest]) {
    const chunk = [Number(arc & 0x7fn)];
    for (let value = arc >> 7n; value > 0n; value >>= 7n) chunk.unshift(Number(value & 0x7fn) | 0x80);
    bytes.push(...chunk);
  }
  return Buffer.from([0x06, bytes.length, ...bytes]);
}

const newKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const signer = (key: KeyObject) => async (data: Uint8Array) =>
  new Uint8Array(sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }));
const notBefore = new Date('2026-01-01T00:00:00Z');
const hospital = {
  commonName: '广州市妇女儿童医疗中心',
  organization: '广州市妇女儿童医疗中心',
  creditCode: '12440100455361428Y',
};

async function makeRoot(key: KeyObject, commonName = '出生医学证明电子证照根CA') {
  return createRootX509({
    commonName,
    organization: '国家卫生健康委员会',
    publicJwk: publicJwkOf(key),
    notBefore,
    sign: signer(key),
  });
}

let rootKey: KeyObject;
let rootPem: string;
let leafKey: KeyObject;
let leafPem: string;

beforeAll(async () => {
  rootKey = newKey();
  rootPem = await makeRoot(rootKey);
  leafKey = newKey();
  leafPem = await issueLeafX509({
    profile: 'elicence-signing',
    subject: hospital,
    publicJwk: publicJwkOf(leafKey),
    notBefore,
    issuerX509Pem: rootPem,
    sign: signer(rootKey),
  });
});

describe('the root CA certificate', () => {
  it('is a self-signed P-256 CA for certificates and CRLs, 25 years, with a UTF-8 Chinese name', () => {
    const root = new x509.X509Certificate(rootPem);
    expect(root.subject).toBe('C=CN, O=国家卫生健康委员会, CN=出生医学证明电子证照根CA');
    expect(root.notAfter.toISOString()).toBe('2051-01-01T00:00:00.000Z');
    expect(root.getExtension(x509.BasicConstraintsExtension)).toMatchObject({
      ca: true,
      pathLength: 1,
      critical: true,
    });
    expect(root.getExtension(x509.KeyUsagesExtension)).toMatchObject({
      usages: x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
      critical: true,
    });
    const node = new X509Certificate(rootPem);
    expect(node.verify(node.publicKey) && node.checkIssued(node)).toBe(true);
    // Tag 0x0c = UTF8String, then the length and the UTF-8 bytes of the Chinese CN.
    const cn = Buffer.from('出生医学证明电子证照根CA');
    const utf8String = Buffer.concat([Buffer.from([0x0c, cn.length]), cn]);
    expect(Buffer.from(pemToX5c(rootPem), 'base64').includes(utf8String)).toBe(true);
  });
});

describe('an institution signing certificate', () => {
  it('names the institution and its credit code, signs only (no CA), for e-licences, 3 years', () => {
    const leaf = new x509.X509Certificate(leafPem);
    expect(leaf.subject).toBe(
      'C=CN, O=广州市妇女儿童医疗中心, 2.5.4.97=NTRCN-12440100455361428Y, CN=广州市妇女儿童医疗中心',
    );
    expect(leaf.issuer).toBe(new x509.X509Certificate(rootPem).subject);
    expect(leaf.notAfter.toISOString()).toBe('2029-01-01T00:00:00.000Z');
    expect(leaf.getExtension(x509.BasicConstraintsExtension)).toMatchObject({ ca: false, critical: true });
    expect(leaf.getExtension(x509.KeyUsagesExtension)).toMatchObject({
      usages: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
      critical: true,
    });
    // RFC 9336 document signing; no OID of the private 2.25 arc that GnuTLS and python refuse.
    expect(new X509Certificate(leafPem).keyUsage).toEqual([EKU_DOCUMENT_SIGNING, EKU_EMAIL_PROTECTION]);
    expect(Buffer.from(pemToX5c(leafPem), 'base64').includes(oidDer(`${LEGACY_PROJECT_ARC}.1`).subarray(0, 12))).toBe(
      false,
    );
    const ski = new x509.X509Certificate(rootPem).getExtension(x509.SubjectKeyIdentifierExtension)!.keyId;
    expect(leaf.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId).toBe(ski);
    expect(leaf.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId).toMatch(/^[0-9a-f]{40}$/);
  });

  it('never outlives its root', async () => {
    const pem = await issueLeafX509({
      profile: 'elicence-signing',
      subject: hospital,
      publicJwk: publicJwkOf(newKey()),
      notBefore: new Date('2049-06-01T00:00:00Z'),
      issuerX509Pem: rootPem,
      sign: signer(rootKey),
    });
    expect(new x509.X509Certificate(pem).notAfter.toISOString()).toBe('2051-01-01T00:00:00.000Z');
  });
});

describe('checkX509Chain', () => {
  it('accepts the chain and returns key, thumbprint, validity and institution', async () => {
    const checked = checkX509Chain([pemToX5c(leafPem)], pemToX5c(rootPem), 'elicence-signing');
    expect(checked).toEqual({
      ok: true,
      leaf: {
        kid: jwkThumbprint(publicJwkOf(leafKey)),
        publicJwk: publicJwkOf(leafKey),
        notBefore,
        notAfter: new Date('2029-01-01T00:00:00Z'),
        organization: '广州市妇女儿童医疗中心',
        creditCode: '12440100455361428Y',
      },
    });
    // The root may be sent along at the end of x5c.
    expect(checkX509Chain([pemToX5c(leafPem), pemToX5c(rootPem)], pemToX5c(rootPem), 'elicence-signing').ok).toBe(true);
  });

  it('names the problem of every chain it refuses', async () => {
    const otherRootKey = newKey();
    const otherRoot = await makeRoot(otherRootKey, '出生医学证明电子证照根CA');
    const trustListSigner = await issueLeafX509({
      profile: 'trust-list-signing',
      subject: { commonName: '信任列表签名', organization: '国家卫生健康委员会' },
      publicJwk: publicJwkOf(newKey()),
      notBefore,
      issuerX509Pem: rootPem,
      sign: signer(rootKey),
    });
    expect(new X509Certificate(trustListSigner).keyUsage).toEqual([EKU_TSL_SIGNING]);
    const root = pemToX5c(rootPem);
    const problem = (
      x5c: string[],
      profile: 'elicence-signing' | 'trust-list-signing' = 'elicence-signing',
      anchor = root,
    ) => {
      const checked = checkX509Chain(x5c, anchor, profile);
      return checked.ok ? 'ok' : checked.problem;
    };
    expect(problem([pemToX5c(leafPem)], 'elicence-signing', pemToX5c(otherRoot))).toBe('NOT_ISSUED_BY_ROOT');
    expect(problem([pemToX5c(trustListSigner)])).toBe('WRONG_EXTENDED_KEY_USAGE');
    expect(problem([pemToX5c(trustListSigner)], 'trust-list-signing')).toBe('ok');
    expect(problem([pemToX5c(leafPem)], 'trust-list-signing')).toBe('WRONG_EXTENDED_KEY_USAGE');
    expect(problem([root])).toBe('LEAF_IS_CA');
    expect(problem(['not base64!'])).toBe('BAD_ENCODING');
    expect(problem([pemToX5c(leafPem)], 'elicence-signing', pemToX5c(leafPem))).toBe('BAD_ROOT');
    expect(problem([])).toBe('CHAIN_TOO_LONG');
  });
});

describe('jwkThumbprint', () => {
  it('is RFC 7638 (agrees with jose)', async () => {
    const jwk = publicJwkOf(leafKey);
    expect(jwkThumbprint(jwk)).toBe(await calculateJwkThumbprint(jwk, 'sha256'));
  });
});
