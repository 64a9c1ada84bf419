import { describe, expect, it } from 'vitest';
import {
  buildLicenceId,
  isValidLicenceId,
  LICENCE_SERIAL_RANDOM_BYTES,
  newLicenceSerial,
  parseLicenceId,
} from '../../src/domain/licence-id.ts';

const REAL = '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F';

describe('e-licence identifiers (GB/T 36904)', () => {
  it("parses DOMAIN.md's known-good real identifier, whose serial is 7 digits", () => {
    expect(parseLicenceId(REAL)).toEqual({
      typeCode: '11100000000013338W032',
      issuerCreditCode: '11220000013544541J',
      serial: '2430599',
      version: '001',
      check: 'F',
    });
  });

  it('builds the same identifier from its parts', () => {
    const parts = {
      typeCode: '11100000000013338W032',
      issuerCreditCode: '11220000013544541J',
      serial: '2430599',
      version: '001',
    };
    expect(buildLicenceId(parts)).toBe(REAL);
  });

  it('round-trips a built identifier with a 20-character serial', () => {
    const parts = {
      typeCode: '11100000000013338W001',
      issuerCreditCode: '12440106455858140M',
      serial: newLicenceSerial(new Uint8Array(13).fill(0xa5)),
      version: '002',
    };
    const id = buildLicenceId(parts);
    expect(parseLicenceId(id)).toMatchObject(parts);
    expect(parts.serial).toHaveLength(20);
  });

  it.each([
    ['wrong check character', REAL.replace(/F$/, 'G')],
    ['altered serial', REAL.replace('2430599', '2430598')],
    ['other root', REAL.replace('1.2.156.3005.2.', '1.2.156.3005.3.')],
    ['issuer credit code with a bad check character', REAL.replace('541J', '541K')],
    ['type code without 3 digits', REAL.replace('W032', 'W03')],
    ['version of 2 digits', REAL.replace('.001.', '.01.')],
    ['serial of 21 characters', REAL.replace('2430599', '243059924305992430599')],
    ['lower-case serial', REAL.replace('2430599', 'abc')],
    ['extra field', `${REAL}.X`],
    ['empty', ''],
  ])('rejects %s', (_name, text) => {
    expect(parseLicenceId(text)).toBeNull();
    expect(isValidLicenceId(text)).toBe(false);
  });

  it('refuses to build from invalid parts', () => {
    const good = {
      typeCode: '11100000000013338W001',
      issuerCreditCode: '12440106455858140M',
      serial: 'A1',
      version: '001',
    };
    expect(() => buildLicenceId({ ...good, issuerCreditCode: '12440106455858140N' })).toThrow(RangeError);
    expect(() => buildLicenceId({ ...good, serial: '' })).toThrow(RangeError);
    expect(() => buildLicenceId({ ...good, version: '1' })).toThrow(RangeError);
  });

  describe('serials', () => {
    it('maps 100 random bits to 20 characters without I, L, O or U', () => {
      expect(newLicenceSerial(new Uint8Array(13))).toBe('00000000000000000000');
      expect(newLicenceSerial(new Uint8Array(13).fill(0xff))).toBe('ZZZZZZZZZZZZZZZZZZZZ');
      // 0x08 0x86 0x42 0x98 0xe8 … encodes 1, 2, 3, 4 … in 5-bit groups.
      const counting = Uint8Array.from([0x08, 0x86, 0x42, 0x98, 0xe8, 0x4a, 0x96, 0xc6, 0xb9, 0xf0, 0x8c, 0xa7, 0x40]);
      expect(newLicenceSerial(counting)).toBe('123456789ABCDEFGHJKM');
    });

    it('needs at least 13 random bytes', () => {
      expect(() => newLicenceSerial(new Uint8Array(LICENCE_SERIAL_RANDOM_BYTES - 1))).toThrow(RangeError);
    });
  });
});
