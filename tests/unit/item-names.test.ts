import { describe, expect, it } from 'vitest';
import { itemName } from '../../src/domain/item-names.ts';

describe('Chinese item names', () => {
  it.each([
    ['certificateNo', '出生医学证明编号'],
    ['newborn.birthTime', '出生时间'],
    ['birthPlace.divisionCode', '出生地点'],
    ['mother.idNumber', '母亲有效身份证件号码'],
    ['father.ethnicity', '父亲民族'],
    ['applicant.idNumber', '领证人有效身份证件号码'],
    ['changes.mother.age', '母亲年龄'],
    ['certificate.issuer.creditCode', '签发机构统一社会信用代码'],
    ['licence.id', '电子证照标识'],
  ])('%s is %s', (path, name) => {
    expect(itemName(path)).toBe(name);
  });

  it('names a field by the request it is in when the same name means different things', () => {
    expect(itemName('reason', 'void')).toBe('作废原因');
    expect(itemName('reason', 'reissue')).toBe('补发原因');
    expect(itemName('reason')).toBeUndefined();
  });

  it('knows no name for unknown paths, including prototype keys', () => {
    expect(itemName('mother.favouriteColour')).toBeUndefined();
    expect(itemName('__proto__')).toBeUndefined();
    expect(itemName('mother.constructor')).toBeUndefined();
    expect(itemName('toString')).toBeUndefined();
  });
});
