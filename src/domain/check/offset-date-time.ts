import { type CalendarDate, isCalendarDate } from './calendar.ts';

/**
 * A date-time with an explicit UTC offset (`2026-11-20T08:31+08:00`, seconds optional), parsed by
 * hand: `Date.parse` is lenient about impossible days in some engines, and the wall-clock fields in
 * the writer's own offset are what the certificate prints.
 */
export interface OffsetDateTime {
  /** The wall-clock date in the string's own offset. */
  date: CalendarDate;
  hour: number;
  minute: number;
  second: number;
  /** East of UTC, in minutes. */
  offsetMinutes: number;
  /** Milliseconds since the epoch. */
  instantMs: number;
}

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(Z|([+-])(\d{2}):(\d{2}))$/;
/** Real offsets run from −12:00 to +14:00. */
const MAX_OFFSET_MINUTES = 14 * 60;

export function parseOffsetDateTime(text: string): OffsetDateTime | null {
  const m = SHAPE.exec(text);
  if (!m) return null;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (!isCalendarDate(date) || hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (m[7] !== 'Z') {
    const offsetHours = Number(m[9]);
    const offsetMins = Number(m[10]);
    if (offsetMins > 59) return null;
    offsetMinutes = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
    if (Math.abs(offsetMinutes) > MAX_OFFSET_MINUTES) return null;
  }
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const wallClock = new Date(0);
  wallClock.setUTCFullYear(date.year, date.month - 1, date.day);
  wallClock.setUTCHours(hour, minute, second, 0);
  const wallClockMs = wallClock.getTime();
  return { date, hour, minute, second, offsetMinutes, instantMs: wallClockMs - offsetMinutes * 60_000 };
}

/** The calendar date of `instant` as seen at a fixed UTC offset. */
export function dateAtOffset(instant: Date, offsetMinutes: number): CalendarDate {
  const shifted = new Date(instant.getTime() + offsetMinutes * 60_000);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}
