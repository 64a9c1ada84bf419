/**
 * The small CBOR (RFC 8949) subset the QR token's payload uses: one map with unsigned-integer
 * labels whose values are integers, text or byte strings — the CWT style of "short claim names".
 * Encoding is deterministic (§4.2.1: shortest heads, labels ascending); the decoder refuses
 * anything else, so one payload has exactly one encoding.
 */
import { decodeUtf8 } from './base64url.ts';

export type CborValue = number | string | Uint8Array;

const MAJOR_UNSIGNED = 0;
const MAJOR_NEGATIVE = 1;
const MAJOR_BYTES = 2;
const MAJOR_TEXT = 3;
const MAJOR_MAP = 5;
const MAX_ENTRIES = 32;
const utf8 = new TextEncoder();

function head(major: number, value: number): number[] {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('CBOR argument out of range');
  const type = major << 5;
  if (value < 24) return [type | value];
  if (value < 0x100) return [type | 24, value];
  if (value < 0x10000) return [type | 25, value >> 8, value & 0xff];
  if (value < 0x100000000) return [type | 26, ...bytes32(value)];
  const high = Math.floor(value / 0x100000000);
  const low = value >>> 0;
  return [type | 27, ...bytes32(high), ...bytes32(low)];
}

const bytes32 = (value: number): number[] => [value >>> 24, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];

export function encodeCborMap(entries: ReadonlyArray<readonly [number, CborValue]>): Uint8Array {
  const sorted = [...entries].sort((a, b) => a[0] - b[0]);
  const out: number[] = head(MAJOR_MAP, sorted.length);
  for (const [label, value] of sorted) {
    out.push(...head(MAJOR_UNSIGNED, label));
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) throw new RangeError('CBOR values are integers');
      out.push(...(value >= 0 ? head(MAJOR_UNSIGNED, value) : head(MAJOR_NEGATIVE, -1 - value)));
    } else {
      const bytes = typeof value === 'string' ? utf8.encode(value) : value;
      out.push(...head(typeof value === 'string' ? MAJOR_TEXT : MAJOR_BYTES, bytes.length), ...bytes);
    }
  }
  return Uint8Array.from(out);
}

class Reader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}

  /** [major, argument] with the shortest-form rule enforced; null when broken or unsupported. */
  head(): [number, number] | null {
    const initial = this.bytes[this.offset++];
    if (initial === undefined) return null;
    const major = initial >> 5;
    const info = initial & 31;
    if (info < 24) return [major, info];
    const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
    if (size === 0 || this.offset + size > this.bytes.length) return null;
    let value = 0;
    for (let i = 0; i < size; i++) value = value * 256 + this.bytes[this.offset++]!;
    const minimum = size === 1 ? 24 : size === 2 ? 0x100 : size === 4 ? 0x10000 : 0x100000000;
    if (value < minimum || !Number.isSafeInteger(value)) return null;
    return [major, value];
  }

  take(length: number): Uint8Array | null {
    if (this.offset + length > this.bytes.length) return null;
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }
}

/** The map, or null for anything outside the subset (including trailing bytes). */
export function decodeCborMap(bytes: Uint8Array): Map<number, CborValue> | null {
  const reader = new Reader(bytes);
  const top = reader.head();
  if (!top || top[0] !== MAJOR_MAP || top[1] > MAX_ENTRIES) return null;
  const map = new Map<number, CborValue>();
  let previous = -1;
  for (let i = 0; i < top[1]; i++) {
    const label = reader.head();
    if (!label || label[0] !== MAJOR_UNSIGNED || label[1] <= previous) return null;
    previous = label[1];
    const value = readValue(reader);
    if (value === null) return null;
    map.set(label[1], value);
  }
  return reader.offset === bytes.length ? map : null;
}

function readValue(reader: Reader): CborValue | null {
  const item = reader.head();
  if (!item) return null;
  const [major, argument] = item;
  if (major === MAJOR_UNSIGNED) return argument;
  if (major === MAJOR_NEGATIVE) return -1 - argument;
  if (major !== MAJOR_BYTES && major !== MAJOR_TEXT) return null;
  const content = reader.take(argument);
  if (!content) return null;
  return major === MAJOR_BYTES ? content.slice() : decodeUtf8(content);
}
