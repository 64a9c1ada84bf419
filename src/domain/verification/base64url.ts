/**
 * Strict RFC 4648 §5 base64url without padding (RFC 7515 §2), in plain TypeScript: the signed
 * e-licence and the offline bundle are JWS, and the domain imports no library to read them.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/**
 * null for anything but canonical base64url: foreign characters, padding, an impossible length,
 * or non-zero spare bits in the last character. The last rule matters: otherwise the final
 * character of a signature could be changed without changing the bytes, and a "tampered"
 * credential would still verify.
 */
export function decodeBase64url(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const bytes = new Uint8Array(Math.floor((text.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let out = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? VALUES[code]! : -1;
    if (value < 0) return null;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[out++] = (buffer >> bits) & 0xff;
    }
  }
  if (bits > 0 && (buffer & ((1 << bits) - 1)) !== 0) return null;
  return bytes;
}

export function encodeBase64url(bytes: Uint8Array): string {
  let text = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer & 0xffff) << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      text += ALPHABET[(buffer >> bits) & 63];
    }
  }
  if (bits > 0) text += ALPHABET[(buffer << (6 - bits)) & 63];
  return text;
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 text of the bytes; null for invalid UTF-8 or a leading byte-order mark. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return null;
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** JSON of a base64url segment (a JWS header or payload), or null. */
export function decodeJsonSegment(segment: string): unknown {
  const bytes = decodeBase64url(segment);
  const text = bytes && decodeUtf8(bytes);
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
