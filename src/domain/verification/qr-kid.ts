import { decodeBase64url, encodeBase64url } from './base64url.ts';
import { QR_KID_BYTES } from './profile.ts';

/**
 * The QR's key identifier of a key: the first 8 bytes of its RFC 7638 thumbprint, in base64url
 * (11 characters). The trust list and JWKS publish it as `kid8`. Empty for a kid that is not a
 * base64url SHA-256 thumbprint.
 */
export function kid8Of(kid: string): string {
  const bytes = decodeBase64url(kid);
  return bytes?.length === 32 ? encodeBase64url(bytes.subarray(0, QR_KID_BYTES)) : '';
}
