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

/** The `protected` part of a JWS: its header's JSON, base64url. */
export const protectedPartOf = (header: Record<string, unknown>): string => base64url(JSON.stringify(header));

/**
 * Signs `protected.payload` through the key-store port (so an HSM can do it) and returns the
 * three base64url parts. The JOSE work is done by hand on purpose: no library sees the key.
 * `protectedPart` comes from `protectedPartOf`.
 */
export async function signJwsParts(
  protectedPart: string,
  payload: Uint8Array,
  kid: string,
  keyStore: KeyStore,
): Promise<FlattenedJws> {
  const payloadPart = base64url(payload);
  // The signing input written once, in place (both parts are ASCII).
  const input = Buffer.allocUnsafe(protectedPart.length + 1 + payloadPart.length);
  input.write(protectedPart, 0, 'latin1');
  input[protectedPart.length] = 0x2e;
  input.write(payloadPart, protectedPart.length + 1, 'latin1');
  const signature = await keyStore.sign(kid, input);
  if (signature.length !== 64) throw new TypeError('The key store returned a signature that is not ES256 P1363');
  return { protected: protectedPart, payload: payloadPart, signature: base64url(signature) };
}
