/**
 * What each schema pattern means, in words, keyed by the pattern text in schemas/. A pattern
 * missing here still yields a clear (if generic) message; the unit tests keep this table complete.
 */
const PATTERN_PROBLEMS: Readonly<Record<string, string>> = {
  '^[^\\p{Cc}\\p{Cs}\\u200B-\\u200F\\u2028-\\u202E\\u2060-\\u2069\\uFEFF]*$':
    'must not contain control characters or invisible formatting characters',
  '^[^\\s\\p{C}]+$': 'must not contain spaces, control characters or invisible formatting characters',
  '^[A-Z][0-9]{9}$': 'must be an upper-case letter followed by 9 digits',
  '^[0-9]{17}[0-9X]$': 'must be a citizen ID number: 17 digits followed by a digit or X (GB 11643-1999)',
  '^[A-Z]{3}$': 'must be a 3-letter upper-case country code (GB/T 2659 alpha-3)',
  '^[0-9A-HJ-NP-RTUWXY]{18}$': 'must be 18 characters of the unified social credit code alphabet (GB 32100-2015)',
  '^[0-9]{6}$': 'must be a 6-digit division code (GB/T 2260)',
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(Z|[+-]\\d{2}:\\d{2})$':
    'must be a date and time to the minute with a UTC offset, e.g. 2026-11-20T08:31+08:00',
  '^[0-9A-HJ-NP-RTUWXY]{18}[0-9]{3}$': 'must be a unified social credit code followed by 3 digits',
  '^[0-9]{3}$': 'must be 3 digits',
  '^1\\.2\\.156\\.3005\\.2\\.[0-9A-Z]{21}\\.[0-9A-Z]{18}\\.[0-9A-Z]{1,20}\\.[0-9]{3}\\.[0-9A-Z]$':
    'must be an e-licence identifier 1.2.156.3005.2.<type code>.<credit code>.<serial>.<version>.<check>',
  '^\\+?[0-9][0-9-]{4,19}$': 'must be a phone number: 5–20 digits, hyphens allowed, optional leading +',
  '^[A-Za-z0-9_-]{1,64}$': 'must be 1–64 letters, digits, hyphens or underscores',
  '^[0-9A-Za-z-]{4,64}$': 'must be 4–64 letters, digits or hyphens',
  '^[A-Z]$': 'must be one upper-case letter',
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})$':
    'must be a date and time with a UTC offset, e.g. 2026-11-24T09:00+08:00',
  '^https?://[\\x21-\\x7e]+$': 'must be an absolute http or https URI of printable ASCII characters',
  '^S[A-Za-z0-9_-]{16}$': 'must be a collection slot id: S followed by 16 letters, digits, hyphens or underscores',
  '^[\\x21-\\x7e]+$': 'must be printable ASCII characters without spaces',
};

export const KNOWN_PATTERNS: readonly string[] = Object.keys(PATTERN_PROBLEMS);

export function problemForPattern(pattern: string): string {
  return PATTERN_PROBLEMS[pattern] ?? 'has an invalid format';
}
