import type { GlyphCoverage } from '../ports.ts';
import type { Findings } from './detail.ts';

const codePoint = (char: string): string => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Characters that print as nothing or reorder what is around them: controls, format characters
 * (soft hyphen U+00AD, zero-width and bidi controls) and every default-ignorable code point
 * (variation selectors, fillers). In a name they make two names that look the same differ.
 */
export const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu');
/** No script needs more marks on one base character than this; dozens are "Zalgo" text. */
export const maxCombiningMarks = 4;
const COMBINING_RUN = new RegExp(`\\p{M}{${maxCombiningMarks + 1},}`, 'u');

/**
 * Problems of text a person will read: blank, spaces at either end, invisible characters (named
 * by code point, never quoting the value) or stacked combining marks.
 */
export function visibleTextProblems(text: string): string[] {
  if (text.replace(INVISIBLE_ALL, '').trim().length === 0)
    return ['must not be blank or only spaces and invisible characters'];
  const problems: string[] = [];
  if (/^\s|\s$/u.test(text)) problems.push('must not start or end with a space');
  const invisible = [...new Set(text.match(INVISIBLE_ALL) ?? [])];
  if (invisible.length > 0) problems.push(`contains invisible characters: ${invisible.map(codePoint).join(', ')}`);
  if (COMBINING_RUN.test(text)) problems.push(`stacks more than ${maxCombiningMarks} combining marks on one character`);
  return problems;
}

/**
 * Text the certificate prints. Request bodies arrive NFC-normalised (validation normalises rather
 * than rejects, since input methods and copy-paste legitimately produce decomposed forms), so a
 * non-NFC value here means signed data that was never normalised: that is refused.
 * With a glyph coverage, every character no embedded font can draw is named, so the issuer can fix
 * the record before the PDF shows a blank box.
 */
export function checkPrintedText(findings: Findings, path: string, text: string, glyphs?: GlyphCoverage): void {
  const problems = visibleTextProblems(text);
  if (problems.length > 0) {
    for (const problem of problems) findings.add(path, problem);
    return;
  }
  if (text !== text.normalize('NFC')) {
    findings.add(path, 'must be in Unicode normalisation form NFC');
    return;
  }
  if (!glyphs) return;
  const missing = glyphs.missingCharacters(text);
  if (missing.length > 0) {
    const list = missing.map((char) => `${codePoint(char)} ${char}`).join(', ');
    findings.add(path, `contains characters no embedded font can print: ${list}`);
  }
}
