/**
 * pdf-lib compresses every Flate stream (content streams, font files, the QR form, attachments)
 * with pako, zlib ported to JavaScript: about a third of a certificate's save time, most of it the
 * ~40 KB font subsets. Node's own zlib makes the same format at the same level (6) natively, 3–5×
 * faster. Installed once, for this thread's pdf-lib, when the renderer is loaded.
 */
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';

const requireFromPdfLib = createRequire(createRequire(import.meta.url).resolve('pdf-lib'));
const pako = requireFromPdfLib('pako') as { deflate: (data: Uint8Array, options?: { level?: number }) => Uint8Array };

const jsDeflate = pako.deflate;
let native = true;

/** Only calls as pdf-lib makes them (data, no options) take the native path. */
pako.deflate = (data, options) => {
  if (!native || options !== undefined) return jsDeflate(data, options);
  const out = deflateSync(data);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
};

/** For the PDF benchmark's same-run baseline: pdf-lib's own JavaScript deflate again. */
export function useNativeDeflate(enabled: boolean) {
  native = enabled;
}
