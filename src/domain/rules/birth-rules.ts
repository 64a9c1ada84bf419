import type { CalendarDate } from '../check/calendar.ts';
import { parseOffsetDateTime } from '../check/offset-date-time.ts';
import type { Findings } from './detail.ts';

/**
 * The birth time must be a real instant and not after `now`. Returns the birth date in the time's
 * own offset (the local date of birth), or null when the time is not valid.
 * How long ago the birth was (the 24-hour delivery rule) is the lifecycle's concern.
 */
export function checkBirthTime(findings: Findings, path: string, text: string, now: Date): CalendarDate | null {
  const parsed = parseOffsetDateTime(text);
  if (!parsed) {
    findings.add(path, 'is not a real date and time (YYYY-MM-DDThh:mm with a UTC offset of at most 14 hours)');
    return null;
  }
  if (parsed.instantMs > now.getTime()) {
    findings.add(path, 'is in the future');
    return null;
  }
  return parsed.date;
}
