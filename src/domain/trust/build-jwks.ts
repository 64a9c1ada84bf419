import { encodeBase64url } from '../verification/base64url.ts';
import type { EcPublicJwk, TrustedKeyStatus } from '../verification/ports.ts';
import { kid8Of } from '../verification/qr-kid.ts';
import type { SigningKeyRecord, X509Checker } from './ports.ts';

/** A JWK (RFC 7517) with the x509 chain and, as extra members, the key's lifecycle. */
export interface TrustJwk extends EcPublicJwk {
  kid: string;
  /** The QR's COSE kid: the first 8 bytes of the thumbprint, base64url. */
  kid8: string;
  use: 'sig';
  alg: 'ES256';
  x5c: string[];
  'x5t#S256': string;
  institution: { creditCode: string; name: string };
  status: TrustedKeyStatus;
  notBefore: string;
  notAfter: string;
  retiredAt: string | null;
  revokedAt: string | null;
}

/**
 * `GET /.well-known/jwks.json`: every e-licence signing key ever trusted (retired and revoked
 * ones too: they verify what they signed before), kid = RFC 7638 thumbprint. A generic JOSE
 * library selects by kid and ignores the extra members; our verifiers read `revokedAt`.
 */
export function buildJwks(keys: readonly SigningKeyRecord[], x509: X509Checker): { keys: TrustJwk[] } {
  return {
    keys: keys
      .filter((key) => key.purpose === 'licence')
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.kid.localeCompare(b.kid))
      .map((key) => {
        const x5c = x509.x5cOf(key.x509Pem);
        return {
          kty: 'EC',
          crv: 'P-256',
          x: key.publicJwk.x,
          y: key.publicJwk.y,
          kid: key.kid,
          kid8: kid8Of(key.kid),
          use: 'sig',
          alg: 'ES256',
          x5c: [x5c],
          'x5t#S256': encodeBase64url(x509.sha256Of(x5c)),
          institution: { creditCode: key.institutionCreditCode!, name: key.institutionName! },
          status: key.status,
          notBefore: key.notBefore,
          notAfter: key.notAfter,
          retiredAt: key.retiredAt,
          revokedAt: key.revokedAt,
        };
      }),
  };
}
