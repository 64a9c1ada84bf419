import { describe, expect, it } from 'vitest';
import {
  completeCreditCode,
  creditCodeCheckCharacter,
  isValidCreditCode,
} from '../../../src/domain/check/credit-code.ts';

describe('GB 32100-2015 unified social credit code', () => {
  it('accepts the published example', () => {
    expect(isValidCreditCode('11100000000013338W')).toBe(true);
    expect(creditCodeCheckCharacter('11100000000013338')).toBe('W');
  });

  it('accepts the issuer code of the known-good real e-licence identifier', () => {
    expect(isValidCreditCode('11220000013544541J')).toBe(true);
  });

  it('accepts a check value of 0 (31 − S mod 31 = 31)', () => {
    expect(creditCodeCheckCharacter('91440300715267263')).toBe('0');
    expect(isValidCreditCode('914403007152672630')).toBe(true);
  });

  it.each([
    ['wrong check character', '11100000000013338X'],
    ['letter outside the alphabet (I)', '1110000000001333IW'],
    ['letter outside the alphabet (O) as check', '11100000000013338O'],
    ['lower case', '11100000000013338w'],
    ['17 characters', '11100000000013338'],
    ['empty', ''],
  ])('rejects %s', (_name, code) => {
    expect(isValidCreditCode(code)).toBe(false);
  });

  it('completes a 17-character prefix with its check character', () => {
    expect(completeCreditCode('12440106455858140')).toBe('12440106455858140M');
    expect(() => completeCreditCode('1244010645585814')).toThrow(RangeError);
    expect(() => completeCreditCode('1244010645585814I')).toThrow(RangeError);
  });
});
