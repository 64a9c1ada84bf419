import { deflateSync, inflateSync } from 'node:zlib';
import type { StatusListCompression } from '../../domain/status-lists/ports.ts';

/** zlib (RFC 1950) at the highest level: lists are compressed once per change and fetched many times. */
export const zlibCompression: StatusListCompression = {
  deflate: (bytes) => new Uint8Array(deflateSync(bytes, { level: 9 })),
  inflate(bytes, maxBytes) {
    try {
      return new Uint8Array(inflateSync(bytes, { maxOutputLength: maxBytes }));
    } catch {
      return null;
    }
  },
};
