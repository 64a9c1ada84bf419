/** Ports of key management and trust: the key register, X.509 issuing and checking. */
import type { EcPublicJwk, TrustedKeyStatus } from '../verification/ports.ts';

export type KeyPurpose = 'root' | 'licence' | 'trust-list' | 'audit' | 'status-list' | 'tsa';

/** One key of the register: public material and lifecycle only. */
export interface SigningKeyRecord {
  kid: string;
  purpose: KeyPurpose;
  institutionCreditCode: string | null;
  institutionName: string | null;
  publicJwk: EcPublicJwk;
  x509Pem: string;
  issuerKid: string | null;
  notBefore: string;
  notAfter: string;
  status: TrustedKeyStatus;
  createdAt: string;
  retiredAt: string | null;
  revokedAt: string | null;
  revocationReason: string | null;
}

/** The register of every key the trust domain ever certified (never the private halves). */
export interface KeyRegister {
  insert(record: SigningKeyRecord): void;
  get(kid: string): SigningKeyRecord | null;
  /** Exact kid, or every key whose kid starts with an 8-character QR hint. */
  findByKid(kid: string): SigningKeyRecord[];
  /** The active key of a purpose (and institution, for licence keys). */
  active(purpose: KeyPurpose, institutionCreditCode?: string): SigningKeyRecord | null;
  list(purpose?: KeyPurpose): SigningKeyRecord[];
  retire(kid: string, retiredAt: string): void;
  revoke(kid: string, revokedAt: string, reason: string): void;
  /** A re-issued certificate for the same key (same kid, same validity): the profile changed, nothing else. */
  replaceCertificate(kid: string, x509Pem: string): void;
  /**
   * Runs `work` in one transaction. The register shares its store with the audit log and the
   * institutions, so a change and its audit event written inside `work` land together or not at all.
   */
  transaction<T>(work: () => T): T;
  /**
   * Changes whenever the key register may have changed, by this process or another (the
   * operator CLI): lets readers cache what they derive from it.
   */
  changeMark(): string;
}

/** Signs a TBS structure with ECDSA P-256/SHA-256 and returns IEEE P1363 (r‖s), like `KeyStore.sign`. */
export type X509Signer = (tbs: Uint8Array) => Promise<Uint8Array>;

/**
 * `elicence-signing`: an institution's e-licence signing certificate (digitalSignature +
 * nonRepudiation: the signature is the institution's legal act). `trust-list-signing`: the key
 * that signs offline bundles, so the root key can stay offline. `audit-signing`: the service's key
 * that signs checkpoints of the audit log, good for nothing else.
 */
export type LeafProfile =
  | 'elicence-signing'
  | 'trust-list-signing'
  | 'audit-signing'
  | 'status-list-signing'
  | 'timestamping';

export interface RootX509Request {
  /** e.g. 出生医学证明电子证照根CA; the demo root says 演示 in its name. */
  commonName: string;
  /** e.g. 国家卫生健康委员会. */
  organization: string;
  publicJwk: EcPublicJwk;
  notBefore: Date;
  /** A root outlives every institution certificate it signs and every e-licence those sign. */
  validityYears?: number;
  /** Signs with the root's own private key (self-signature). */
  sign: X509Signer;
}

export interface LeafX509Request {
  profile: LeafProfile;
  subject: { commonName: string; organization: string; creditCode?: string };
  publicJwk: EcPublicJwk;
  notBefore: Date;
  validityYears?: number;
  /** The exact end (a re-issued certificate keeps its predecessor's); else notBefore + validityYears. */
  notAfter?: Date;
  issuerX509Pem: string;
  /** Signs with the issuing CA's private key. */
  sign: X509Signer;
  /** CRL distribution point and AIA caIssuers URLs; left out when absent. */
  publication?: { crlUrl: string; issuerCertificateUrl: string };
}

