import type { Gestation } from '../certificate.ts';
import { parseIsoDate } from '../check/calendar.ts';
import { parseOffsetDateTime } from '../check/offset-date-time.ts';

/** Printed in the father's boxes when the mother declared him absent. */
export const NOT_PROVIDED_TEXT = '未提供';

const two = (n: number): string => String(n).padStart(2, '0');

/** `39+2 周`, the way the certificate prints gestational age. */
export const gestationText = ({ weeks, days }: Gestation): string => `${weeks}+${days} 周`;

/**
 * `2026年11月20日08时31分`, read in the offset the time was recorded in (the birth's local time),
 * never converted to the server's zone. Throws RangeError for text that is not a valid date-time.
 */
export function birthTimeText(isoDateTime: string): string {
  const parsed = parseOffsetDateTime(isoDateTime);
  if (!parsed) throw new RangeError('Not a date-time with an offset');
  const { date, hour, minute } = parsed;
  return `${date.year}年${two(date.month)}月${two(date.day)}日${two(hour)}时${two(minute)}分`;
}

/** `2026年11月25日` for the issue date. Throws RangeError for text that is not `YYYY-MM-DD`. */
export function dateText(isoDate: string): string {
  const date = parseIsoDate(isoDate);
  if (!date) throw new RangeError('Not a YYYY-MM-DD date');
  return `${date.year}年${two(date.month)}月${two(date.day)}日`;
}
