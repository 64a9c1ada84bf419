/**
 * Compact, lossless time encodings for the QR token. China Standard Time (UTC+8) is the
 * default offset: it is the offset of practically every record, so it costs no bytes.
 */

export const CHINA_OFFSET_MINUTES = 480;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const BIRTH_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})([+-])(\d{2}):(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `YYYY-MM-DDTHH:mm±HH:MM` → minutes since the epoch (UTC) and the offset; null if not exactly that form. */
export function parseBirthTime(text: string): { epochMinutes: number; offsetMinutes: number } | null {
  const match = BIRTH_TIME.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, offsetHour, offsetMinute] = [1, 2, 3, 4, 5, 7, 8].map((i) => Number(match[i]));
  const offsetMinutes = (match[6] === '-' ? -1 : 1) * (offsetHour! * 60 + offsetMinute!);
  const epochMinutes = Date.UTC(year!, month! - 1, day!, hour!, minute!) / MINUTE_MS - offsetMinutes;
  const parsed = { epochMinutes, offsetMinutes };
  return formatBirthTime(epochMinutes, offsetMinutes) === text ? parsed : null;
}

export function formatBirthTime(epochMinutes: number, offsetMinutes: number): string {
  const local = new Date((epochMinutes + offsetMinutes) * MINUTE_MS);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offset = Math.abs(offsetMinutes);
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}${sign}${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`
  );
}

/** `YYYY-MM-DD` → days since 1970-01-01; null if not a real date. */
export function parseDate(text: string): number | null {
  const match = DATE.exec(text);
  if (!match) return null;
  const days = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
  return formatDate(days) === text ? days : null;
}

export function formatDate(days: number): string {
  const date = new Date(days * DAY_MS);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** The calendar day (in China Standard Time) of an instant given in epoch seconds. */
export const chinaDayOf = (epochSeconds: number): number =>
  Math.floor((epochSeconds * 1000 + CHINA_OFFSET_MINUTES * MINUTE_MS) / DAY_MS);
