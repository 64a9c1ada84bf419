import { describe, expect, it } from 'vitest';
import {
  BIRTH_PLACE_CATEGORIES,
  birthPlaceCategoryText,
  birthTimeText,
  dateText,
  ETHNIC_GROUP_LIST,
  ETHNIC_GROUPS,
  ethnicityText,
  gestationText,
  healthText,
  ID_TYPES,
  idTypeText,
  nationalityText,
  sexText,
  voidReasonText,
} from '../../../src/domain/codes/index.ts';

describe('code tables and display text', () => {
  it('prints sex, health and document types from their codes', () => {
    expect([sexText('1'), sexText('2')]).toEqual(['男', '女']);
    expect([healthText('1'), healthText('2'), healthText('3')]).toEqual(['良好', '一般', '差']);
    expect(idTypeText('01')).toBe('居民身份证');
    expect(idTypeText('06')).toBe('港澳居民来往内地通行证');
    expect(Object.keys(ID_TYPES).sort()).toEqual(['01', '02', '03', '04', '05', '06', '07', '99']);
  });

  it('prints birth place categories, with the issuer text for 其他', () => {
    expect(Object.values(BIRTH_PLACE_CATEGORIES)).toEqual(['医院', '妇幼保健院', '家庭', '其他']);
    expect(birthPlaceCategoryText('2')).toBe('妇幼保健院');
    expect(birthPlaceCategoryText('9', '救护车上')).toBe('救护车上');
    expect(birthPlaceCategoryText('9')).toBe('其他');
  });

  it('has the 56 GB/T 3304 groups in the standard order, then 97 and 98', () => {
    const codes = ETHNIC_GROUP_LIST.map((group) => group.code);
    expect(codes).toHaveLength(58);
    expect(codes.slice(0, 3)).toEqual(['01', '02', '03']);
    expect(codes.slice(-3)).toEqual(['56', '97', '98']);
    expect(Object.keys(ETHNIC_GROUPS).sort()).toEqual([...codes].sort());
    expect(ethnicityText('01')).toBe('汉族');
    expect(ethnicityText('05')).toBe('维吾尔族');
    expect(ethnicityText('08')).toBe('壮族');
    expect(ethnicityText('29')).toBe('柯尔克孜族');
    expect(ethnicityText('46')).toBe('德昂族');
    expect(ethnicityText('56')).toBe('基诺族');
    expect(ethnicityText('97')).toBe('其他');
    expect(ethnicityText('98')).toBe('外国血统中国籍人士');
    expect(ethnicityText(null)).toBe('/');
    expect(() => ethnicityText('57')).toThrow(RangeError);
    expect(() => ethnicityText('toString')).toThrow(RangeError);
  });

  it('prints China and its special regions by the domestic rule, other countries by name', () => {
    const countries = { chineseName: (code: string) => (code === 'USA' ? '美国' : null) };
    expect(nationalityText('CHN')).toBe('中国');
    expect(nationalityText('HKG')).toBe('中国(香港)');
    expect(nationalityText('MAC')).toBe('中国(澳门)');
    expect(nationalityText('TWN', countries)).toBe('中国(台湾)');
    expect(nationalityText('USA', countries)).toBe('美国');
    expect(nationalityText('USA')).toBe('USA');
  });

  it('prints gestation as weeks+days', () => {
    expect(gestationText({ weeks: 39, days: 2 })).toBe('39+2 周');
    expect(gestationText({ weeks: 40, days: 0 })).toBe('40+0 周');
  });

  it("prints the birth time in the offset it was recorded in, not the server's zone", () => {
    expect(birthTimeText('2026-11-20T08:31+08:00')).toBe('2026年11月20日08时31分');
    expect(birthTimeText('2026-01-05T23:05+08:00')).toBe('2026年01月05日23时05分');
    expect(birthTimeText('2026-11-20T00:31Z')).toBe('2026年11月20日00时31分');
    expect(() => birthTimeText('2026-02-30T08:31+08:00')).toThrow(RangeError);
  });

  it('prints dates and void reasons', () => {
    expect(dateText('2026-11-24')).toBe('2026年11月24日');
    expect(voidReasonText('PRINT_ERROR')).toBe('打印错误');
    expect(voidReasonText('ENTRY_ERROR')).toBe('录入错误');
    expect(voidReasonText('LOST_BLANK')).toBe('空白证遗失');
    expect(voidReasonText('OTHER')).toBe('其他');
  });
});
