import { encode } from 'cbor2';
import { describe, expect, it } from 'vitest';
import { coseSizeOf } from '../../src/adapters/cose/cose-qr-codec.ts';

describe('coseSizeOf', () => {
  it('counts the COSE_Sign1 bytes exactly as cbor2 encodes them, at every byte-string head length', () => {
    const kid8 = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const n of [0, 5, 23, 24, 200, 255, 256, 400, 70_000]) {
      const claims = new Map<number, Uint8Array>([[1, new Uint8Array(n)]]);
      const protectedHeader = encode(
        new Map<number, unknown>([
          [1, -7],
          [4, kid8],
        ]),
      );
      // Tag 18 is one byte (0xd2) in front of the array.
      const encoded = 1 + encode([protectedHeader, new Map(), encode(claims), new Uint8Array(64)]).length;
      expect(coseSizeOf(claims, kid8)).toBe(encoded);
    }
  });
});
