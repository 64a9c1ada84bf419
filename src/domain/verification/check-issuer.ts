import type { JwsVerifier, TrustedKey, TrustSource } from './ports.ts';
import type { PresentedCredential } from './presented-credential.ts';
import { MAX_CLOCK_SKEW_MS } from './profile.ts';

export type IssuerOutcome =
  | { result: 'pass'; key: TrustedKey }
  | { result: 'fail'; reason: 'UNTRUSTED_ISSUER' }
  /** The key is known and the signature genuine, but made at or after the key's revocation. */
  | { result: 'fail'; reason: 'ISSUER_REVOKED'; key: TrustedKey };

const untrusted: IssuerOutcome = { result: 'fail', reason: 'UNTRUSTED_ISSUER' };

/** A key named by an x5c chain (a signed e-licence's, a PDF signature's) must be in the trust list and chain to the root. */
export async function resolveX5cKey(
  x5c: readonly string[],
  kid: string,
  jws: JwsVerifier,
  trust: TrustSource,
): Promise<{ key: TrustedKey; notBefore: number; notAfter: number } | null> {
  const key = (await trust.findKeys(kid)).find((candidate) => candidate.kid === kid);
  if (!key) return null;
  let chain: ReturnType<JwsVerifier['checkX5cChain']>;
  try {
    chain = jws.checkX5cChain(x5c, trust.rootX509());
  } catch {
    return null;
  }
  if (!chain.trusted || chain.kid !== kid) return null;
  return {
    key,
    notBefore: Math.max(Date.parse(chain.notBefore), Date.parse(key.notBefore)),
    notAfter: Math.min(Date.parse(chain.notAfter), Date.parse(key.notAfter)),
  };
}

/**
 * Judges the issuer at the signing time, not now: a licence signed while the key was good stays
 * good after the key is rotated out, expires or is revoked later; one signed at or after the
 * revocation time fails. The key must belong to the institution the credential names.
 */
export async function checkIssuer(
  credential: PresentedCredential,
  signature: { kid: string; trustedKey: TrustedKey | null },
  ports: { jws: JwsVerifier; trust: TrustSource },
  nowMs: number,
): Promise<IssuerOutcome> {
  let resolved: { key: TrustedKey; notBefore: number; notAfter: number } | null;
  if (signature.trustedKey) {
    const key = signature.trustedKey;
    resolved = { key, notBefore: Date.parse(key.notBefore), notAfter: Date.parse(key.notAfter) };
  } else {
    resolved = await resolveX5cKey(credential.x5c!, signature.kid, ports.jws, ports.trust);
  }
  if (!resolved) return untrusted;
  if (resolved.key.institution.creditCode !== credential.issuerCreditCode) return untrusted;
  return judgeKeyAt(resolved, credential.signedAtMs, nowMs);
}

/**
 * A trusted key judged at a signature's signing time: revoked at or before it → ISSUER_REVOKED;
 * a time in the future, outside the certificate's window or after the key's retirement → not
 * trusted. The same rule for the e-licence, the QR and the PDF signature.
 */
export function judgeKeyAt(
  resolved: { key: TrustedKey; notBefore: number; notAfter: number },
  signedAt: number,
  nowMs: number,
): IssuerOutcome {
  const { key, notBefore, notAfter } = resolved;
  // Fail closed: a revoked key without a readable revocation time is revoked for everything.
  const revokedAt = key.revokedAt === null ? Number.NaN : Date.parse(key.revokedAt);
  if ((key.status === 'revoked' || key.revokedAt !== null) && !(signedAt < revokedAt)) {
    return { result: 'fail', reason: 'ISSUER_REVOKED', key };
  }
  if (signedAt > nowMs + MAX_CLOCK_SKEW_MS) return untrusted;
  if (!(signedAt >= notBefore && signedAt <= notAfter)) return untrusted;
  // A rotated-out key signs nothing new; a signature dated after its retirement is not genuine.
  if (key.retiredAt !== null && !(signedAt <= Date.parse(key.retiredAt))) return untrusted;
  return { result: 'pass', key };
}
