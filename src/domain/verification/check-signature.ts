import type { EcPublicJwk, JwsVerifier, TrustedKey, TrustSource } from './ports.ts';
import type { PresentedCredential } from './presented-credential.ts';
import { QR_KID_LENGTH } from './profile.ts';
import { kid8Of } from './qr-kid.ts';

export type SignatureOutcome =
  | { result: 'pass'; kid: string; trustedKey: TrustedKey | null }
  | { result: 'fail' }
  /** A QR naming no key the trust source knows: nothing to verify with. */
  | { result: 'skip' };

const ES256_SIGNATURE_BYTES = 64;

async function verifies(jws: JwsVerifier, jwk: EcPublicJwk, credential: PresentedCredential): Promise<boolean> {
  try {
    return await jws.verifyEs256(jwk, credential.signingInput, credential.signature);
  } catch {
    return false;
  }
}

/**
 * ES256 only: `none`, HS256 (the classic "public key as HMAC secret" confusion) and every other
 * algorithm fail, as does any `crit` header (we implement no extensions, RFC 7515 §4.1.11).
 * A signed e-licence is checked with the key in x5c[0], whose thumbprint must be its kid; a QR
 * (COSE alg -7, read as ES256) with the trusted key(s) whose thumbprint starts with its 8-byte kid.
 */
export async function checkSignature(
  credential: PresentedCredential,
  jws: JwsVerifier,
  trust: TrustSource,
): Promise<SignatureOutcome> {
  const { header } = credential;
  if (header.alg !== 'ES256' || 'crit' in header || credential.signature.length !== ES256_SIGNATURE_BYTES) {
    return { result: 'fail' };
  }
  if (credential.kind === 'signed-json') {
    let leaf: ReturnType<JwsVerifier['readX5cLeaf']> = null;
    try {
      leaf = jws.readX5cLeaf(credential.x5c![0]!);
    } catch {
      leaf = null;
    }
    if (!leaf || leaf.kid !== credential.kid) return { result: 'fail' };
    return (await verifies(jws, leaf.publicJwk, credential))
      ? { result: 'pass', kid: leaf.kid, trustedKey: null }
      : { result: 'fail' };
  }
  const { kid } = credential;
  if (kid.length !== QR_KID_LENGTH) return { result: 'skip' };
  const candidates = (await trust.findKeys(kid)).filter((key) => kid8Of(key.kid) === kid);
  if (candidates.length === 0) return { result: 'skip' };
  // A 64-bit kid could in theory name two keys; the signature decides which one.
  for (const key of candidates) {
    if (await verifies(jws, key.publicJwk, credential)) return { result: 'pass', kid: key.kid, trustedKey: key };
  }
  return { result: 'fail' };
}
