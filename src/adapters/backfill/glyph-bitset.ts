import { Worker } from 'node:worker_threads';
import type { GlyphCoverage } from '../../domain/ports.ts';
import { workerSource } from './worker-pool.ts';

/**
 * glyphBitsetOf (glyph-bitset-of.ts) on a thread that loads the fonts and ends (`entry`: glyph-bitset-worker.ts beside this file),
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
