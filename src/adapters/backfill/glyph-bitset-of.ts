import { type FontSet, isIgnorableCodePoint } from '../pdf/fonts.ts';

/** One bit per Unicode code point: 139,264 bytes. */
export const CODE_POINTS = 0x110000;

const WHITESPACE = /\s/u;

/**
 * The fonts' coverage as a bit set: set where `FontSet.missingCharacters` would not report the
 * character (a face draws it, or it is white space or an ignorable selector/joiner). Made once
 * from the parsed fonts and shared with worker threads, so validating a record there needs
 * neither the 25–60 MB of parsed faces per thread nor their start-up time. Apart from
 * glyph-bitset.ts, which reads the set: the threads that only read it do not load the fonts' modules.
 */
export function glyphBitsetOf(fonts: FontSet): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(CODE_POINTS / 8);
  const bits = new Uint8Array(buffer);
  const set = (cp: number) => {
    bits[cp >> 3]! |= 1 << (cp & 7);
  };
  for (const face of fonts.faces) {
    for (const cp of face.font.characterSet) if (cp < CODE_POINTS && face.hasCodePoint(cp)) set(cp);
  }
  // White space and ignorable code points: missingCharacters skips them (the BMP holds every \s).
  for (let cp = 0; cp < 0x10000; cp++) if (WHITESPACE.test(String.fromCharCode(cp))) set(cp);
  set(0x3000);
  for (let cp = 0; cp < CODE_POINTS; cp++) if (isIgnorableCodePoint(cp)) set(cp);
  return buffer;
}
