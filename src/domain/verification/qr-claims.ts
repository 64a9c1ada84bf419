/**
 * The QR credential's CWT claims (RFC 8392) and how the certificate maps onto them; the CBOR
 * and COSE bytes themselves are the codec adapter's business. The claim map, as CDDL, is in
 * docs/qr-profile.md:
 *
 *   iss (1) credit code · iat (6) signing time · cti (7) e-licence identifier (UTF-8 bytes,
 *   see below) · status (65535) {status_list: {idx, uri}} · -65537 the certificate claims below.
 *
 * Why `cti` leaves out the identifier's first components: a version-13 QR at level M holds 319
 * bytes of COSE; the signature, header and framing take 86, the status reference ~75, the
 * digest 35. The full GB/T 36904 identifier is 82 bytes, of which `1.2.156.3005.2.<type code>.`
 * is the same for every licence of the deployment (the trust list publishes the type code) and
 * the credit code repeats `iss`. Carrying all of it leaves no room for even one-character names;
 * so `cti` is `<serial>.<version>.<check>` and the identifier is
 * `1.2.156.3005.2.<licenceTypeCode>.<iss>.<cti>`, its check character verifying the rebuild.
 *
 * Inside the private claim the labels are small integers and optional labels are left out when
 * they hold their default, so every claim set has exactly one deterministic encoding.
 */

import { DomainError } from '../errors.ts';
import { LICENCE_ID_ROOT, parseLicenceId } from '../licence-id.ts';
import { decodeBase64url, encodeBase64url } from './base64url.ts';
import type { CborMap, CborValue, StatusReference } from './ports.ts';
import { CWT_CLAIM } from './profile.ts';
import { CHINA_OFFSET_MINUTES, chinaDayOf, formatBirthTime, formatDate, parseBirthTime, parseDate } from './qr-time.ts';
import { readStatusReference, statusClaimOf } from './status-reference.ts';

export interface QrClaims {
  /** `iss`: the issuing institution's unified social credit code. */
  issuerCreditCode: string;
  /** `iat`: signing time, epoch seconds. */
  issuedAt: number;
  /** The full GB/T 36904 e-licence identifier (`cti` carries its last three components). */
  licenceId: string;
  /** `status`: the certificate's entry in its status list. */
  status: StatusReference;
  certificateNo: string;
  newbornName: string;
  newbornNameTruncated: boolean;
  sex: '1' | '2';
  /** `YYYY-MM-DDTHH:mm±HH:MM`, as in the certificate. */
  birthTime: string;
  motherName: string;
  motherNameTruncated: boolean;
  issueDate: string;
  /** base64url SHA-256 of the full e-licence's JWS signing input. */
  licenceDigest: string;
}

/** Labels inside the private claim. Optional ones are present only when they differ from the default. */
export const CERTIFICATE_LABEL = {
  certificateNo: 1,
  newbornName: 2,
  sex: 3,
  /** Minutes since the epoch (UTC). */
  birthMinutes: 4,
  /** Minutes east of UTC; default +08:00 (480). */
  birthOffset: 5,
  motherName: 6,
  /** Days since 1970-01-01; default: the China-time day of `iat`. */
  issueDay: 7,
  digest: 8,
  /** Bit 1: newborn name cut short, bit 2: mother's name cut short; absent when 0. */
  truncated: 9,
} as const;

export const CERTIFICATE_NO = /^[A-Z][0-9]{9}$/;
export const LICENCE_ID_TAIL = /^[0-9A-Z]{18}\.[0-9A-Z]{1,20}\.[0-9]{3}\.[0-9A-Z]$/;
const CREDIT_CODE = /^[0-9A-Z]{18}$/;
const NAME = /^[^\p{Cc}]{1,50}$/u;
/** Marks a name cut short to fit; shown after the carried prefix, never inside the QR. */
export const TRUNCATION_MARK = '…';

const utf8 = new TextEncoder();
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const unencodable = (message: string) => new DomainError('QR_UNENCODABLE', message);

/** What `cti` leaves out: the root arc, the licence type code and the issuer's credit code. */
const ctiPrefixOf = (licenceTypeCode: string, issuerCreditCode: string) =>
  `${LICENCE_ID_ROOT}.${licenceTypeCode}.${issuerCreditCode}.`;

