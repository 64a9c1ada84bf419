import { describe, expect, it } from 'vitest';
import { decodeBase64url, decodeUtf8, encodeBase64url } from '../../src/domain/verification/base64url.ts';
import { decodeCborMap, encodeCborMap } from '../../src/domain/verification/cbor.ts';
import { decodeQrClaims, encodeQrClaims, fitQrClaims, type QrClaims } from '../../src/domain/verification/qr-claims.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

describe('base64url', () => {
  it('round-trips and refuses padding, foreign characters and impossible lengths', () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253]);
    expect(decodeBase64url(encodeBase64url(bytes))).toEqual(bytes);
    expect(encodeBase64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    for (const bad of ['AA==', 'A+B/', 'AB C', 'A', '\uFEFFAA']) expect(decodeBase64url(bad)).toBeNull();
  });

  it('refuses non-zero spare bits, so a last character cannot be swapped without changing the bytes', () => {
    expect(decodeBase64url('AA')).toEqual(new Uint8Array([0]));
    expect(decodeBase64url('AB')).toBeNull();
  });

  it('reads UTF-8 strictly: no BOM, no invalid sequences', () => {
    expect(decodeUtf8(new Uint8Array([0xe6, 0x9d, 0x8e]))).toBe('李');
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]))).toBeNull();
    expect(decodeUtf8(new Uint8Array([0xe6, 0x9d]))).toBeNull();
  });
});

describe('the CBOR subset', () => {
  it('encodes deterministically: labels ascending, shortest heads (RFC 8949 §4.2.1)', () => {
    const encoded = encodeCborMap([
      [10, new Uint8Array([1, 2])],
      [1, 'Q1'],
      [4, 1],
      [6, -720],
      [8, 1795566660],
    ]);
    expect(hex(encoded)).toBe('a501625131040106390 2cf081a6b062c440a420102'.replaceAll(' ', ''));
    expect(decodeCborMap(encoded)).toEqual(
      new Map<number, unknown>([
        [1, 'Q1'],
        [4, 1],
        [6, -720],
        [8, 1795566660],
        [10, new Uint8Array([1, 2])],
      ]),
    );
  });

  it('refuses every other encoding of the same data and anything outside the subset', () => {
    expect(decodeCborMap(fromHex('a10118 01'.replaceAll(' ', '')))).toBeNull(); // 1 in a 2-byte head
    expect(decodeCborMap(fromHex('a20201 0101'.replaceAll(' ', '')))).toBeNull(); // labels descending
    expect(decodeCborMap(fromHex('a2010101 01'.replaceAll(' ', '')))).toBeNull(); // duplicate label
    expect(decodeCborMap(fromHex('a10101 00'.replaceAll(' ', '')))).toBeNull(); // trailing byte
    expect(decodeCborMap(fromHex('bf0101ff'))).toBeNull(); // indefinite-length map
    expect(decodeCborMap(fromHex('a101a0'))).toBeNull(); // nested map
    expect(decodeCborMap(fromHex('a10162ff'))).toBeNull(); // truncated text
    expect(decodeCborMap(fromHex('a10162c328'))).toBeNull(); // invalid UTF-8
  });
});

const claims: QrClaims = {
  certificateNo: 'Q440000001',
  licenceIdTail: '12440100455361428Y.K7Q2M9X4B1C8D5E3F6G0.001.7',
  newbornName: '李沐阳',
  newbornNameTruncated: false,
  sex: '2',
  birthTime: '2026-11-20T08:31+08:00',
  motherName: '王晓红',
  motherNameTruncated: false,
  issuedAt: 1795227330,
  issueDate: '2026-11-21',
  licenceDigest: 'vD5Q-A04EAZ_S0-Zg4_pE4nCy0IPLgsSd-Z0vUXptmE',
};

describe('QR claims', () => {
  it('round-trip, leaving default-valued optional labels out', () => {
    const encoded = encodeQrClaims(claims);
    expect(decodeQrClaims(encoded)).toEqual(claims);
    expect(decodeCborMap(encoded)!.size).toBe(8);
  });

  it('carry another birth-time offset and an issue date other than the signing day', () => {
    const unusual = { ...claims, birthTime: '2026-11-20T00:31-09:30', issueDate: '2026-11-02' };
    expect(decodeQrClaims(encodeQrClaims(unusual))).toEqual(unusual);
    expect(decodeCborMap(encodeQrClaims(unusual))!.size).toBe(10);
  });

  it('refuse what they cannot carry losslessly', () => {
    for (const bad of [
      { birthTime: '2026-11-20T08:31:00+08:00' },
      { birthTime: '2026-02-30T08:31+08:00' },
      { issueDate: '2026-13-01' },
    ]) {
      expect(() => encodeQrClaims({ ...claims, ...bad })).toThrow(expect.objectContaining({ code: 'QR_UNENCODABLE' }));
    }
  });

  it('refuse unknown labels and optional labels holding their default', () => {
    const map = [...decodeCborMap(encodeQrClaims(claims))!.entries()];
    expect(decodeQrClaims(encodeCborMap([...map, [12, 1]]))).toBeNull();
    expect(decodeQrClaims(encodeCborMap([...map, [6, 480]]))).toBeNull();
    expect(decodeQrClaims(encodeCborMap([...map, [11, 0]]))).toBeNull();
  });

  it('fit a budget by cutting the longer name first, one code point at a time, and flag the cut', () => {
    const long = { ...claims, newbornName: '欧阳沐阳', motherName: '𠮷'.repeat(50) };
    const fitted = fitQrClaims(long, encodeQrClaims(claims).length + 6);
    expect(fitted.motherNameTruncated).toBe(true);
    expect(fitted.newbornNameTruncated).toBe(false);
    expect(fitted.motherName).toBe('𠮷'.repeat(Array.from(fitted.motherName).length));
    expect(fitQrClaims(claims, 1000)).toBe(claims);
  });

  it('fit exactly as cutting one code point at a time and re-encoding would', () => {
    const naive = (input: QrClaims, maxBytes: number): QrClaims => {
      let fitted = input;
      while (encodeQrClaims(fitted).length > maxBytes) {
        const bytes = (text: string) => Buffer.byteLength(text);
        const cutMother = bytes(fitted.motherName) >= bytes(fitted.newbornName);
        const shorter = (name: string) => Array.from(name).slice(0, -1).join('');
        fitted = cutMother
          ? { ...fitted, motherName: shorter(fitted.motherName), motherNameTruncated: true }
          : { ...fitted, newbornName: shorter(fitted.newbornName), newbornNameTruncated: true };
      }
      return fitted;
    };
    const alphabet = ['李', 'a', '𠮷', '·', 'é'];
    for (let seed = 1; seed < 400; seed++) {
      const name = (length: number, offset: number) =>
        Array.from({ length }, (_, i) => alphabet[(i * seed + offset) % alphabet.length]).join('');
      const input = { ...claims, newbornName: name(1 + (seed % 50), 1), motherName: name(1 + ((seed * 7) % 50), 2) };
      const budget = encodeQrClaims(claims).length + (seed % 60);
      expect(fitQrClaims(input, budget), `seed ${seed}`).toEqual(naive(input, budget));
    }
  });
});
