import { invalidRequest } from '../domain/errors.ts';

/**
 * Control, format (bidi overrides, zero-width, soft hyphen …), line/paragraph separators,
 * private-use, unassigned and lone surrogates: none belongs in any identifier this API names,
 * and an error message quoting one could reorder or hide text in a log viewer or a console.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}]/u;

/**
 * Refuses a path parameter holding an unprintable character, with a 400 naming the parameter
 * but never quoting its value (messages further down, e.g. "No certificate …", do quote it).
 */
export function checkPathParams(params: Record<string, string>): void {
  const bad = Object.entries(params).filter(([, value]) => UNPRINTABLE.test(value));
  if (bad.length > 0) {
    throw invalidRequest(
      bad.map(([name]) => ({ path: name, message: 'must not contain control or format characters' })),
      'A path parameter is not a valid identifier',
    );
  }
}

/** Writes each unprintable character as \u{…}: a backstop for any message that quotes input. */
export const escapeUnprintable = (text: string): string =>
  text.replace(new RegExp(UNPRINTABLE.source, 'gu'), (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`);
