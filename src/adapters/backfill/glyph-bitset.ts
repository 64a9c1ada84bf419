import { Worker } from 'node:worker_threads';
import type { GlyphCoverage } from '../../domain/ports.ts';
import { type FontSet, isIgnorableCodePoint } from '../pdf/fonts.ts';
import { workerSource } from './worker-pool.ts';

/** One bit per Unicode code point: 139,264 bytes. */
const CODE_POINTS = 0x110000;

const WHITESPACE = /\s/u;

/**
 * The fonts' coverage as a bit set: set where `FontSet.missingCharacters` would not report the
 * character (a face draws it, or it is white space or an ignorable selector/joiner). Made once
 * from the parsed fonts and shared with worker threads, so validating a record there needs
 * neither the 25–60 MB of parsed faces per thread nor their start-up time.
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

/**
 * glyphBitsetOf on a thread that loads the fonts and ends (`entry`: glyph-bitset-worker.ts beside this file),
 * so the calling thread never holds the parsed faces.
 */
export function glyphBitsetOffThread(entry: URL): Promise<SharedArrayBuffer> {
  const source = workerSource(entry);
  const thread = new Worker(source.code, { eval: source.eval });
  return new Promise<SharedArrayBuffer>((resolve, reject) => {
    thread.once('message', (buffer: SharedArrayBuffer) => {
      resolve(buffer);
      void thread.terminate();
    });
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`The glyph coverage thread ended with ${code}`)));
  });
}

/** GlyphCoverage over a bit set made by glyphBitsetOf: the same answers, without the fonts. */
export function bitsetGlyphCoverage(buffer: SharedArrayBuffer): GlyphCoverage {
  const bits = new Uint8Array(buffer);
  return {
    missingCharacters(text) {
      const missing: string[] = [];
      for (const ch of text) {
        const cp = ch.codePointAt(0)!;
        if ((bits[cp >> 3]! & (1 << (cp & 7))) === 0 && !missing.includes(ch)) missing.push(ch);
      }
      return missing;
    },
  };
}
