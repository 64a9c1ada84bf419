/** Ports the domain depends on; adapters implement them. */

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Public material of one institution signing key. Private keys never leave the key store. */
export interface SigningKey {
  /** RFC 7638 JWK thumbprint (SHA-256, base64url). */
  kid: string;
  institutionCreditCode: string;
  /** Certificate chain as base64 DER: the institution's x509 certificate first, then intermediates. */
  x5c: string[];
  publicJwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string };
}

/** A key just generated and not yet certified: it can sign only its own certificate. */
export interface PendingKey {
  kid: string;
  publicJwk: SigningKey['publicJwk'];
  /** ECDSA P-256 / SHA-256, IEEE P1363: for the key's first (self-signed or CA-signed) certificate. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/**
 * Signing goes through this interface so a hardware module can replace the file store:
 * it hands out public material only.
 */
export interface KeyStore {
  /** The institution's current signing key; throws DomainError `NO_SIGNING_KEY` if none. */
  activeKey(institutionCreditCode: string): SigningKey;
  /** ECDSA P-256 / SHA-256 signature over `data`, IEEE P1363 (r‖s) encoding, 64 bytes. */
  sign(kid: string, data: Uint8Array): Promise<Uint8Array>;
}

/** The key store as key management sees it: it also makes keys, and still hands out public material only. */
export interface ManagedKeyStore extends KeyStore {
  /** Public material of any e-licence signing key, current or not; DomainError `KEY_NOT_FOUND` if none. */
  signingKey(kid: string): SigningKey;
  /** Creates a P-256 key and keeps its private half; the caller certifies and registers it. */
  generateKey(): PendingKey;
}

/** Which characters the PDF's embedded fonts can draw; text no font can draw is refused at validation. */
export interface GlyphCoverage {
  /** The distinct characters (code points) of `text` that no embedded font can draw, in order of appearance. */
  missingCharacters(text: string): string[];
}

/** GB/T 2260 county-level division codes with the names they derive. */
export interface DivisionDirectory {
  /** null when the code is not a current county-level division. */
  lookup(code: string): { province: string; city: string; county: string } | null;
}
