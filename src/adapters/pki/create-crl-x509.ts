import * as asn1js from 'asn1js';
import { OID_CRL_NUMBER } from './oids.ts';
import { cryptoWithSigner, P256_SIGNING_KEY_HANDLE, type X509Signer, x509 } from './x509-signer.ts';

export interface CrlX509Request {
  issuerX509Pem: string;
  /** RFC 5280 §5.2.3: monotonically increasing per issuer. */
  number: number;
  thisUpdate: Date;
  nextUpdate: Date;
  /** Every revoked certificate the issuer signed, with the instant from which it is not trusted. */
  revoked: readonly { x509Pem: string; revokedAt: Date }[];
  /** Signs with the issuer's (the root's) private key. */
  sign: X509Signer;
}

/**
 * A version 2 CRL signed by the root (ECDSA P-256/SHA-256), DER. The revocation date is the
 * instant the register revokes from — which may lie before the revocation was recorded (a
 * suspected compromise) — and is repeated as the invalidity date so readers that know the
 * difference see it.
 */
export async function createCrlX509(request: CrlX509Request): Promise<Uint8Array> {
  const issuer = new x509.X509Certificate(request.issuerX509Pem);
  const issuerKeyId = issuer.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  if (!issuerKeyId) throw new TypeError('The issuing certificate has no subject key identifier');
  const crlNumber = new asn1js.Integer({ value: request.number }).toBER(false);
  const crl = await x509.X509CrlGenerator.create(
    {
      issuer: issuer.subjectName,
      thisUpdate: request.thisUpdate,
      nextUpdate: request.nextUpdate,
      signingKey: P256_SIGNING_KEY_HANDLE,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [
        new x509.AuthorityKeyIdentifierExtension(issuerKeyId),
        new x509.Extension(OID_CRL_NUMBER, false, crlNumber),
      ],
      entries: request.revoked.map((entry) => ({
        serialNumber: new x509.X509Certificate(entry.x509Pem).serialNumber,
        revocationDate: entry.revokedAt,
        invalidity: entry.revokedAt,
      })),
    },
    cryptoWithSigner(request.sign),
  );
  return new Uint8Array(crl.rawData);
}
