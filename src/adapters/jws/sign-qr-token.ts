import type { ELicencePayload } from '../../domain/certificate.ts';
import { DomainError } from '../../domain/errors.ts';
import type { KeyStore, SigningKey } from '../../domain/ports.ts';
import { LICENCE_ID_ROOT_ARC, QR_KID_HINT_LENGTH } from '../../domain/verification/profile.ts';
import { encodeQrClaims, fitQrClaims, type QrClaims } from '../../domain/verification/qr-claims.ts';
import { base64url, type FlattenedJws, signJwsParts } from './flattened-jws.ts';
import { licenceDigest } from './licence-digest.ts';
import { assertKeyFitsLicence, type SignOptions } from './sign-elicence.ts';

/** Byte-mode capacity of a version-13 QR code at error correction level M. */
export const QR_VERSION_13_M_BYTES = 331;
const ES256_SIGNATURE_CHARS = 86;

/** The payload bytes left once header, signature and the two dots are counted. */
export function qrPayloadBudget(header: string): number {
  const characters = QR_VERSION_13_M_BYTES - header.length - ES256_SIGNATURE_CHARS - 2;
  return Math.floor((characters * 3) / 4);
}

/** The QR claims of an e-licence, names not yet fitted. */
export function qrClaimsOf(payload: ELicencePayload, signed: FlattenedJws, signedAt: Date): QrClaims {
  const { licence, certificate } = payload;
  const prefix = `${LICENCE_ID_ROOT_ARC}.${licence.typeCode}.`;
  if (!licence.id.startsWith(prefix)) {
    throw new DomainError('QR_UNENCODABLE', 'licence.id does not start with the root arc and licence.typeCode');
  }
  return {
    certificateNo: certificate.certificateNo,
    licenceIdTail: licence.id.slice(prefix.length),
    newbornName: certificate.newborn.name,
    newbornNameTruncated: false,
    sex: certificate.newborn.sex,
    birthTime: certificate.newborn.birthTime,
    motherName: certificate.mother.name,
    motherNameTruncated: false,
    issuedAt: Math.floor(signedAt.getTime() / 1000),
    issueDate: certificate.issueDate,
    licenceDigest: licenceDigest(signed),
  };
}

/**
 * The QR text: a compact JWS `{alg: ES256, kid: <first 8 characters of the thumbprint>}` over
 * the CBOR claims (see qr-claims.ts for why CBOR and a kid hint), bound to `signed` by its
 * digest. Names too long for version 13 at level M are cut (and flagged) so every valid record
 * fits. Pass the same `signedAt` as for the e-licence.
 */
export async function signQrToken(
  payload: ELicencePayload,
  signed: FlattenedJws,
  key: SigningKey,
  keyStore: KeyStore,
  options: SignOptions = {},
): Promise<string> {
  assertKeyFitsLicence(payload, key);
  const header = { alg: 'ES256', kid: key.kid.slice(0, QR_KID_HINT_LENGTH) };
  const budget = qrPayloadBudget(base64url(JSON.stringify(header)));
  const claims = fitQrClaims(qrClaimsOf(payload, signed, options.signedAt ?? new Date()), budget);
  const jws = await signJwsParts(header, encodeQrClaims(claims), key.kid, keyStore);
  return `${jws.protected}.${jws.payload}.${jws.signature}`;
}
