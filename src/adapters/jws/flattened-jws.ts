import type { KeyStore } from '../../domain/ports.ts';

/** RFC 7515 §7.2.2 flattened JSON serialization. */
export interface FlattenedJws {
  protected: string;
  payload: string;
  signature: string;
}

export const base64url = (bytes: Uint8Array | string): string =>
  (typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes)).toString('base64url');

/** `sigT`-style signing time: ISO 8601 UTC to the second (ETSI JAdES `sigT` format). */
export const signingTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Signs `protected.payload` through the key-store port (so an HSM can do it) and returns the
 * three base64url parts. The JOSE work is done by hand on purpose: no library sees the key.
 */
export async function signJwsParts(
  header: Record<string, unknown>,
  payload: Uint8Array,
  kid: string,
  keyStore: KeyStore,
): Promise<FlattenedJws> {
  const protectedPart = base64url(JSON.stringify(header));
  const payloadPart = base64url(payload);
  const signature = await keyStore.sign(kid, Buffer.from(`${protectedPart}.${payloadPart}`, 'ascii'));
  if (signature.length !== 64) throw new TypeError('The key store returned a signature that is not ES256 P1363');
  return { protected: protectedPart, payload: payloadPart, signature: base64url(signature) };
}
