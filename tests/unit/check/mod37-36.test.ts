import { describe, expect, it } from 'vitest';
import { isValidMod37_36, mod37_36CheckCharacter } from '../../../src/domain/check/mod37-36.ts';

describe('ISO/IEC 7064 MOD 37,36', () => {
  it('gives F for the known-good e-licence identifier body', () => {
    expect(mod37_36CheckCharacter('11100000000013338W03211220000013544541J2430599001')).toBe('F');
  });

  it.each([
    // ISO/IEC 7064 Annex example for MOD 37,36: "A12425GABC1234002" has check character M.
    ['A12425GABC1234002', 'M'],
    ['0', '2'],
    ['', '1'],
  ])('computes the check character of "%s" as %s', (text, check) => {
    expect(mod37_36CheckCharacter(text)).toBe(check);
  });

  it('validates text that ends in its check character', () => {
    expect(isValidMod37_36('A12425GABC1234002M')).toBe(true);
    expect(isValidMod37_36('A12425GABC1234002N')).toBe(false);
    expect(isValidMod37_36('M')).toBe(false);
  });

  it('detects every single-character substitution in a real identifier', () => {
    const body = '11100000000013338W03211220000013544541J2430599001';
    const check = mod37_36CheckCharacter(body)!;
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (let i = 0; i < body.length; i++) {
      for (const c of alphabet) {
        if (c === body[i]) continue;
        expect(mod37_36CheckCharacter(body.slice(0, i) + c + body.slice(i + 1))).not.toBe(check);
      }
    }
  });

  it('refuses characters outside 0-9A-Z', () => {
    expect(mod37_36CheckCharacter('abc')).toBeNull();
    expect(mod37_36CheckCharacter('1.2')).toBeNull();
  });
});
