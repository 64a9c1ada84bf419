import type { CertificateStatus } from '../certificate.ts';
import type { Clock, SigningKey } from '../ports.ts';

export type EcPublicJwk = SigningKey['publicJwk'];

/** `retired`: rotated out, still verifies what it signed before `retiredAt`. */
export type TrustedKeyStatus = 'active' | 'retired' | 'revoked';

/** An institution signing key whose certificate the trust source has already chained to the root. */
export interface TrustedKey {
  /** RFC 7638 thumbprint. */
  kid: string;
  institution: { creditCode: string; name: string };
  publicJwk: EcPublicJwk;
  /** ISO 8601: the certificate chain's validity window. */
  notBefore: string;
  notAfter: string;
  status: TrustedKeyStatus;
  retiredAt: string | null;
  /** Signatures made at or after this instant fail with ISSUER_REVOKED. */
  revokedAt: string | null;
}

export interface TrustSource {
  /**
   * Trusted e-licence signing keys whose kid equals `kid`, or — for the 8-character key hint a
   * QR carries — starts with it. Empty when none.
   */
  findKeys(kid: string): readonly TrustedKey[] | Promise<readonly TrustedKey[]>;
  /** The trust root, base64 DER. */
  rootX509(): string;
  /** GB/T 36903 licence type code, which the QR leaves out of the e-licence identifier. */
  licenceTypeCode(): string;
}

export interface RegisterEntry {
  status: CertificateStatus;
  supersededBy: string | null;
  householdRegistered: boolean;
  /** When known, a presented credential must carry this e-licence identifier. */
  licenceId?: string | null;
  /** When known, base64url SHA-256 of the e-licence's JWS signing input (see `licenceDigest`). */
  licenceDigest?: string | null;
}

/** The certificate register (online: the database; offline: the bundle's status snapshot). */
export interface CertificateRegister {
  lookup(certificateNo: string): RegisterEntry | null | Promise<RegisterEntry | null>;
}

export type X5cChainCheck = { trusted: true; kid: string; notBefore: string; notAfter: string } | { trusted: false };

/** The cryptography the verifier needs; adapters implement it (node crypto, WebCrypto, an HSM …). */
export interface JwsVerifier {
  /** ES256 over the ASCII signing input; false for any failure, never throws. */
  verifyEs256(publicJwk: EcPublicJwk, signingInput: string, signature: Uint8Array): Promise<boolean>;
  /** base64url SHA-256 of the ASCII text. */
  sha256(text: string): string;
  /** The P-256 public key and RFC 7638 thumbprint of an x5c entry; null when it is not one. */
  readX5cLeaf(x5c: string): { kid: string; publicJwk: EcPublicJwk } | null;
  /** Whether `x5c` chains to `rootX509` as an e-licence signing certificate. */
  checkX5cChain(x5c: readonly string[], rootX509: string): X5cChainCheck;
}

export interface VerificationPorts {
  trust: TrustSource;
  register: CertificateRegister;
  jws: JwsVerifier;
  clock: Clock;
}

export type PdfInspectionFailure =
  /** No `%PDF-` header. */
  | 'NOT_PDF'
  /** No `%%EOF` at the end, or the signed byte range runs past the end of the file. */
  | 'TRUNCATED'
  /** The PDF structure cannot be read. */
  | 'MALFORMED'
  | 'NO_SIGNATURE'
  /** The CMS is unreadable, the signed bytes changed, or the signature does not verify. */
  | 'BAD_SIGNATURE'
  /** Bytes follow the signed range (an incremental update): the attachment or page may be swapped. */
  | 'MODIFIED_AFTER_SIGNING'
  | 'NO_ELICENCE'
  /** elicence.json is not UTF-8 JSON. */
  | 'BAD_ELICENCE'
  | 'NO_QR_TEXT'
  /** The QR code drawn on the page is missing or does not encode the stored QR text. */
  | 'QR_MISMATCH';

/** What verification needs from a PDF e-certificate; the PDF adapter finds it. */
export type PdfContents =
  | {
      ok: true;
      /** elicence.json exactly as embedded. */
      signedJsonText: string;
      qrText: string;
      /** The PDF signature is intact over the whole file; this is its signer's certificate (DER). */
      signature: { signerCertDer: Uint8Array | null };
    }
  | { ok: false; reason: PdfInspectionFailure; detail: string };

/** Reads a PDF e-certificate: its PDF signature, embedded e-licence and QR. */
export interface PdfInspector {
  inspect(bytes: Uint8Array): Promise<PdfContents>;
}