/** The CWT claims set of a QR credential. Throws `QR_UNENCODABLE` for claims no verifier would accept. */
export function qrClaimsMap(claims: QrClaims): CborMap {
  const birth = parseBirthTime(claims.birthTime);
  if (!birth) throw unencodable('newborn.birthTime must be YYYY-MM-DDTHH:mm±HH:MM');
  const issueDay = parseDate(claims.issueDate);
  if (issueDay === null) throw unencodable('issueDate must be YYYY-MM-DD');
  const digest = decodeBase64url(claims.licenceDigest);
  if (digest?.length !== 32) throw unencodable('licenceDigest must be a base64url SHA-256');
  if (!CERTIFICATE_NO.test(claims.certificateNo)) throw unencodable('certificateNo is not a certificate number');
  const parsed = parseLicenceId(claims.licenceId);
  if (parsed?.issuerCreditCode !== claims.issuerCreditCode) {
    throw unencodable('licence.id is not an e-licence identifier of the issuing institution');
  }
  const cti = claims.licenceId.slice(ctiPrefixOf(parsed.typeCode, parsed.issuerCreditCode).length);
  if (!readStatusReference(statusClaimOf(claims.status))) throw unencodable('status is not a status list reference');
  const certificate = new Map<CborValue, CborValue>([
    [CERTIFICATE_LABEL.certificateNo, claims.certificateNo],
    [CERTIFICATE_LABEL.newbornName, claims.newbornName],
    [CERTIFICATE_LABEL.sex, Number(claims.sex)],
    [CERTIFICATE_LABEL.birthMinutes, birth.epochMinutes],
    [CERTIFICATE_LABEL.motherName, claims.motherName],
    [CERTIFICATE_LABEL.digest, digest],
  ]);
  if (birth.offsetMinutes !== CHINA_OFFSET_MINUTES) certificate.set(CERTIFICATE_LABEL.birthOffset, birth.offsetMinutes);
  if (issueDay !== chinaDayOf(claims.issuedAt)) certificate.set(CERTIFICATE_LABEL.issueDay, issueDay);
  const truncated = (claims.newbornNameTruncated ? 1 : 0) | (claims.motherNameTruncated ? 2 : 0);
  if (truncated) certificate.set(CERTIFICATE_LABEL.truncated, truncated);
  const status = new Map<CborValue, CborValue>([
    [
      'status_list',
      new Map<CborValue, CborValue>([
        ['idx', claims.status.idx],
        ['uri', claims.status.uri],
      ]),
    ],
  ]);
  return new Map<CborValue, CborValue>([
    [CWT_CLAIM.iss, claims.issuerCreditCode],
    [CWT_CLAIM.iat, claims.issuedAt],
    [CWT_CLAIM.cti, utf8.encode(cti)],
    [CWT_CLAIM.status, status],
    [CWT_CLAIM.certificate, certificate],
  ]);
}

const CWT_KEYS = new Set<CborValue>(Object.values(CWT_CLAIM));
const CERTIFICATE_KEYS = new Set<CborValue>(Object.values(CERTIFICATE_LABEL));

/**
 * The claims, or null when the claims set is not exactly one this profile writes. The licence
 * type code (from the trust list) completes the e-licence identifier.
 */
export function readQrClaims(map: CborMap, licenceTypeCode: string): QrClaims | null {
  if (map.size !== CWT_KEYS.size || [...map.keys()].some((key) => !CWT_KEYS.has(key))) return null;
  const issuerCreditCode = map.get(CWT_CLAIM.iss);
  const issuedAt = map.get(CWT_CLAIM.iat);
  const cti = map.get(CWT_CLAIM.cti);
  const status = readStatusReference(map.get(CWT_CLAIM.status));
  const certificate = map.get(CWT_CLAIM.certificate);
  if (typeof issuerCreditCode !== 'string' || !CREDIT_CODE.test(issuerCreditCode)) return null;
  if (typeof issuedAt !== 'number' || !Number.isSafeInteger(issuedAt) || issuedAt <= 0) return null;
  if (!(cti instanceof Uint8Array) || !status || !(certificate instanceof Map)) return null;
  const tail = textOf(cti);
  if (tail === null || !/^[0-9A-Z]{1,20}\.[0-9]{3}\.[0-9A-Z]$/.test(tail)) return null;
  const licenceId = ctiPrefixOf(licenceTypeCode, issuerCreditCode) + tail;
  if (parseLicenceId(licenceId)?.issuerCreditCode !== issuerCreditCode) return null;
  const items = readCertificateClaim(certificate, issuedAt);
  return items && { issuerCreditCode, issuedAt, licenceId, status, ...items };
}

