import { describe, expect, it } from 'vitest';
import { checkPurpose } from '../../../src/domain/lifecycle/reads.ts';
import { maskIdNumber } from '../../../src/domain/lifecycle/visibility.ts';
import { visibleTextProblems } from '../../../src/domain/rules/text-rules.ts';
import { actors } from '../lifecycle/world.ts';

describe('names and other printed text', () => {
  it.each([
    ['', ['must not be blank or only spaces and invisible characters']],
    ['   ', ['must not be blank or only spaces and invisible characters']],
    ['\u3000', ['must not be blank or only spaces and invisible characters']],
    ['\u200b\u00ad', ['must not be blank or only spaces and invisible characters']],
    [' 王芳', ['must not start or end with a space']],
    ['王芳 ', ['must not start or end with a space']],
    ['王\u00ad芳', ['contains invisible characters: U+00AD']],
    ['王\u200d芳', ['contains invisible characters: U+200D']],
    ['王芳\u202e', ['contains invisible characters: U+202E']],
    ['\u2066王芳\u2069', ['contains invisible characters: U+2066, U+2069']],
    ['王\ufe0f芳', ['contains invisible characters: U+FE0F']],
    ['王\u{E0100}芳', ['contains invisible characters: U+E0100']],
    [`Ana${'\u0301'.repeat(30)}`, ['stacks more than 4 combining marks on one character']],
  ])('refuses %j', (text, problems) => {
    expect(visibleTextProblems(text)).toEqual(problems);
  });

  it.each(['王芳', '艾力·买买江', 'Nguyễn Thị Minh Khai', 'José Ñúñez', 'བསྒྲུབས'])('accepts %j', (text) => {
    expect(visibleTextProblems(text.normalize('NFC'))).toEqual([]);
  });
});

describe('the purpose of a read', () => {
  const refused = (purpose: unknown) => {
    try {
      checkPurpose(actors.police, purpose);
      return null;
    } catch (error) {
      return (error as { code: string }).code;
    }
  };
  it.each([['.'], ['x'], ['  '], ['\u200b\u200b\u200b'], ['核验\u202e'], ['落户\u0007核验'], ['核\u00ad验']])(
    'refuses %j',
    (purpose) => {
      expect(refused(purpose)).toBe('PURPOSE_REQUIRED');
    },
  );
  it('accepts a short visible purpose, trimmed', () => {
    expect(checkPurpose(actors.police, ' 核验 ')).toBe('核验');
  });
});

describe('masking ID document numbers', () => {
  it('shows at most a third of the characters, whatever the length', () => {
    for (let length = 1; length <= 32; length++) {
      const number = 'A1B2C3D4E5F6G7H8J9K0L1M2N3P4Q5R6'.slice(0, length);
      const masked = maskIdNumber(number);
      expect([...masked]).toHaveLength(length);
      const shown = [...masked].filter((c) => c !== '*').length;
      expect(shown, number).toBeLessThanOrEqual(Math.floor(length / 3));
    }
  });
  it('keeps the last four digits of a citizen ID number and two of its start', () => {
    expect(maskIdNumber('440106199305121249')).toBe('44************1249');
    expect(maskIdNumber('E12345678')).toBe('E******78');
    expect(maskIdNumber('12345')).toBe('****5');
  });
});
