import { Tag } from 'cbor2';

/*
 * A fast path for the one CBOR a genuine QR holds: deterministic (RFC 8949 §4.2.1) unsigned and
 * negative integers up to 32 bits, byte and text strings, arrays, maps with bytewise-sorted
 * unique keys, true/false/null and the COSE_Sign1 tag. cbor2 spends ~50–80 µs per call on
 * set-up alone, three calls per QR — more than the ECDSA check. Anything outside that subset,
 * or not exactly canonical, is not judged here: `decodeCanonical` answers NOT_HANDLED and the
 * caller asks cbor2 with its strict options, so what is accepted or refused is cbor2's word.
 */

export const NOT_HANDLED: unique symbol = Symbol('not handled');

const COSE_SIGN1_TAG = 18;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

class NotHandled extends Error {}
const notHandled = new NotHandled();

interface Cursor {
  bytes: Uint8Array;
  at: number;
}

/** The argument of a head, only in its shortest form and at most 32 bits. */
function argument(c: Cursor, info: number): number {
  if (info < 24) return info;
  const { bytes, at } = c;
  let value: number;
  if (info === 24) {
    if (at + 1 > bytes.length) throw notHandled;
    value = bytes[at]!;
    c.at = at + 1;
    if (value < 24) throw notHandled;
  } else if (info === 25) {
    if (at + 2 > bytes.length) throw notHandled;
    value = (bytes[at]! << 8) | bytes[at + 1]!;
    c.at = at + 2;
    if (value < 0x100) throw notHandled;
  } else if (info === 26) {
    if (at + 4 > bytes.length) throw notHandled;
    value = bytes[at]! * 0x1000000 + ((bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!);
    c.at = at + 4;
    if (value < 0x10000) throw notHandled;
  } else {
    throw notHandled;
  }
  return value;
}

function bytesOf(c: Cursor, length: number): Uint8Array {
  const end = c.at + length;
  if (end > c.bytes.length) throw notHandled;
  const slice = c.bytes.subarray(c.at, end);
  c.at = end;
  return slice;
}

/** Bytewise comparison of two encoded keys (RFC 8949 §4.2.1: keys sorted by their encoding). */
function compare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Containers (arrays, maps, tags) nested deeper than this are left to cbor2, whose `maxDepth`
 * counts levels its own way; a QR nests three at most (tag, array, map; map, map, map).
 */
const MAX_CONTAINERS = 3;

function item(c: Cursor, depth: number): unknown {
  if (c.at >= c.bytes.length) throw notHandled;
  const initial = c.bytes[c.at++]!;
  const major = initial >> 5;
  const info = initial & 0x1f;
  if (major >= 4 && major <= 6 && depth >= MAX_CONTAINERS) throw notHandled;
  switch (major) {
    case 0:
      return argument(c, info);
    case 1:
      return -1 - argument(c, info);
    case 2:
      return bytesOf(c, argument(c, info));
    case 3: {
      let text: string;
      try {
        text = utf8.decode(bytesOf(c, argument(c, info)));
      } catch {
        throw notHandled;
      }
      return text;
    }
    case 4: {
      const length = argument(c, info);
      const array: unknown[] = [];
      for (let i = 0; i < length; i++) array.push(item(c, depth + 1));
      return array;
    }
    case 5: {
      const length = argument(c, info);
      const map = new Map<unknown, unknown>();
      let previous: Uint8Array | null = null;
      for (let i = 0; i < length; i++) {
        const start = c.at;
        const key = item(c, depth + 1);
        if (typeof key !== 'number' && typeof key !== 'string') throw notHandled;
        const encodedKey = c.bytes.subarray(start, c.at);
        if (previous && compare(previous, encodedKey) >= 0) throw notHandled;
        previous = encodedKey;
        map.set(key, item(c, depth + 1));
      }
      return map;
    }
    case 6: {
      if (argument(c, info) !== COSE_SIGN1_TAG) throw notHandled;
      return new Tag(COSE_SIGN1_TAG, item(c, depth + 1));
    }
    default:
      if (initial === 0xf4) return false;
      if (initial === 0xf5) return true;
      if (initial === 0xf6) return null;
      throw notHandled;
  }
}

/** The decoded item, or NOT_HANDLED for anything the caller must give to the full decoder. */
export function decodeCanonical(bytes: Uint8Array): unknown {
  const c: Cursor = { bytes, at: 0 };
  try {
    const value = item(c, 0);
    return c.at === bytes.length ? value : NOT_HANDLED;
  } catch (error) {
    if (error instanceof NotHandled) return NOT_HANDLED;
    throw error;
  }
}

const SIGNATURE1 = new TextEncoder().encode('Signature1');

function byteStringHead(length: number): number[] {
  if (length < 24) return [0x40 | length];
  if (length < 0x100) return [0x58, length];
  if (length < 0x10000) return [0x59, length >> 8, length & 0xff];
  return [0x5a, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff];
}

/**
 * The deterministic encoding of the COSE_Sign1 Sig_structure (RFC 9052 §4.4) with an empty
 * external AAD: ["Signature1", protected, h'', payload], written directly.
 */
export function encodeSigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  const protectedHead = byteStringHead(protectedBytes.length);
  const payloadHead = byteStringHead(payload.length);
  const out = new Uint8Array(
    2 + SIGNATURE1.length + protectedHead.length + protectedBytes.length + 1 + payloadHead.length + payload.length,
  );
  let at = 0;
  out[at++] = 0x84;
  out[at++] = 0x60 | SIGNATURE1.length;
  out.set(SIGNATURE1, at);
  at += SIGNATURE1.length;
  out.set(protectedHead, at);
  at += protectedHead.length;
  out.set(protectedBytes, at);
  at += protectedBytes.length;
  out[at++] = 0x40;
  out.set(payloadHead, at);
  at += payloadHead.length;
  out.set(payload, at);
  return out;
}

