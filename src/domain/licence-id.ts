import { isValidCreditCode } from './check/credit-code.ts';
import { mod37_36CheckCharacter } from './check/mod37-36.ts';

/**
 * GB/T 36904 e-licence identifier (电子证照标识):
 * `1.2.156.3005.2.<typeCode>.<issuerCreditCode>.<serial>.<version>.<check>`.
 */

export const LICENCE_ID_ROOT = '1.2.156.3005.2';

export interface LicenceIdParts {
  /** 21 characters: the defining body's credit code (18) and 3 digits. */
  typeCode: string;
  issuerCreditCode: string;
  /** 1–20 upper-case letters or digits; ours are always 20 (see newLicenceSerial). */
  serial: string;
  /** 3 digits, `001` for the first version. */
  version: string;
}

export interface ParsedLicenceId extends LicenceIdParts {
  check: string;
}

const TYPE_CODE = /^[0-9A-HJ-NP-RTUWXY]{18}\d{3}$/;
const SERIAL = /^[0-9A-Z]{1,20}$/;
const VERSION = /^\d{3}$/;

export function isValidLicenceTypeCode(typeCode: string): boolean {
  return TYPE_CODE.test(typeCode) && isValidCreditCode(typeCode.slice(0, 18));
}

/** The reason the parts cannot form an identifier, or null when they can. */
function partsProblem({ typeCode, issuerCreditCode, serial, version }: LicenceIdParts): string | null {
  if (!isValidLicenceTypeCode(typeCode)) return 'typeCode must be a valid credit code followed by 3 digits';
  if (!isValidCreditCode(issuerCreditCode)) return 'issuerCreditCode must be a valid unified social credit code';
  if (!SERIAL.test(serial)) return 'serial must be 1–20 upper-case letters or digits';
  if (!VERSION.test(version)) return 'version must be 3 digits';
  return null;
}

function checkCharOf({ typeCode, issuerCreditCode, serial, version }: LicenceIdParts): string {
  // Every part is already limited to 0-9A-Z, so the check character always exists.
  return mod37_36CheckCharacter(typeCode + issuerCreditCode + serial + version)!;
}

/** Throws RangeError on invalid parts: identifiers are built from data we already validated. */
export function buildLicenceId(parts: LicenceIdParts): string {
  const problem = partsProblem(parts);
  if (problem) throw new RangeError(`Cannot build an e-licence identifier: ${problem}`);
  const { typeCode, issuerCreditCode, serial, version } = parts;
  return [LICENCE_ID_ROOT, typeCode, issuerCreditCode, serial, version, checkCharOf(parts)].join('.');
}

/** The identifier's parts, or null when the text is not a well-formed identifier with a matching check character. */
export function parseLicenceId(text: string): ParsedLicenceId | null {
  if (typeof text !== 'string' || !text.startsWith(`${LICENCE_ID_ROOT}.`)) return null;
  const fields = text.slice(LICENCE_ID_ROOT.length + 1).split('.');
  if (fields.length !== 5) return null;
  const [typeCode, issuerCreditCode, serial, version, check] = fields as [string, string, string, string, string];
  const parts = { typeCode, issuerCreditCode, serial, version };
  if (partsProblem(parts) !== null || check !== checkCharOf(parts)) return null;
  return { ...parts, check };
}

export const isValidLicenceId = (text: string): boolean => parseLicenceId(text) !== null;

/** Crockford-style: no I, L, O, U, so a serial read aloud or retyped is not misread. */
const SERIAL_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const LICENCE_SERIAL_LENGTH = 20;
/** 20 characters × 5 bits = 100 bits, taken from the first 13 bytes. */
export const LICENCE_SERIAL_RANDOM_BYTES = 13;

/**
 * A 20-character serial from caller-supplied random bytes (the domain imports no crypto library).
 * A 32-letter alphabet takes exactly 5 bits per character, so there is no modulo bias, and the
 * serial sorts as its bytes do: the service leads them with the issue time in milliseconds (48
 * bits, src/adapters/secrets.ts), so an issuer's identifiers grow in order, and the other 52 bits
 * keep them unique and not guessable from the instant.
 */
export function newLicenceSerial(randomBytes: Uint8Array): string {
  if (randomBytes.length < LICENCE_SERIAL_RANDOM_BYTES) {
    throw new RangeError(`newLicenceSerial needs at least ${LICENCE_SERIAL_RANDOM_BYTES} random bytes`);
  }
  let serial = '';
  for (let i = 0; i < LICENCE_SERIAL_LENGTH; i++) {
    const bit = i * 5;
    const byte = bit >> 3;
    const pair = (randomBytes[byte]! << 8) | (randomBytes[byte + 1] ?? 0);
    serial += SERIAL_ALPHABET[(pair >> (11 - (bit & 7))) & 31];
  }
  return serial;
}
