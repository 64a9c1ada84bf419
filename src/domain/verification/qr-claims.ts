/**
 * The QR token's claims and their CBOR payload.
 *
 * Why CBOR and not JSON: a QR of version 13 at level M holds 331 bytes. The compact JWS spends
 * 43 on its header, 86 on the ES256 signature and 2 on dots, leaving 200 base64url characters
 * = 150 payload bytes. The contract puts the certificate number, the e-licence identifier, two
 * names, sex, birth time, issue time and a 32-byte SHA-256 digest in it. As JSON (base64url of
 * base64url text) the digest alone costs 65 characters and the fixed claims already overflow
 * with empty names. CBOR with integer labels (the CWT way of short claim names) carries the
 * digest as 32 raw bytes and leaves room for about 12 CJK characters of names in the worst case.
 */
import { DomainError } from '../errors.ts';
import { decodeBase64url, encodeBase64url } from './base64url.ts';
import { type CborValue, decodeCborMap, encodeCborMap } from './cbor.ts';
import { CHINA_OFFSET_MINUTES, chinaDayOf, formatBirthTime, formatDate, parseBirthTime, parseDate } from './qr-time.ts';

export interface QrClaims {
  certificateNo: string;
  /**
   * The e-licence identifier after the GB/T 36904 root arc and the licence type code:
   * `<issuerCreditCode>.<serial>.<version>.<check>`. Both left-out parts are constants of the
   * deployment (the type code is published in the trust list), and the credit code here names
   * the issuing institution, so no separate issuer claim is needed.
   */
  licenceIdTail: string;
  newbornName: string;
  newbornNameTruncated: boolean;
  sex: '1' | '2';
  /** `YYYY-MM-DDTHH:mm±HH:MM`, as in the certificate. */
  birthTime: string;
  motherName: string;
  motherNameTruncated: boolean;
  /** Signing time, epoch seconds. */
  issuedAt: number;
  issueDate: string;
  /** base64url SHA-256 of the full e-licence's JWS signing input. */
  licenceDigest: string;
}

/** Integer labels. Optional ones are present only when they differ from the default. */
const LABEL = {
  certificateNo: 1,
  licenceIdTail: 2,
  newbornName: 3,
  sex: 4,
  birthMinutes: 5,
  /** Default +08:00. */
  birthOffset: 6,
  motherName: 7,
  issuedAt: 8,
  /** Days since 1970-01-01; default: the China-time day of `issuedAt`. */
  issueDay: 9,
  digest: 10,
  /** Bit 1: newborn name truncated, bit 2: mother's name truncated; absent when 0. */
  truncated: 11,
} as const;

export const CERTIFICATE_NO = /^[A-Z][0-9]{9}$/;
export const LICENCE_ID_TAIL = /^[0-9A-Z]{18}\.[0-9A-Z]{1,20}\.[0-9]{3}\.[0-9A-Z]$/;
const NAME = /^[^\p{Cc}]{1,50}$/u;
/** Marks a name cut short to fit; shown after the carried prefix, never inside the token. */
export const TRUNCATION_MARK = '…';

const unencodable = (message: string) => new DomainError('QR_UNENCODABLE', message);

export function encodeQrClaims(claims: QrClaims): Uint8Array {
  const birth = parseBirthTime(claims.birthTime);
  if (!birth) throw unencodable('newborn.birthTime must be YYYY-MM-DDTHH:mm±HH:MM');
  const issueDay = parseDate(claims.issueDate);
  if (issueDay === null) throw unencodable('issueDate must be YYYY-MM-DD');
  const digest = decodeBase64url(claims.licenceDigest);
  if (digest?.length !== 32) throw unencodable('licenceDigest must be a base64url SHA-256');
  if (!CERTIFICATE_NO.test(claims.certificateNo)) throw unencodable('certificateNo is not a certificate number');
  if (!LICENCE_ID_TAIL.test(claims.licenceIdTail)) throw unencodable('the e-licence identifier cannot be encoded');
  const entries: [number, CborValue][] = [
    [LABEL.certificateNo, claims.certificateNo],
    [LABEL.licenceIdTail, claims.licenceIdTail],
    [LABEL.newbornName, claims.newbornName],
    [LABEL.sex, Number(claims.sex)],
    [LABEL.birthMinutes, birth.epochMinutes],
    [LABEL.motherName, claims.motherName],
    [LABEL.issuedAt, claims.issuedAt],
    [LABEL.digest, digest],
  ];
  if (birth.offsetMinutes !== CHINA_OFFSET_MINUTES) entries.push([LABEL.birthOffset, birth.offsetMinutes]);
  if (issueDay !== chinaDayOf(claims.issuedAt)) entries.push([LABEL.issueDay, issueDay]);
  const truncated = (claims.newbornNameTruncated ? 1 : 0) | (claims.motherNameTruncated ? 2 : 0);
  if (truncated) entries.push([LABEL.truncated, truncated]);
  return encodeCborMap(entries);
}

