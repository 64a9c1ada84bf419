import { deflateSync, inflateSync } from 'node:zlib';
import { type DecodeOptions, decode, encode, Tag } from 'cbor2';
import type { CborMap, CborValue, CoseSign1, QrCodec } from '../../domain/verification/ports.ts';
import { COSE_ES256, COSE_HEADER, QR_PREFIX } from '../../domain/verification/profile.ts';
import { decodeBase45, encodeBase45 } from './base45-text.ts';
import { decodeCanonical, encodeCanonical, encodeSigStructure, NOT_HANDLED } from './fast-cbor.ts';

/** RFC 9052 §4.2: the COSE_Sign1_Tagged tag. */
const COSE_SIGN1_TAG = 18;
const ES256_SIGNATURE_BYTES = 64;
/** A version-40 QR holds 4,296 alphanumeric characters; nothing genuine inflates beyond this. */
const MAX_INFLATED_BYTES = 4096;
/** zlib streams start with CMF 0x78 (deflate, 32 KB window); a COSE_Sign1 starts with 0xd2 or 0x84. */
const ZLIB_CMF = 0x78;

/**
 * Deterministic encoding (RFC 8949 §4.2.1, "CDE" in cbor2): shortest heads, map keys sorted
 * bytewise, no indefinite lengths, no duplicate keys. The decoder refuses anything else, so a
 * claims set has exactly one encoding and nothing can ride along unnoticed.
 */
const DECODE: DecodeOptions = {
  cde: true,
  preferMap: true,
  rejectDuplicateKeys: true,
  rejectStreaming: true,
  rejectUndefined: true,
  rejectFloats: true,
  rejectBigInts: true,
  ignoreGlobalTags: true,
  maxDepth: 8,
};
/** The fast encoder for the subset the signer writes; cbor2 (the reference it is tested against) for the rest. */
const cbor = (value: unknown): Uint8Array => {
  const fast = encodeCanonical(value);
  return fast === NOT_HANDLED ? encode(value, { cde: true }) : fast;
};

/** The Sig_structure for COSE_Sign1 (RFC 9052 §4.4), empty external AAD. */
const toBeSignedOf = encodeSigStructure;

const protectedHeaderOf = (kid8: Uint8Array): Uint8Array =>
  cbor(
    new Map<number, CborValue>([
      [COSE_HEADER.alg, COSE_ES256],
      [COSE_HEADER.kid, kid8],
    ]),
  );

const sign1 = (protectedBytes: Uint8Array, payload: Uint8Array, signature: Uint8Array): Uint8Array =>
  cbor(new Tag(COSE_SIGN1_TAG, [protectedBytes, new Map(), payload, signature]));

/** Bytes of the COSE_Sign1 (before zlib) for these claims: what decides the QR version in the worst case. */
export function coseSizeOf(claims: CborMap, kid8: Uint8Array): number {
  return coseSizeOfPayload(encodeQrClaims(claims), kid8);
}

/** The claims' CBOR: the COSE_Sign1's payload. */
export const encodeQrClaims = (claims: CborMap): Uint8Array => cbor(claims);

/** The length of a CBOR byte string of `n` bytes: its head (RFC 8949 §3) and the bytes. */
const byteStringLength = (n: number) => n + (n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5);

/**
 * `coseSizeOf` for claims already encoded, counted rather than encoded: tag 18 and the array
 * head (one byte each), the protected header, the empty unprotected map (one byte), the
 * payload and the 64-byte signature as byte strings.
 */
export function coseSizeOfPayload(payload: Uint8Array, kid8: Uint8Array): number {
  return (
    3 +
    byteStringLength(protectedHeaderOf(kid8).length) +
    byteStringLength(payload.length) +
    byteStringLength(ES256_SIGNATURE_BYTES)
  );
}

export interface QrTextParts {
  text: string;
  /** The COSE_Sign1 bytes (before zlib). */
  cose: Uint8Array;
  compressed: boolean;
}

/**
 * `BC1:` + base45(zlib(COSE_Sign1) where that is shorter, else COSE_Sign1): the EU DCC's
 * structure. `sign` makes the ES256 signature (IEEE P1363) over the Sig_structure. With
 * `compress: false` zlib is not tried (each try costs a zlib stream set up and torn down, tens
 * of µs, and a COSE_Sign1 that fits uncompressed stays valid either way).
 */
export async function encodeQrText(
  claims: CborMap | Uint8Array,
  kid8: Uint8Array,
  sign: (toBeSigned: Uint8Array) => Promise<Uint8Array>,
  options: { compress?: boolean } = {},
): Promise<QrTextParts> {
  const protectedBytes = protectedHeaderOf(kid8);
  // Claims already encoded (encodeQrClaims) are not encoded again.
  const payload = claims instanceof Uint8Array ? claims : cbor(claims);
  const signature = await sign(toBeSignedOf(protectedBytes, payload));
  if (signature.length !== ES256_SIGNATURE_BYTES) throw new TypeError('The signature is not ES256 P1363');
  const cose = sign1(protectedBytes, payload, signature);
  if (options.compress === false) return { text: QR_PREFIX + encodeBase45(cose), cose, compressed: false };
  const deflated = new Uint8Array(deflateSync(cose, { level: 9 }));
  const compressed = deflated.length < cose.length;
  return { text: QR_PREFIX + encodeBase45(compressed ? deflated : cose), cose, compressed };
}

function decodeCbor(bytes: Uint8Array): unknown {
  const fast = decodeCanonical(bytes);
  if (fast !== NOT_HANDLED) return fast;
  try {
    return decode(bytes, DECODE);
  } catch {
    return undefined;
  }
}

function inflate(bytes: Uint8Array): Uint8Array | null {
  try {
    return new Uint8Array(inflateSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES }));
  } catch {
    return null;
  }
}

const isMap = (value: unknown): value is CborMap => value instanceof Map;

/** COSE_Sign1 bytes (tagged or not), or null. */
export function readCoseSign1(bytes: Uint8Array): CoseSign1 | null {
  let item = decodeCbor(bytes);
  if (item instanceof Tag) {
    if (Number(item.tag) !== COSE_SIGN1_TAG) return null;
    item = item.contents;
  }
  if (!Array.isArray(item) || item.length !== 4) return null;
  const [protectedBytes, unprotectedHeader, payload, signature] = item as unknown[];
  if (!(protectedBytes instanceof Uint8Array) || !(payload instanceof Uint8Array)) return null;
  if (!(signature instanceof Uint8Array) || !isMap(unprotectedHeader)) return null;
  const protectedHeader = protectedBytes.length > 0 ? decodeCbor(protectedBytes) : undefined;
  const claims = decodeCbor(payload);
  if (!isMap(protectedHeader) || !isMap(claims)) return null;
  return {
    protectedHeader,
    unprotectedHeader,
    claims,
    signature,
    toBeSigned: toBeSignedOf(protectedBytes, payload),
  };
}

/** The QR codec port on cbor2, the `base45` package and node's zlib. */
export function createCoseQrCodec(): QrCodec {
  return {
    decode(text) {
      if (!text.startsWith(QR_PREFIX)) return null;
      const raw = decodeBase45(text.slice(QR_PREFIX.length));
      if (!raw || raw.length === 0) return null;
      const bytes = raw[0] === ZLIB_CMF ? inflate(raw) : raw;
      return bytes && readCoseSign1(bytes);
    },
  };
}
