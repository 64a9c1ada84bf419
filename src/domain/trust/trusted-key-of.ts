import type { TrustedKey, TrustedKeyStatus } from '../verification/ports.ts';
import type { X509Checker } from './ports.ts';

export interface KeyLifecycle {
  kid: string;
  status: TrustedKeyStatus;
  retiredAt: string | null;
  revokedAt: string | null;
}

/**
 * A trusted key from a certificate and its lifecycle, or null when the certificate does not
 * chain to the root as an e-licence signing certificate, certifies another key than the one
 * listed, or names another institution. Nothing in a trust list is believed unchecked.
 */
export function trustedKeyOf(
  x509: X509Checker,
  x509Pem: string,
  rootX5c: string,
  institution: { creditCode: string; name: string },
  lifecycle: KeyLifecycle,
): TrustedKey | null {
  let x5c: string;
  try {
    x5c = x509.x5cOf(x509Pem);
  } catch {
    return null;
  }
  const checked = x509.checkChain([x5c], rootX5c, 'elicence-signing');
  if (!checked.ok) return null;
  const { leaf } = checked;
  if (leaf.kid !== lifecycle.kid || leaf.creditCode !== institution.creditCode) return null;
  return {
    kid: leaf.kid,
    institution: { creditCode: institution.creditCode, name: institution.name },
    publicJwk: leaf.publicJwk,
    notBefore: leaf.notBefore.toISOString(),
    notAfter: leaf.notAfter.toISOString(),
    status: lifecycle.status,
    retiredAt: lifecycle.retiredAt,
    revokedAt: lifecycle.revokedAt,
  };
}