/** The claims, or null when the payload is not exactly a token this module would write. */
export function decodeQrClaims(payload: Uint8Array): QrClaims | null {
  const map = decodeCborMap(payload);
  if (!map) return null;
  const known = new Set<number>(Object.values(LABEL));
  for (const label of map.keys()) if (!known.has(label)) return null;
  const text = (label: number) => (typeof map.get(label) === 'string' ? (map.get(label) as string) : null);
  const int = (label: number) => (typeof map.get(label) === 'number' ? (map.get(label) as number) : null);
  const certificateNo = text(LABEL.certificateNo);
  const licenceIdTail = text(LABEL.licenceIdTail);
  const newbornName = text(LABEL.newbornName);
  const motherName = text(LABEL.motherName);
  const sex = int(LABEL.sex);
  const birthMinutes = int(LABEL.birthMinutes);
  const birthOffset = map.has(LABEL.birthOffset) ? int(LABEL.birthOffset) : CHINA_OFFSET_MINUTES;
  const issuedAt = int(LABEL.issuedAt);
  const truncated = map.has(LABEL.truncated) ? int(LABEL.truncated) : 0;
  const digest = map.get(LABEL.digest);
  if (certificateNo === null || !CERTIFICATE_NO.test(certificateNo)) return null;
  if (licenceIdTail === null || !LICENCE_ID_TAIL.test(licenceIdTail)) return null;
  if (newbornName === null || !NAME.test(newbornName) || motherName === null || !NAME.test(motherName)) return null;
  if ((sex !== 1 && sex !== 2) || birthMinutes === null || issuedAt === null || issuedAt <= 0) return null;
  // An optional label holding its default value would be a second encoding of the same claims.
  if (birthOffset === null || birthOffset < -720 || birthOffset > 840) return null;
  if (map.has(LABEL.birthOffset) && birthOffset === CHINA_OFFSET_MINUTES) return null;
  if (truncated === null || truncated < 0 || truncated > 3 || (map.has(LABEL.truncated) && truncated === 0))
    return null;
  if (!(digest instanceof Uint8Array) || digest.length !== 32) return null;
  const explicitDay = map.has(LABEL.issueDay);
  const issueDay = explicitDay ? int(LABEL.issueDay) : chinaDayOf(issuedAt);
  if (issueDay === null || issueDay < 0 || (explicitDay && issueDay === chinaDayOf(issuedAt))) return null;
  return {
    certificateNo,
    licenceIdTail,
    newbornName,
    newbornNameTruncated: (truncated & 1) !== 0,
    sex: sex === 1 ? '1' : '2',
    birthTime: formatBirthTime(birthMinutes, birthOffset),
    motherName,
    motherNameTruncated: (truncated & 2) !== 0,
    issuedAt,
    issueDate: formatDate(issueDay),
    licenceDigest: encodeBase64url(digest),
  };
}

const utf8 = new TextEncoder();
const utf8Length = (text: string) => utf8.encode(text).length;
/** Bytes of a CBOR text string head for a given content length (names are far below 256 bytes). */
const headLength = (length: number) => (length < 24 ? 1 : length < 256 ? 2 : 3);

/**
 * Cuts names until the payload fits `maxBytes`: one code point at a time from the end of the
 * longer name (in UTF-8 bytes; the mother's on a tie, because the newborn's name is what a
 * verifier compares first). Deterministic, so the same record always gives the same token.
 * Sizes are tracked arithmetically (content and head bytes) rather than re-encoding per cut.
 */
export function fitQrClaims(claims: QrClaims, maxBytes: number): QrClaims {
  let size = encodeQrClaims(claims).length;
  if (size <= maxBytes) return claims;
  // The truncation label (2 bytes) appears once a name is cut.
  if (!claims.newbornNameTruncated && !claims.motherNameTruncated) size += 2;
  const names = {
    newborn: {
      points: Array.from(claims.newbornName),
      bytes: utf8Length(claims.newbornName),
      cut: claims.newbornNameTruncated,
    },
    mother: {
      points: Array.from(claims.motherName),
      bytes: utf8Length(claims.motherName),
      cut: claims.motherNameTruncated,
    },
  };
  while (size > maxBytes) {
    const name = names.mother.bytes >= names.newborn.bytes ? names.mother : names.newborn;
    if (name.points.length <= 1) throw unencodable('The QR token cannot fit even with one-character names');
    const removed = utf8Length(name.points.pop()!);
    size -= removed + headLength(name.bytes) - headLength(name.bytes - removed);
    name.bytes -= removed;
    name.cut = true;
  }
  const fitted = {
    ...claims,
    newbornName: names.newborn.points.join(''),
    newbornNameTruncated: names.newborn.cut,
    motherName: names.mother.points.join(''),
    motherNameTruncated: names.mother.cut,
  };
  if (encodeQrClaims(fitted).length > maxBytes) throw unencodable('The QR claims do not fit');
  return fitted;
}
