import base45 from 'base45';

const ALPHABET = /^[0-9A-Z $%*+\-./:]*$/;

export const encodeBase45 = (bytes: Uint8Array): string => base45.encode(bytes);

/**
 * Strict RFC 9285 decoding: null for characters outside the alphabet, a length that leaves one
 * character over, or a group whose value overflows (§4: "must be rejected"). The package decodes
 * such texts into some bytes rather than refusing them, so every result is re-encoded and must
 * give back the very text: one credential, one text.
 */
export function decodeBase45(text: string): Uint8Array | null {
  if (!ALPHABET.test(text) || text.length % 3 === 1) return null;
  const bytes = base45.decode(text);
  return base45.encode(bytes) === text ? new Uint8Array(bytes) : null;
}