/*
 * The encoder for the same subset: what the QR signer writes (the claims map, the protected
 * header, the COSE_Sign1 array under its tag). cbor2's `encode` costs ~40 µs and several
 * kilobytes of garbage per call, four-plus calls per QR (fitting the names measures the size
 * first), which made it the largest cost of back-issuance. The output is the deterministic
 * encoding cbor2 writes with `cde: true`, byte for byte (tests/unit/cose-fast-encode.test.ts):
 * shortest heads, map entries sorted by their encoded keys. Anything outside the subset (a
 * float, an integer beyond 32 bits, another tag or type) answers NOT_HANDLED and the caller
 * encodes it with cbor2.
 */

class Writer {
  /** A Buffer, so text is written into it in place (`Buffer#write`), without a copy per string. */
  buffer: Buffer;
  length = 0;

  constructor(size = 512) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  private ensure(extra: number) {
    if (this.length + extra <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  head(major: number, value: number) {
    this.ensure(5);
    const b = this.buffer;
    const m = major << 5;
    if (value < 24) b[this.length++] = m | value;
    else if (value < 0x100) {
      b[this.length++] = m | 24;
      b[this.length++] = value;
    } else if (value < 0x10000) {
      b[this.length++] = m | 25;
      b[this.length++] = value >> 8;
      b[this.length++] = value & 0xff;
    } else {
      b[this.length++] = m | 26;
      b[this.length++] = (value >>> 24) & 0xff;
      b[this.length++] = (value >> 16) & 0xff;
      b[this.length++] = (value >> 8) & 0xff;
      b[this.length++] = value & 0xff;
    }
  }

  text(value: string) {
    const length = Buffer.byteLength(value, 'utf8');
    this.head(3, length);
    this.ensure(length);
    this.length += this.buffer.write(value, this.length, length, 'utf8');
  }

  bytes(bytes: Uint8Array) {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  byte(value: number) {
    this.ensure(1);
    this.buffer[this.length++] = value;
  }

  /** A copy of what was written, as a plain Uint8Array (the buffer is reused). */
  written(): Uint8Array {
    return new Uint8Array(this.buffer.subarray(0, this.length));
  }
}

/**
 * Map keys are a handful of small integers and short names (the claims' labels), encoded once
 * each: a writer and a byte array per key per map were most of what encoding a QR allocated.
 */
const encodedKeys = new Map<number | string, Uint8Array>();
const MAX_ENCODED_KEYS = 256;

function encodedKey(key: number | string, depth: number): Uint8Array {
  const known = encodedKeys.get(key);
  if (known) return known;
  const k = new Writer(16);
  write(k, key, depth);
  const encoded = k.written();
  if (encodedKeys.size < MAX_ENCODED_KEYS && (typeof key === 'number' || key.length <= 32))
    encodedKeys.set(key, encoded);
  return encoded;
}

const MAX_ARGUMENT = 0xffffffff;
const MAX_ENCODED_DEPTH = 8;

function write(w: Writer, value: unknown, depth: number): void {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || Object.is(value, -0)) throw notHandled;
    if (value >= 0) {
      if (value > MAX_ARGUMENT) throw notHandled;
      w.head(0, value);
    } else {
      if (-1 - value > MAX_ARGUMENT) throw notHandled;
      w.head(1, -1 - value);
    }
    return;
  }
  if (typeof value === 'string') {
    w.text(value);
    return;
  }
  if (value === true || value === false || value === null) {
    w.byte(value === null ? 0xf6 : value ? 0xf5 : 0xf4);
    return;
  }
  if (value instanceof Uint8Array) {
    if (Object.getPrototypeOf(value) !== Uint8Array.prototype && !Buffer.isBuffer(value)) throw notHandled;
    w.head(2, value.length);
    w.bytes(value);
    return;
  }
  // Deeper than anything this service writes: left to cbor2.
  if (depth >= MAX_ENCODED_DEPTH) throw notHandled;
  if (Array.isArray(value)) {
    w.head(4, value.length);
    for (const element of value) write(w, element, depth + 1);
    return;
  }
  if (value instanceof Map) {
    const entries: { key: Uint8Array; value: unknown }[] = [];
    for (const [key, entry] of value) {
      if (typeof key !== 'number' && typeof key !== 'string') throw notHandled;
      entries.push({ key: encodedKey(key, depth + 1), value: entry });
    }
    sortByKey(entries);
    w.head(5, entries.length);
    for (let i = 0; i < entries.length; i++) {
      // Two keys with one encoding (1 and 1.0 cannot occur here; "a" twice cannot in a Map) — but be sure.
      if (i > 0 && compare(entries[i - 1]!.key, entries[i]!.key) === 0) throw notHandled;
      w.bytes(entries[i]!.key);
      write(w, entries[i]!.value, depth + 1);
    }
    return;
  }
  if (value instanceof Tag && Number(value.tag) === COSE_SIGN1_TAG) {
    w.head(6, COSE_SIGN1_TAG);
    write(w, value.contents, depth + 1);
    return;
  }
  throw notHandled;
}

/**
 * Sorts a map's entries by their encoded keys, in place. An insertion sort: a map here has a
 * dozen entries at most, mostly in order already, and Array#sort's scratch copies were a
 * twentieth of what signing a back-issued record allocated.
 */
function sortByKey(entries: { key: Uint8Array; value: unknown }[]): void {
  for (let i = 1; i < entries.length; i++) {
    const entry = entries[i]!;
    let j = i - 1;
    while (j >= 0 && compare(entries[j]!.key, entry.key) > 0) {
      entries[j + 1] = entries[j]!;
      j--;
    }
    entries[j + 1] = entry;
  }
}

/** The deterministic encoding of `value`, or NOT_HANDLED for anything the caller must give to cbor2. */
export function encodeCanonical(value: unknown): Uint8Array | typeof NOT_HANDLED {
  const w = new Writer();
  try {
    write(w, value, 0);
  } catch (error) {
    if (error instanceof NotHandled) return NOT_HANDLED;
    throw error;
  }
  return w.written();
}
