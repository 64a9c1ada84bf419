import { describe, expect, it } from 'vitest';
import {
  citizenIdBirthDate,
  citizenIdCheckCharacter,
  citizenIdSex,
  hasValidCitizenIdCheckCharacter,
  isValidCitizenId,
} from '../../../src/domain/check/citizen-id.ts';

describe('GB 11643-1999 citizen ID number', () => {
  it('accepts the standard published example with check character X', () => {
    expect(isValidCitizenId('11010519491231002X')).toBe(true);
    expect(citizenIdCheckCharacter('11010519491231002')).toBe('X');
  });

  it.each([
    ['44010619930512124', '9'],
    ['11010519980102226', '3'],
    ['31011519940330517', 'X'],
    ['65010219920415171', '7'],
  ])('computes the check character of %s as %s', (first17, check) => {
    expect(citizenIdCheckCharacter(first17)).toBe(check);
  });

  it.each([
    ['wrong check character', '110105194912310021'],
    ['lower-case x', '11010519491231002x'],
    ['17 characters', '11010519491231002'],
    ['19 characters', '11010519491231002X1'],
    ['letter inside', '1101051949123100AX'],
    [
      'February 30th with a matching check character',
      `11010520260230001${citizenIdCheckCharacter('11010520260230001')}`,
    ],
    ['month 13 with a matching check character', `11010519491331002${citizenIdCheckCharacter('11010519491331002')}`],
    ['empty', ''],
  ])('rejects %s', (_name, id) => {
    expect(isValidCitizenId(id)).toBe(false);
  });

  it('separates the check character from the date: a bad date can carry a good check character', () => {
    const id = `11010520260230001${citizenIdCheckCharacter('11010520260230001')}`;
    expect(hasValidCitizenIdCheckCharacter(id)).toBe(true);
    expect(citizenIdBirthDate(id)).toBeNull();
  });

  it('reads the birth date, including 29 February in a leap year', () => {
    expect(citizenIdBirthDate('11010519491231002X')).toBe('1949-12-31');
    const leap = `11010520000229001${citizenIdCheckCharacter('11010520000229001')}`;
    expect(citizenIdBirthDate(leap)).toBe('2000-02-29');
    const notLeap = `11010519000229001${citizenIdCheckCharacter('11010519000229001')}`;
    expect(citizenIdBirthDate(notLeap)).toBeNull();
  });

  it('reads the sex from the parity of the 17th digit', () => {
    expect(citizenIdSex('11010519491231002X')).toBe('2');
    expect(citizenIdSex('440106199003074571')).toBe('1');
    expect(citizenIdSex('not a number')).toBeNull();
  });
});
