import base45 from 'base45';
import { encode, Tag } from 'cbor2';
import { describe, expect, it } from 'vitest';
import { decodeBase45, encodeBase45 } from '../../src/adapters/cose/base45-text.ts';
import { createCoseQrCodec, encodeQrText, readCoseSign1 } from '../../src/adapters/cose/cose-qr-codec.ts';
import { decodeBase64url, decodeUtf8, encodeBase64url } from '../../src/domain/verification/base64url.ts';
import type { CborMap } from '../../src/domain/verification/ports.ts';
import { fitQrClaims, type QrClaims, qrClaimsMap, readQrClaims } from '../../src/domain/verification/qr-claims.ts';

const TYPE_CODE = '11100000000013338W001';
/** Bytes from a fixed seed (a linear congruential generator): the same inputs every run. */
const seededBytes = (seed: number) => (length: number) =>
  Uint8Array.from({ length }, () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 24;
  });
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text.replaceAll(' ', ''), 'hex'));

describe('base64url (JWS parts)', () => {
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

describe('base45 (RFC 9285)', () => {
  it('encodes the RFC’s examples and decodes them back', () => {
    expect(encodeBase45(new TextEncoder().encode('AB'))).toBe('BB8');
    expect(encodeBase45(new TextEncoder().encode('Hello!!'))).toBe('%69 VD92EX0');
    expect(new TextDecoder().decode(decodeBase45('QED8WEX0')!)).toBe('ietf!');
  });

  it('writes the same text as the base45 package for every length up to a QR’s, and reads it back', () => {
    const random = seededBytes(7);
    for (let length = 0; length <= 330; length++) {
      const bytes = random(length);
      const text = encodeBase45(bytes);
      expect(text).toBe(base45.encode(Buffer.from(bytes)));
      expect(decodeBase45(text)).toEqual(bytes);
    }
    // 65,535 = 15 + 16·45 + 32·45² and 255 = 30 + 5·45, least significant digit first
    expect(encodeBase45(new Uint8Array([0xff, 0xff, 0xff]))).toBe('FGWU5');
  });

  it('refuses what the package would decode into some bytes anyway: foreign characters, a lone last character, overflow', () => {
    expect(decodeBase45('%69 VD92EX')).toBeNull(); // one character over
    expect(decodeBase45('bb8')).toBeNull(); // lower case
    expect(decodeBase45('GGW')).toBeNull(); // 65,535 < value: not two bytes
    expect(decodeBase45('ZZ')).toBeNull(); // 2,024 > 255: not one byte
  });
});

const claims: QrClaims = {
  issuerCreditCode: '12440100455361428Y',
  issuedAt: 1795227330,
  licenceId: `1.2.156.3005.2.${TYPE_CODE}.12440100455361428Y.K7Q2M9X4B1C8D5E3F6G0.001.C`,
  status: { idx: 4711, uri: 'https://bc.example.cn/api/v1/status-lists/1' },
  certificateNo: 'Q440000001',
  newbornName: '李沐阳',
  newbornNameTruncated: false,
  sex: '2',
  birthTime: '2026-11-20T08:31+08:00',
  motherName: '王晓红',
  motherNameTruncated: false,
  issueDate: '2026-11-21',
  licenceDigest: 'vD5Q-A04EAZ_S0-Zg4_pE4nCy0IPLgsSd-Z0vUXptmE',
};
const cbor = (value: unknown) => encode(value, { cde: true });
const certificateClaim = (map: CborMap) => map.get(-65537) as CborMap;

describe('QR claims (CWT)', () => {
  it('use the registered CWT keys, the Token Status List claim and one private claim', () => {
    const map = qrClaimsMap(claims);
    expect([...map.keys()]).toEqual([1, 6, 7, 65535, -65537]);
    expect(new TextDecoder().decode(map.get(7) as Uint8Array)).toBe('K7Q2M9X4B1C8D5E3F6G0.001.C');
    expect(map.get(65535)).toEqual(
      new Map([
        [
          'status_list',
          new Map<string, unknown>([
            ['idx', 4711],
            ['uri', claims.status.uri],
          ]),
        ],
      ]),
    );
    expect(hex(cbor(map)).startsWith('a50172313234343031303034353533363134323859061a6b00fec2')).toBe(true);
  });

  it('round-trip, leaving default-valued optional labels out', () => {
    expect(readQrClaims(qrClaimsMap(claims), TYPE_CODE)).toEqual(claims);
    expect(certificateClaim(qrClaimsMap(claims)).size).toBe(6);
  });

  it('carry another birth-time offset and an issue date other than the signing day', () => {
    const unusual = { ...claims, birthTime: '2026-11-20T00:31-09:30', issueDate: '2026-11-02' };
    expect(readQrClaims(qrClaimsMap(unusual), TYPE_CODE)).toEqual(unusual);
    expect(certificateClaim(qrClaimsMap(unusual)).size).toBe(8);
  });

  it('refuse what they cannot carry losslessly', () => {
    for (const bad of [
      { birthTime: '2026-11-20T08:31:00+08:00' },
      { birthTime: '2026-02-30T08:31+08:00' },
      { issueDate: '2026-13-01' },
      { issuerCreditCode: '124400004558586204' },
      { status: { idx: -1, uri: claims.status.uri } },
    ]) {
      expect(() => qrClaimsMap({ ...claims, ...bad })).toThrow(expect.objectContaining({ code: 'QR_UNENCODABLE' }));
    }
  });

  it('refuse unknown claims, optional labels holding their default, another type code and a wrong check character', () => {
    const withClaim = (key: unknown, value: unknown) => new Map([...qrClaimsMap(claims), [key, value]]) as CborMap;
    const withItem = (label: number, value: unknown) => {
      const map = qrClaimsMap(claims);
      certificateClaim(map).set(label, value as number);
      return map;
    };
    expect(readQrClaims(withClaim(4, 1795227330), TYPE_CODE)).toBeNull(); // exp
    expect(readQrClaims(withItem(5, 480), TYPE_CODE)).toBeNull();
    expect(readQrClaims(withItem(9, 0), TYPE_CODE)).toBeNull();
    expect(readQrClaims(qrClaimsMap(claims), '12100000400010930X001')).toBeNull();
    expect(readQrClaims(withClaim(7, new TextEncoder().encode('K7Q2M9X4B1C8D5E3F6G0.001.D')), TYPE_CODE)).toBeNull();
    expect(readQrClaims(withClaim(65535, new Map([['status_list', new Map([['idx', 1]])]])), TYPE_CODE)).toBeNull();
  });

  it('fit by cutting the longer name first, one code point at a time, flagging the cut; names that fit stay whole', () => {
    const long = { ...claims, newbornName: '欧阳沐阳', motherName: '𠮷'.repeat(50) };
    const fits = (candidate: QrClaims) => cbor(qrClaimsMap(candidate)).length <= cbor(qrClaimsMap(claims)).length + 6;
    const fitted = fitQrClaims(long, fits);
    expect(fitted.motherNameTruncated).toBe(true);
    expect(fitted.newbornNameTruncated).toBe(false);
    expect(fitted.motherName).toBe('𠮷'.repeat(Array.from(fitted.motherName).length));
    expect(fits(fitted)).toBe(true);
    expect(fitQrClaims(claims, () => true)).toBe(claims);
  });
});

describe('the COSE codec', () => {
  const kid8 = fromHex('0102030405060708');
  const signature = (data: Uint8Array) => Promise.resolve(new Uint8Array(64).fill(data.length % 256));

  it('writes BC1: + base45 of a tagged COSE_Sign1 with alg -7 and the 8-byte kid protected', async () => {
    const { text, cose } = await encodeQrText(qrClaimsMap(claims), kid8, signature);
    expect(text.startsWith('BC1:')).toBe(true);
    expect(hex(cose).startsWith('d2844da2012604480102030405060708a0')).toBe(true);
    const read = createCoseQrCodec().decode(text)!;
    expect(read.protectedHeader).toEqual(
      new Map<number, unknown>([
        [1, -7],
        [4, kid8],
      ]),
    );
    expect(readQrClaims(read.claims, TYPE_CODE)).toEqual(claims);
    // The Sig_structure of RFC 9052 §4.4: ["Signature1", protected, h'', payload].
    expect(hex(read.toBeSigned).startsWith('846a5369676e6174757265314da2012604480102030405060708405')).toBe(true);
  });

  it('reads zlib-deflated and plain texts alike, and refuses other prefixes and non-canonical CBOR', async () => {
    const { cose } = await encodeQrText(qrClaimsMap(claims), kid8, signature);
    const { deflateSync } = await import('node:zlib');
    const codec = createCoseQrCodec();
    expect(codec.decode(`BC1:${encodeBase45(new Uint8Array(deflateSync(cose)))}`)).not.toBeNull();
    expect(codec.decode(`BC1:${encodeBase45(cose)}`)).not.toBeNull();
    expect(codec.decode(`HC1:${encodeBase45(cose)}`)).toBeNull();
    const untagged = (readCoseSign1(cose) && cose.subarray(1))!;
    expect(readCoseSign1(untagged)).not.toBeNull();
    expect(readCoseSign1(fromHex('d8 12 80'))).toBeNull(); // tag 18 in a 2-byte head
    expect(readCoseSign1(cbor(new Tag(98, [])))).toBeNull(); // COSE_Sign, not Sign1
    expect(readCoseSign1(new Uint8Array([...cose, 0]))).toBeNull(); // trailing byte
  });
});
