import { randomBytes } from 'node:crypto';
import base45 from 'base45';
import { type DecodeOptions, decode, encode, Tag } from 'cbor2';
import { describe, expect, it } from 'vitest';
import { decodeBase45 } from '../../src/adapters/cose/base45-text.ts';
import { decodeCanonical, encodeSigStructure, NOT_HANDLED } from '../../src/adapters/cose/fast-cbor.ts';

/** The options the QR codec gives cbor2: the oracle the fast path must agree with. */
const STRICT: DecodeOptions = {
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

const strict = (bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: decode(bytes, STRICT) };
  } catch {
    return { ok: false };
  }
};

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

function randomValue(next: (n: number) => number, depth: number): unknown {
  const kind = next(depth > 3 ? 5 : 7);
  switch (kind) {
    case 0:
      return [0, 23, 24, 255, 256, 65535, 65536, 2 ** 32 - 1, 1_700_000_000][next(9)]! * (next(2) ? 1 : -1);
    case 1:
      return ['', 'a', '李四', '\uFEFFx', '𠮷', 'x'.repeat(30)][next(6)];
    case 2:
      return new Uint8Array(randomBytes([0, 8, 23, 24, 64][next(5)]!));
    case 3:
      return [true, false, null][next(3)];
    case 4:
      return next(2) ? 2 ** 40 : -(2 ** 40);
    case 5:
      return Array.from({ length: next(4) }, () => randomValue(next, depth + 1));
    default: {
      const map = new Map<unknown, unknown>();
      for (let i = next(5); i > 0; i--) map.set(next(2) ? next(40) - 20 : `k${next(30)}`, randomValue(next, depth + 1));
      return map;
    }
  }
}

describe('the fast CBOR path of the QR codec', () => {
  it('decodes what cbor2 decodes to the same value, or leaves it to cbor2', () => {
    const next = prng(13);
    let handled = 0;
    for (let i = 0; i < 3000; i++) {
      const value = next(4) === 0 ? new Tag(18, [randomValue(next, 1)]) : randomValue(next, 1);
      const bytes = encode(value, { cde: true });
      const fast = decodeCanonical(bytes);
      if (fast === NOT_HANDLED) continue;
      handled++;
      expect(strict(bytes)).toEqual({ ok: true, value: fast });
    }
    expect(handled).toBeGreaterThan(1500);
  });

  it('never accepts a byte string cbor2 refuses, nor reads one differently (mutated encodings)', () => {
    const next = prng(7);
    for (let i = 0; i < 3000; i++) {
      const bytes = encode(randomValue(next, 1), { cde: true });
      const mutated = new Uint8Array(bytes);
      for (let j = next(3) + 1; j > 0; j--) mutated[next(mutated.length)] = next(256);
      const input = next(8) === 0 ? mutated.subarray(0, next(mutated.length)) : mutated;
      const fast = decodeCanonical(input);
      if (fast === NOT_HANDLED) continue;
      expect(strict(input)).toEqual({ ok: true, value: fast });
    }
  });

  it('leaves non-canonical forms to cbor2: long heads, unsorted or duplicate keys, other tags, trailing bytes', () => {
    const cases = [
      '1817', // 23 in a one-byte head
      '190017', // 23 in a two-byte head
      'a2616201616101', // keys out of order
      'a2616101616101', // duplicate key
      'c11a00000001', // tag 1
      'f7', // undefined
      'f93c00', // a float
      '1b0000000100000000', // an eight-byte head
      '8001', // trailing byte
      '7fff', // indefinite text
      '62fffe', // invalid UTF-8
    ];
    for (const hex of cases) expect(decodeCanonical(new Uint8Array(Buffer.from(hex, 'hex')))).toBe(NOT_HANDLED);
  });

  it('writes the Sig_structure byte for byte as cbor2 does', () => {
    for (const [p, n] of [
      [0, 0],
      [13, 23],
      [13, 24],
      [24, 210],
      [255, 256],
      [3, 70_000],
    ] as const) {
      const protectedBytes = new Uint8Array(randomBytes(p));
      const payload = new Uint8Array(randomBytes(n));
      expect(encodeSigStructure(protectedBytes, payload)).toEqual(
        encode(['Signature1', protectedBytes, new Uint8Array(0), payload], { cde: true }),
      );
    }
  });
});

describe('base45 decoding', () => {
  /** The former decoder: the package's decoding, accepted only if it encodes back to the text. */
  const reference = (text: string): Uint8Array | null => {
    if (!/^[0-9A-Z $%*+\-./:]*$/.test(text) || text.length % 3 === 1) return null;
    const bytes = base45.decode(text);
    return base45.encode(bytes) === text ? new Uint8Array(bytes) : null;
  };

  it('agrees with decode-and-re-encode on random texts, overflowing groups and foreign characters', () => {
    const next = prng(45);
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
    for (let i = 0; i < 5000; i++) {
      const chars = next(10) === 0 ? `${alphabet}ab\u00e9\uFEFF` : next(3) === 0 ? ':/' : alphabet;
      const text = Array.from({ length: next(12) }, () => chars[next(chars.length)]).join('');
      expect(decodeBase45(text)).toEqual(reference(text));
    }
    for (const text of ['', 'GGW', 'FGW', ':::', '::', 'U5', 'BB8'])
      expect(decodeBase45(text)).toEqual(reference(text));
  });
});
