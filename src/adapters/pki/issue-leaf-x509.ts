import type { LeafProfile, LeafX509Request } from '../../domain/trust/ports.ts';
import { keyIdentifierOf, spkiDerOf } from './ec-jwk.ts';
import { EKU_DOCUMENT_SIGNING, EKU_EMAIL_PROTECTION, EKU_TIME_STAMPING, EKU_TSL_SIGNING } from './oids.ts';
import { addYears, randomSerialNumber, subjectName } from './x509-names.ts';
import { cryptoWithSigner, P256_SIGNING_KEY_HANDLE, x509 } from './x509-signer.ts';

/**
 * `elicence-signing`: an institution's e-licence signing certificate (digitalSignature +
 * nonRepudiation: the signature is the institution's legal act). `trust-list-signing`: the key
 * that signs offline bundles, so the root key can stay offline. `status-list-signing`: the key
 * that signs status list tokens. `timestamping`: the RFC 3161 timestamp authority.
 */
/** Where relying parties fetch the root's CRL and the issuing (root) certificate. */
export type X509Publication = NonNullable<LeafX509Request['publication']>;

/**
 * Registered purposes only (RFC 9336, ETSI TS 119 612, RFC 5280). An e-licence key and an audit
 * key share id-kp-documentSigning; they differ by nonRepudiation, which only the institution's
 * legal act carries and which the checker requires (e-licence) or refuses (audit, status list).
 * The audit and status-list keys share one profile: no registered purpose tells a log checkpoint
 * from a status list, and a private arc is what common parsers refused. The register's purpose
 * (and the subject name the root gives each) tells them apart; both keys live in the service's
 * key store under the same custody, so one could not stand in for the other without the other
 * being exposed as well.
 */
const EKU: Record<LeafProfile, string[]> = {
  // The PDF is signed with the same certificate, so PDF readers' signer usage must pass too.
  'elicence-signing': [EKU_DOCUMENT_SIGNING, EKU_EMAIL_PROTECTION],
  'trust-list-signing': [EKU_TSL_SIGNING],
  'audit-signing': [EKU_DOCUMENT_SIGNING],
  'status-list-signing': [EKU_DOCUMENT_SIGNING],
  // RFC 3161 §2.3: exactly one, critical.
  timestamping: [EKU_TIME_STAMPING],
};

const KEY_USAGE: Record<LeafProfile, number> = {
  'elicence-signing': x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
  'trust-list-signing': x509.KeyUsageFlags.digitalSignature,
  'audit-signing': x509.KeyUsageFlags.digitalSignature,
  'status-list-signing': x509.KeyUsageFlags.digitalSignature,
  timestamping: x509.KeyUsageFlags.digitalSignature,
};

/** Issues an end-entity certificate under the given CA certificate; returns PEM. */
export async function issueLeafX509(request: LeafX509Request): Promise<string> {
  const issuer = new x509.X509Certificate(request.issuerX509Pem);
  const issuerKeyId = issuer.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  if (!issuerKeyId) throw new TypeError('The issuing certificate has no subject key identifier');
  const wanted = request.notAfter ?? addYears(request.notBefore, request.validityYears ?? 3);
  // Never outlive the issuer: a chain is only as valid as its shortest link.
  const notAfter = new Date(Math.min(wanted.getTime(), issuer.notAfter.getTime()));
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialNumber(),
      subject: subjectName(request.subject),
      issuer: issuer.subjectName,
      notBefore: request.notBefore,
      notAfter,
      publicKey: spkiDerOf(request.publicJwk),
      signingKey: P256_SIGNING_KEY_HANDLE,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(KEY_USAGE[request.profile], true),
        // Non-critical so generic tools still accept the key (our verifier enforces it), except
        // the timestamp authority's, which RFC 3161 requires critical.
        new x509.ExtendedKeyUsageExtension(EKU[request.profile], request.profile === 'timestamping'),
        new x509.SubjectKeyIdentifierExtension(keyIdentifierOf(request.publicJwk)),
        new x509.AuthorityKeyIdentifierExtension(issuerKeyId),
        ...(request.publication
          ? [
              new x509.CRLDistributionPointsExtension([request.publication.crlUrl], false),
              new x509.AuthorityInfoAccessExtension({ caIssuers: request.publication.issuerCertificateUrl }, false),
            ]
          : []),
      ],
    },
    cryptoWithSigner(request.sign),
  );
  return certificate.toString('pem');
}
