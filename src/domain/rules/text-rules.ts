import type { GlyphCoverage } from '../ports.ts';
import type { Findings } from './detail.ts';

const codePoint = (char: string): string => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Text the certificate prints. Request bodies arrive NFC-normalised (validation normalises rather
 * than rejects, since input methods and copy-paste legitimately produce decomposed forms), so a
 * non-NFC value here means signed data that was never normalised: that is refused.
 * With a glyph coverage, every character no embedded font can draw is named, so the issuer can fix
 * the record before the PDF shows a blank box.
 */
export function checkPrintedText(findings: Findings, path: string, text: string, glyphs?: GlyphCoverage): void {
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
