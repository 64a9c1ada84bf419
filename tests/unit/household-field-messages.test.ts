import { describe, expect, it } from 'vitest';
import { householdProblems } from '../../src/domain/lifecycle/household.ts';
import { errorsByField } from '../../src/web/field-errors.ts';
import { childIdNumber } from '../http/lifecycle-helpers.ts';

describe('the 落户 form explains in Chinese why a child ID number does not fit the certificate', () => {
  const newborn = { birthTime: '2026-11-20T09:30:00+08:00', sex: '1' };
  const now = new Date('2026-11-25T04:00:00Z');

  it('names the sex digit and the birth date, and the registration date out of range', () => {
    const problems = householdProblems(
      newborn,
      { childIdNumber: childIdNumber('2026-11-21', '2'), registeredOn: '2026-11-19' },
      now,
    );
    expect(Object.fromEntries(errorsByField(problems, 'zh-CN'))).toEqual({
      childIdNumber: [
        '身份证号码中的出生日期与出生医学证明不符，请核对。',
        '身份证号码的性别位与出生医学证明上的性别不符，请核对。',
      ],
      registeredOn: ['应在出生日期与今天之间。'],
    });
  });
});
