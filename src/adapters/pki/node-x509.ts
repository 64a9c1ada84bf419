import { createHash, createPublicKey, verify } from 'node:crypto';
import type { X509Tools } from '../../domain/trust/ports.ts';
import { checkX509Chain } from './check-x509-chain.ts';
import { createCrlX509 } from './create-crl-x509.ts';
import { createRootX509 } from './create-root-x509.ts';
import { issueLeafX509 } from './issue-leaf-x509.ts';
import { pemToX5c } from './pem.ts';
import { x509 } from './x509-signer.ts';

const UUID_ARC = '2.25.';

/**
 * Extended key usages and policies under a UUID `2.25` arc (the pre-2026 profile's): what common
 * parsers refused. Only the prefix is compared: @peculiar/asn1 prints arcs past 64 bits in hex.
 */
function namesPrivateArc(certificate: x509.X509Certificate): boolean {
  const eku = certificate.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [];
  const policies = certificate.getExtension(x509.CertificatePolicyExtension)?.policies ?? [];
  return [...eku.map(String), ...policies].some((oid) => oid.startsWith(UUID_ARC));
}

function crlUrlOf(certificate: x509.X509Certificate): string | null {
  const points = certificate.getExtension(x509.CRLDistributionPointsExtension)?.distributionPoints ?? [];
  for (const point of points) {
    for (const name of point.distributionPoint?.fullName ?? []) {
      if (name.uniformResourceIdentifier) return name.uniformResourceIdentifier;
    }
  }
  return null;
}

/** The trust domain's X.509 issuing and checking, with @peculiar/x509 and node's crypto. */
export const nodeX509: X509Tools = {
  createRoot: createRootX509,
  issueLeaf: issueLeafX509,
  createCrl: createCrlX509,
  describe(x509Pem) {
    const certificate = new x509.X509Certificate(x509Pem);
    return {
      notBefore: certificate.notBefore.toISOString(),
      notAfter: certificate.notAfter.toISOString(),
      organization: certificate.subjectName.getField('O')[0] ?? null,
      commonName: certificate.subjectName.getField('CN')[0] ?? null,
      privateArc: namesPrivateArc(certificate),
      crlUrl: crlUrlOf(certificate),
    };
  },
  x5cOf: pemToX5c,
  sha256Of: (x5c) => new Uint8Array(createHash('sha256').update(Buffer.from(x5c, 'base64')).digest()),
  checkChain(x5c, rootX5c, profile) {
    const checked = checkX509Chain(x5c, rootX5c, profile);
    return checked.ok ? { ok: true, leaf: checked.leaf } : { ok: false };
  },
  verifyEs256(publicJwk, data, signature) {
    try {
      const key = createPublicKey({ key: publicJwk, format: 'jwk' });
      return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    } catch {
      return false;
    }
  },
};
