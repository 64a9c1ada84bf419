/**
 * A minimal DER writer and reader for the few fixed structures signed on every PDF (CMS
 * SignedData, TSTInfo). asn1js/pkijs build an object tree and re-parse each certificate's TBS to
 * encode it again; these structures are written here straight from their parts instead, byte for
 * byte what pkijs writes (tests/unit/der.test.ts compares the two).
 */

export const TAG = {
  integer: 0x02,
  octetString: 0x04,
  constructedOctetString: 0x24,
  oid: 0x06,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Context-specific tag n: constructed (EXPLICIT, or IMPLICIT over a SET/SEQUENCE) or primitive. */
export const contextTag = (n: number, constructed = true) => (constructed ? 0xa0 : 0x80) | n;

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

/** One TLV over the concatenated parts. */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const head = [tag, ...lengthBytes(length)];
  const out = new Uint8Array(head.length + length);
  out.set(head, 0);
  let at = head.length;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const oidCache = new Map<string, Uint8Array>();

/** OBJECT IDENTIFIER from its dotted form (base-128 arcs). */
export function oid(dotted: string): Uint8Array {
  let encoded = oidCache.get(dotted);
  if (encoded) return encoded;
  const arcs = dotted.split('.').map(BigInt);
  const values = [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)];
  const body: number[] = [];
  for (const value of values) {
    const groups: number[] = [Number(value & 0x7fn)];
    for (let rest = value >> 7n; rest > 0n; rest >>= 7n) groups.unshift(Number(rest & 0x7fn) | 0x80);
    body.push(...groups);
  }
  encoded = tlv(TAG.oid, new Uint8Array(body));
  oidCache.set(dotted, encoded);
  return encoded;
}

/** INTEGER of a small non-negative number. */
export function smallInteger(value: number): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(TAG.integer, new Uint8Array(bytes));
}

/** AlgorithmIdentifier without parameters (how pkijs writes SHA-256 and ecdsa-with-SHA256). */
export const algorithm = (dotted: string) => tlv(TAG.sequence, oid(dotted));

/** GeneralizedTime of whole seconds, UTC: YYYYMMDDHHMMSSZ. */
export function generalizedTime(date: Date): Uint8Array {
  const text = `${date.toISOString().slice(0, 19).replace(/[-T:]/g, '')}Z`;
  return tlv(TAG.generalizedTime, new TextEncoder().encode(text));
}

export interface DerElement {
  tag: number;
  /** The whole TLV. */
  der: Uint8Array;
  /** The value only. */
  value: Uint8Array;
}

/** Reads the TLV at `offset` (definite lengths only, as DER has). */
export function readElement(bytes: Uint8Array, offset = 0): DerElement {
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  if (tag === undefined || length === undefined) throw new RangeError('DER: truncated');
  let at = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new RangeError('DER: unsupported length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[at++]!;
  }
  if (at + length > bytes.length) throw new RangeError('DER: truncated');
  return { tag, der: bytes.subarray(offset, at + length), value: bytes.subarray(at, at + length) };
}

/** The elements directly inside a constructed value. */
export function children(value: Uint8Array): DerElement[] {
  const out: DerElement[] = [];
  for (let at = 0; at < value.length; ) {
    const element = readElement(value, at);
    out.push(element);
    at = element.value.byteOffset - value.byteOffset + element.value.length;
  }
  return out;
}
