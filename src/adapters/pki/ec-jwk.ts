import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { SigningKey } from '../../domain/ports.ts';

export type EcPublicJwk = SigningKey['publicJwk'];

/** The public P-256 JWK of a key (private or public); anything else is refused. */
export function publicJwkOf(key: KeyObject): EcPublicJwk {
  const jwk = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string') {
    throw new TypeError('Only ECDSA P-256 keys are used in this PKI');
  }
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

/** RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order, base64url. */
export function jwkThumbprint(jwk: EcPublicJwk): string {
  const canonical = `{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}","y":"${jwk.y}"}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

export function spkiDerOf(jwk: EcPublicJwk): Uint8Array {
  return new Uint8Array(createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' }));
}

/**
 * Subject key identifier, RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits
 * (the uncompressed point 04‖x‖y). SHA-1 is what the RFC prescribes and only identifies keys.
 */
export function keyIdentifierOf(jwk: EcPublicJwk): string {
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
  return createHash('sha1').update(point).digest('hex');
}
