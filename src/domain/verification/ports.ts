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
