import { encode, Tag } from 'cbor2';
import { describe, expect, it } from 'vitest';
import { encodeCanonical, NOT_HANDLED } from '../../src/adapters/cose/fast-cbor.ts';
import type { CborMap, CborValue } from '../../src/domain/verification/ports.ts';
import { qrClaimsMap } from '../../src/domain/verification/qr-claims.ts';

/** cbor2 with the options the QR codec used before the fast path: the oracle, byte for byte. */
const reference = (value: unknown): Uint8Array => encode(value, { cde: true });

function prng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

const TEXTS = [
  '',
  'a',
  '王秀英',
  '李𠮷',
  'x'.repeat(23),
  'y'.repeat(24),
  'z'.repeat(255),
  'w'.repeat(256),
  'idx',
  'uri',
];
const INTEGERS = [
  0, 1, 23, 24, 255, 256, 65535, 65536, 0xffffffff, -1, -24, -25, -256, -257, -65536, -65537, -0x100000000,
];

function randomValue(next: (n: number) => number, depth: number): CborValue {
  switch (next(depth > 2 ? 4 : 6)) {
    case 0:
      return INTEGERS[next(INTEGERS.length)]!;
    case 1:
      return TEXTS[next(TEXTS.length)]!;
    case 2:
      return new Uint8Array(next(300)).map(() => next(256));
    case 3:
      return [true, false, null][next(3)]!;
    case 4:
      return Array.from({ length: next(5) }, () => randomValue(next, depth + 1));
    default: {
      const map: CborMap = new Map();
      for (let i = next(12); i > 0; i--) {
        const key = next(2) === 0 ? INTEGERS[next(INTEGERS.length)]! : TEXTS[next(TEXTS.length)]!;
        map.set(key, randomValue(next, depth + 1));
      }
      return map;
    }
  }
}

describe('the fast canonical CBOR encoder', () => {
  it('writes what cbor2 writes with cde for 2,000 random values of the subset', () => {
    const next = prng(13);
    for (let i = 0; i < 2000; i++) {
      const value = randomValue(next, 0);
      expect(encodeCanonical(value), `value ${i}`).toEqual(reference(value));
    }
  });

  it('writes the QR claims and the tagged COSE_Sign1 of real records as cbor2 does', () => {
    const claims = qrClaimsMap({
      issuerCreditCode: '12110105400000567N',
      issuedAt: 1_764_000_000,
      licenceId: '1.2.156.3005.2.11100000000013338W001.12110105400000567N.001MM802KM0JNFDME7KB.001.P',
      status: { idx: 70_000, uri: 'https://bc.example.gov.cn/api/v1/status-lists/12110105400000567N-2015' },
      certificateNo: 'N100000000',
      newbornName: '李俊杰',
      newbornNameTruncated: true,
      sex: '1',
      birthTime: '2017-01-30T14:20-05:00',
      motherName: '王秀英',
      motherNameTruncated: false,
      issueDate: '2017-02-19',
      licenceDigest: 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg',
    });
    const payload = encodeCanonical(claims);
    expect(payload).toEqual(reference(claims));
    const sign1 = new Tag(18, [new Uint8Array([0xa2, 0x01, 0x26]), new Map(), payload, new Uint8Array(64).fill(7)]);
    expect(encodeCanonical(sign1)).toEqual(reference(sign1));
  });

  it('leaves floats, large integers, other tags and other types to cbor2', () => {
    for (const value of [
      1.5,
      -0,
      2 ** 32,
      -(2 ** 32) - 1,
      2n,
      undefined,
      new Tag(1, 0),
      new Date(0),
      new Uint16Array(2),
    ]) {
      expect(encodeCanonical(value)).toBe(NOT_HANDLED);
    }
    expect(encodeCanonical(new Map([[new Uint8Array(1), 1]]))).toBe(NOT_HANDLED);
  });
});
