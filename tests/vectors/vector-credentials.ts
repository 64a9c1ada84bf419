/** Signing and tampering helpers of the vector generator (TEST ONLY keys). */
import { createHmac, type KeyObject, sign } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import base45 from 'base45';
import { decode as cborDecode, encode as cborEncode, Tag } from 'cbor2';
import { type FlattenedJws, signingTime } from '../../src/adapters/jws/flattened-jws.ts';
import { signELicence } from '../../src/adapters/jws/sign-elicence.ts';
import { signQrToken } from '../../src/adapters/jws/sign-qr-token.ts';
import { publicJwkOf } from '../../src/adapters/pki/ec-jwk.ts';
import { toLowS } from '../../src/adapters/pki/p256-low-s.ts';
import { pemToX5c } from '../../src/adapters/pki/pem.ts';
import type { ELicencePayload } from '../../src/domain/certificate.ts';
import type { KeyStore, SigningKey } from '../../src/domain/ports.ts';
import { ELICENCE_TYP } from '../../src/domain/verification/profile.ts';
import type { PresentedCertificate } from '../../src/domain/verification/result.ts';
import { type FixtureDomain, HOSPITAL_A } from './fixture-domain.ts';

export const b64 = (data: string | Uint8Array) =>
  (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)).toString('base64url');

/** A key store over raw fixture keys; `override` signs every kid with one key (the wrong-key cases). */
export function fixtureKeyStore(domain: FixtureDomain, override?: KeyObject): KeyStore {
  return {
    activeKey: () => {
      throw new Error('not used by the generator');
    },
    sign: async (kid, data) => {
      const key = override ?? domain.privateKeys.get(kid);
      if (!key) throw new Error(`no fixture key ${kid}`);
      return toLowS(new Uint8Array(sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' })));
    },
  };
}

export function signingKeyOf(domain: FixtureDomain, kid: string): SigningKey {
  const record = domain.records.find((candidate) => candidate.kid === kid);
  if (record) {
    return { kid, institutionCreditCode: record.institutionCreditCode!, x5c: [pemToX5c(record.x509Pem)], publicJwk: record.publicJwk };
  }
  // Keys outside the trust list: the impostor (certified by the untrusted root) and the stray key.
  const x5c = kid === domain.kids.impostor ? [pemToX5c(domain.untrusted.impostorPem)] : [];
  return { kid, institutionCreditCode: HOSPITAL_A.creditCode, x5c, publicJwk: publicJwkOf(domain.privateKeys.get(kid)!) };
}

export async function credentials(
  domain: FixtureDomain,
  payload: ELicencePayload,
  kid: string,
  signedAt: string,
  keyStore = fixtureKeyStore(domain),
): Promise<{ signedJson: FlattenedJws; qr: string }> {
  const key = signingKeyOf(domain, kid);
  const at = new Date(signedAt);
  const signedJson = await signELicence(payload, key, keyStore, { signedAt: at });
  const qr = await signQrToken(payload, signedJson, key, keyStore, { signedAt: at });
  return { signedJson, qr };
}

/** A flattened JWS with any header and payload bytes, signed by a fixture key. */
export function signRaw(key: KeyObject, header: object, payload: Uint8Array | string): FlattenedJws {
  const protectedPart = b64(JSON.stringify(header));
  const payloadPart = b64(payload);
  const signature = toLowS(sign('sha256', Buffer.from(`${protectedPart}.${payloadPart}`), { key, dsaEncoding: 'ieee-p1363' }));
  return { protected: protectedPart, payload: payloadPart, signature: b64(signature) };
}

/** The algorithm-confusion attack: HMAC-SHA256 keyed with the institution certificate's PEM. */
export function hs256WithPublicKey(header: object, payload: string, secret: string): FlattenedJws {
  const protectedPart = b64(JSON.stringify(header));
  const payloadPart = b64(payload);
  const mac = createHmac('sha256', secret).update(`${protectedPart}.${payloadPart}`).digest();
  return { protected: protectedPart, payload: payloadPart, signature: b64(mac) };
}

export const elicenceHeader = (key: SigningKey, signedAt: string) => ({
  alg: 'ES256',
  typ: ELICENCE_TYP,
  kid: key.kid,
  x5c: key.x5c,
  sigT: signingTime(new Date(signedAt)),
});

/** Replaces the character at `index` of a base64url text with another valid one. */
export function flipCharacter(text: string, index: number): string {
  const replacement = text[index] === 'A' ? 'B' : 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

/** What the verifier must echo for a credential of `payload` signed at `signedAt`. */
export function shown(payload: ELicencePayload, signedAt: string): PresentedCertificate {
  const { certificate, licence } = payload;
  return {
    certificateNo: certificate.certificateNo,
    licenceId: licence.id,
    newborn: { name: certificate.newborn.name, sex: certificate.newborn.sex, birthTime: certificate.newborn.birthTime },
    mother: { name: certificate.mother.name },
    issuer: { name: certificate.issuer.name, creditCode: certificate.issuer.creditCode },
    issueDate: certificate.issueDate,
    issuedAt: new Date(signedAt).toISOString(),
  };
}

/** The COSE_Sign1 parts of a `BC1:` text, for tampering (the service's own codec reads them). */
export interface QrParts {
  protectedHeader: Map<number, unknown>;
  claims: Map<unknown, unknown>;
  signature: Uint8Array;
}

export function qrParts(text: string): QrParts {
  // Plain Uint8Arrays: cbor2 hands out views of its input, and a Buffer view would re-encode as JSON.
  let bytes = new Uint8Array(base45.decode(text.slice(4)));
  if (bytes[0] === 0x78) bytes = new Uint8Array(inflateSync(bytes));
  const [protectedBytes, , payload, signature] = (cborDecode(bytes, { preferMap: true }) as Tag).contents as [
    Uint8Array,
    unknown,
    Uint8Array,
    Uint8Array,
  ];
  return {
    protectedHeader: cborDecode(protectedBytes, { preferMap: true }) as Map<number, unknown>,
    claims: cborDecode(payload, { preferMap: true }) as Map<unknown, unknown>,
    signature,
  };
}

/** A `BC1:` text of the given parts, uncompressed; `sign` (when given) signs it afresh. */
export function qrText(parts: QrParts, sign?: (toBeSigned: Uint8Array) => Uint8Array, prefix = 'BC1:'): string {
  const protectedBytes = cborEncode(parts.protectedHeader, { cde: true });
  const payload = cborEncode(parts.claims, { cde: true });
  const signature = sign
    ? sign(cborEncode(['Signature1', protectedBytes, new Uint8Array(0), payload], { cde: true }))
    : parts.signature;
  return prefix + base45.encode(cborEncode(new Tag(18, [protectedBytes, new Map(), payload, signature]), { cde: true }));
}

/** Signs as the service does: ES256, low-S (a high-S signature would fail before the case's point). */
export const es256With = (key: KeyObject) => (data: Uint8Array) =>
  toLowS(new Uint8Array(sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' })));