function textOf(bytes: Uint8Array): string | null {
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    return null;
  }
}

type CertificateItems = Omit<QrClaims, 'issuerCreditCode' | 'issuedAt' | 'licenceId' | 'status'>;

function readCertificateClaim(map: CborMap, issuedAt: number): CertificateItems | null {
  if ([...map.keys()].some((key) => !CERTIFICATE_KEYS.has(key))) return null;
  const text = (label: number) => (typeof map.get(label) === 'string' ? (map.get(label) as string) : null);
  const int = (label: number) => {
    const value = map.get(label);
    return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
  };
  const L = CERTIFICATE_LABEL;
  const certificateNo = text(L.certificateNo);
  const newbornName = text(L.newbornName);
  const motherName = text(L.motherName);
  const sex = int(L.sex);
  const birthMinutes = int(L.birthMinutes);
  const birthOffset = map.has(L.birthOffset) ? int(L.birthOffset) : CHINA_OFFSET_MINUTES;
  const truncated = map.has(L.truncated) ? int(L.truncated) : 0;
  const digest = map.get(L.digest);
  if (certificateNo === null || !CERTIFICATE_NO.test(certificateNo)) return null;
  if (newbornName === null || !NAME.test(newbornName) || motherName === null || !NAME.test(motherName)) return null;
  if ((sex !== 1 && sex !== 2) || birthMinutes === null) return null;
  // An optional label holding its default value would be a second encoding of the same claims.
  if (birthOffset === null || birthOffset < -720 || birthOffset > 840) return null;
  if (map.has(L.birthOffset) && birthOffset === CHINA_OFFSET_MINUTES) return null;
  if (truncated === null || truncated < 0 || truncated > 3 || (map.has(L.truncated) && truncated === 0)) return null;
  if (!(digest instanceof Uint8Array) || digest.length !== 32) return null;
  const explicitDay = map.has(L.issueDay);
  const issueDay = explicitDay ? int(L.issueDay) : chinaDayOf(issuedAt);
  if (issueDay === null || issueDay < 0 || (explicitDay && issueDay === chinaDayOf(issuedAt))) return null;
  return {
    certificateNo,
    newbornName,
    newbornNameTruncated: (truncated & 1) !== 0,
    sex: sex === 1 ? '1' : '2',
    birthTime: formatBirthTime(birthMinutes, birthOffset),
    motherName,
    motherNameTruncated: (truncated & 2) !== 0,
    issueDate: formatDate(issueDay),
    licenceDigest: encodeBase64url(digest),
  };
}

/**
 * Cuts names until `fits` says the credential fits: one code point at a time from the end of
 * the longer name (in UTF-8 bytes; the mother's on a tie, because the newborn's name is what a
 * verifier compares first), flagging each name it cuts. Deterministic: the same record always
 * gives the same claims. Names that fit are carried whole.
 */
export function fitQrClaims(claims: QrClaims, fits: (claims: QrClaims) => boolean): QrClaims {
  if (fits(claims)) return claims;
  const newborn = { points: Array.from(claims.newbornName), cut: claims.newbornNameTruncated };
  const mother = { points: Array.from(claims.motherName), cut: claims.motherNameTruncated };
  const bytes = (points: string[]) => utf8.encode(points.join('')).length;
  for (;;) {
    const name = bytes(mother.points) >= bytes(newborn.points) ? mother : newborn;
    if (name.points.length <= 1) throw unencodable('The QR credential cannot fit even with one-character names');
    name.points.pop();
    name.cut = true;
    const fitted: QrClaims = {
      ...claims,
      newbornName: newborn.points.join(''),
      newbornNameTruncated: newborn.cut,
      motherName: mother.points.join(''),
      motherNameTruncated: mother.cut,
    };
    if (fits(fitted)) return fitted;
  }
}
