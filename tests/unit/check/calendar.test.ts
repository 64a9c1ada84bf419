import { describe, expect, it } from 'vitest';
import { completedYears, parseIsoDate } from '../../../src/domain/check/calendar.ts';

const d = (text: string) => parseIsoDate(text)!;

describe('calendar dates', () => {
  it.each(['2026-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-1-01', '26-01-01'])('rejects %s', (text) => {
    expect(parseIsoDate(text)).toBeNull();
  });

  it('accepts 29 February in leap years only', () => {
    expect(parseIsoDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseIsoDate('2000-02-29')).not.toBeNull();
    expect(parseIsoDate('1900-02-29')).toBeNull();
  });

  it.each([
    ['1993-05-12', '2026-11-20', 33],
    ['1993-11-20', '2026-11-20', 33],
    ['1993-11-21', '2026-11-20', 32],
    ['2000-02-29', '2026-02-28', 25],
    ['2000-02-29', '2026-03-01', 26],
  ])('someone born %s is %i on %s', (born, on, age) => {
    expect(completedYears(d(born), d(on))).toBe(age);
  });
});
