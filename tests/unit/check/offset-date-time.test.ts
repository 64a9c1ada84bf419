import { describe, expect, it } from 'vitest';
import { dateAtOffset, parseOffsetDateTime } from '../../../src/domain/check/offset-date-time.ts';

describe('date-times with an offset', () => {
  it('reads the wall clock in its own offset and the instant it names', () => {
    const parsed = parseOffsetDateTime('2026-11-20T08:31+08:00')!;
    expect(parsed.date).toEqual({ year: 2026, month: 11, day: 20 });
    expect([parsed.hour, parsed.minute, parsed.offsetMinutes]).toEqual([8, 31, 480]);
    expect(new Date(parsed.instantMs).toISOString()).toBe('2026-11-20T00:31:00.000Z');
  });

  it('accepts Z, negative offsets and optional seconds', () => {
    expect(parseOffsetDateTime('2026-11-20T00:31Z')!.instantMs).toBe(Date.UTC(2026, 10, 20, 0, 31));
    expect(parseOffsetDateTime('2026-11-19T19:31-05:00')!.instantMs).toBe(Date.UTC(2026, 10, 20, 0, 31));
    expect(parseOffsetDateTime('2026-11-20T08:31:15+08:00')!.second).toBe(15);
  });

  it('keeps two-digit years as written instead of mapping them to the 1900s', () => {
    expect(new Date(parseOffsetDateTime('0050-01-01T00:00Z')!.instantMs).getUTCFullYear()).toBe(50);
  });

  it.each([
    '2026-02-30T08:31+08:00',
    '2026-11-20T24:00+08:00',
    '2026-11-20T08:60+08:00',
    '2026-11-20T08:31+15:00',
    '2026-11-20T08:31+08:60',
    '2026-11-20T08:31',
    '2026-11-20 08:31+08:00',
    '2026-11-20T08:31+0800',
  ])('rejects %s', (text) => {
    expect(parseOffsetDateTime(text)).toBeNull();
  });

  it('gives the calendar date at an offset', () => {
    expect(dateAtOffset(new Date('2026-11-24T16:30Z'), 480)).toEqual({ year: 2026, month: 11, day: 25 });
    expect(dateAtOffset(new Date('2026-11-24T15:30Z'), 480)).toEqual({ year: 2026, month: 11, day: 24 });
  });
});
