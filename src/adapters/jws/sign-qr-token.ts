import type { ELicencePayload } from '../../domain/certificate.ts';
import { DomainError } from '../../domain/errors.ts';
import type { KeyStore, SigningKey } from '../../domain/ports.ts';
import { QR_KID_BYTES, QR_PREFIX, QR_VERSION_13_M_ALPHANUMERIC } from '../../domain/verification/profile.ts';
import { fitQrClaims, type QrClaims, qrClaimsMap } from '../../domain/verification/qr-claims.ts';
import { readStatusReference } from '../../domain/verification/status-reference.ts';
import { coseSizeOfPayload, encodeQrClaims, encodeQrText } from '../cose/cose-qr-codec.ts';
import type { FlattenedJws } from './flattened-jws.ts';
import { licenceDigest } from './licence-digest.ts';
import { assertKeyFitsLicence, type SignOptions } from './sign-elicence.ts';

/** base45 turns 2 bytes into 3 characters and a last odd byte into 2. */
const base45Capacity = (characters: number) => Math.floor(characters / 3) * 2 + (characters % 3 === 2 ? 1 : 0);

/** COSE_Sign1 bytes that still fit version 13 at level M uncompressed, behind the `BC1:` prefix. */
export const QR_MAX_COSE_BYTES = base45Capacity(QR_VERSION_13_M_ALPHANUMERIC - QR_PREFIX.length);

/** The COSE kid of a key: the first 8 bytes of its thumbprint. */
export const kid8BytesOf = (kid: string): Uint8Array =>
  new Uint8Array(Buffer.from(kid, 'base64url').subarray(0, QR_KID_BYTES));

/** The signed e-licence a QR binds to, or its `licenceDigest` when the caller has it already. */
export type SignedOrDigest = FlattenedJws | { licenceDigest: string };

/** The QR claims of an e-licence, names not yet fitted. */
export function qrClaimsOf(payload: ELicencePayload, signed: SignedOrDigest, signedAt: Date): QrClaims {
  const { licence, certificate } = payload;
  const status = readStatusReference(payload.status);
  if (!status) throw new DomainError('QR_UNENCODABLE', 'The e-licence carries no status list reference');
  return {
    issuerCreditCode: certificate.issuer.creditCode,
    issuedAt: Math.floor(signedAt.getTime() / 1000),
    licenceId: licence.id,
    status,
    certificateNo: certificate.certificateNo,
    newbornName: certificate.newborn.name,
    newbornNameTruncated: false,
    sex: certificate.newborn.sex,
    birthTime: certificate.newborn.birthTime,
    motherName: certificate.mother.name,
    motherNameTruncated: false,
    issueDate: certificate.issueDate,
    licenceDigest: 'licenceDigest' in signed ? signed.licenceDigest : licenceDigest(signed),
  };
}

/**
 * The QR text (profile `BC1:`, docs/qr-profile.md): a COSE_Sign1 by the institution key over
 * the CWT claims, bound to `signed` by its digest (or to the digest given). Names are carried whole when the credential
 * fits version 13 at level M without compression; longer ones are cut (and flagged), so every
 * valid record fits whatever zlib makes of it. Pass the same `signedAt` as for the e-licence.
 */
export async function signQrToken(
  payload: ELicencePayload,
  signed: SignedOrDigest,
  key: SigningKey,
  keyStore: KeyStore,
  options: SignOptions & { compress?: boolean } = {},
): Promise<string> {
  assertKeyFitsLicence(payload, key);
  const kid8 = kid8BytesOf(key.kid);
  // Each candidate's claims are encoded once: the one that fits is the payload signed.
  let encoded: Uint8Array = new Uint8Array(0);
  fitQrClaims(qrClaimsOf(payload, signed, options.signedAt ?? new Date()), (candidate) => {
    encoded = encodeQrClaims(qrClaimsMap(candidate));
    return coseSizeOfPayload(encoded, kid8) <= QR_MAX_COSE_BYTES;
  });
  const qr = await encodeQrText(encoded, kid8, (toBeSigned) => keyStore.sign(key.kid, toBeSigned), {
    ...(options.compress !== undefined && { compress: options.compress }),
  });
  return qr.text;
}