export interface CrlRequest {
  issuerX509Pem: string;
  number: number;
  thisUpdate: Date;
  nextUpdate: Date;
  revoked: readonly { x509Pem: string; revokedAt: Date }[];
  sign: X509Signer;
}

/** One CRL the root signed, as published. */
export interface StoredCrl {
  number: number;
  der: Uint8Array;
  thisUpdate: string;
  nextUpdate: string;
  /** Which revocations it lists (see `revocationsFingerprint`): a new revocation makes it stale. */
  revocations: string;
}

/** Every CRL the root signed, newest last; never rewritten. */
export interface CrlStore {
  latest(): StoredCrl | null;
  insert(crl: StoredCrl): void;
}

/** Makes and reads the trust domain's certificates (PEM); the private keys stay in the key store. */
export interface X509Issuer {
  /** Self-signed root CA certificate. */
  createRoot(request: RootX509Request): Promise<string>;
  /** A leaf certified by the issuer in `request.issuerX509Pem`. */
  issueLeaf(request: LeafX509Request): Promise<string>;
  /** A CRL (DER) signed by the issuer in `request.issuerX509Pem`. */
  createCrl(request: CrlRequest): Promise<Uint8Array>;
  /** Validity as the certificate states it (ISO 8601, whole seconds) and its subject organisation. */
  describe(x509Pem: string): X509Description;
}

export interface X509Description {
  notBefore: string;
  notAfter: string;
  organization: string | null;
  /** Its subject's common name (service keys are told apart by it, see issue-leaf-x509.ts). */
  commonName?: string | null;
  /** Whether an extension names an OID of the pre-2026 private `2.25` arc (re-issue it). */
  privateArc?: boolean;
  /** The CRL distribution point it names, if any. */
  crlUrl?: string | null;
}

export interface CheckedX509Leaf {
  kid: string;
  publicJwk: EcPublicJwk;
  /** The window in which every certificate of the chain, root included, is valid. */
  notBefore: Date;
  notAfter: Date;
  creditCode: string | null;
}

export type X509Check = { ok: true; leaf: CheckedX509Leaf } | { ok: false };

/** Checks certificates and signatures for the trust list and the offline bundle. */
export interface X509Checker {
  /** The certificate as an `x5c` entry (base64 DER); throws TypeError when `x509Pem` is not one. */
  x5cOf(x509Pem: string): string;
  /** SHA-256 of the DER of an `x5c` entry. */
  sha256Of(x5c: string): Uint8Array;
  /** Whether `x5c` chains to `rootX5c` as a certificate of `profile`. */
  checkChain(x5c: readonly string[], rootX5c: string, profile: LeafProfile): X509Check;
  /** ES256 (P1363 signature) over `data`; false for any failure, never throws. */
  verifyEs256(publicJwk: EcPublicJwk, data: Uint8Array, signature: Uint8Array): boolean;
}

/** Both halves: the PKI adapter implements them together. */
export type X509Tools = X509Issuer & X509Checker;

/** An RFC 3161 TimeStampReq as this TSA accepts it. */
export interface TimestampQuery {
  /** OID of SHA-256, SHA-384 or SHA-512. */
  hashAlgorithm: string;
  hashedMessage: Uint8Array;
  nonce: Uint8Array | null;
  /** Whether the token carries the TSA's certificate. */
  certReq: boolean;
}

/** RFC 3161 encoding: the trust domain's timestamp authority decides, this reads and writes. */
export interface TimestampTokens {
  parseQuery(der: Uint8Array): { ok: true; query: TimestampQuery } | { ok: false; field: string; message: string };
  /** A TimeStampToken (CMS SignedData over TSTInfo), DER. */
  createToken(request: {
    query: TimestampQuery;
    genTime: Date;
    /** The TSA's certificate (PEM) first. */
    tsaChainPem: readonly string[];
    sign: X509Signer;
  }): Promise<Uint8Array>;
  /** TimeStampResp {granted, token}, DER. */
  reply(token: Uint8Array): Uint8Array;
}
