import { type CalendarDate, formatIsoDate, isCalendarDate } from './calendar.ts';

/** GB 11643-1999 citizen identity number: 6-digit division, YYYYMMDD, 3-digit sequence, check character. */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;

/** The check character for the first 17 digits; null when they are not 17 digits. */
export function citizenIdCheckCharacter(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** 18 characters (upper-case X only) with a matching check character. Does not look at the date. */
export function hasValidCitizenIdCheckCharacter(id: string): boolean {
  return SHAPE.test(id) && citizenIdCheckCharacter(id.slice(0, 17)) === id[17];
}

function embeddedDate(id: string): CalendarDate | null {
  if (!SHAPE.test(id)) return null;
  const date = { year: Number(id.slice(6, 10)), month: Number(id.slice(10, 12)), day: Number(id.slice(12, 14)) };
  return isCalendarDate(date) ? date : null;
}

/** Valid shape, check character and a real embedded birth date. */
export function isValidCitizenId(id: string): boolean {
  return hasValidCitizenIdCheckCharacter(id) && embeddedDate(id) !== null;
}

/** The embedded birth date as `YYYY-MM-DD`, or null when the number's shape or date is not real. */
export function citizenIdBirthDate(id: string): string | null {
  const date = embeddedDate(id);
  return date ? formatIsoDate(date) : null;
}

/** GB/T 2261.1 sex code from the sequence number's parity (odd = male); null for a malformed number. */
export function citizenIdSex(id: string): '1' | '2' | null {
  if (!SHAPE.test(id)) return null;
  return Number(id[16]) % 2 === 1 ? '1' : '2';
}
