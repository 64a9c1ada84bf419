import type { CertificateStatus } from '../certificate.ts';
import type { Clock, SigningKey } from '../ports.ts';

export type EcPublicJwk = SigningKey['publicJwk'];

/** A decoded CBOR data item, as far as the QR profile uses CBOR. */
export type CborValue = number | string | boolean | null | Uint8Array | CborValue[] | CborMap;
export type CborMap = Map<CborValue, CborValue>;

/** A COSE_Sign1 (RFC 9052 §4.2) read from a `BC1:` text; nothing in it is trusted yet. */
export interface CoseSign1 {
  protectedHeader: CborMap;
  unprotectedHeader: CborMap;
  /** The payload: a CWT claims set (RFC 8392). */
  claims: CborMap;
  signature: Uint8Array;
  /** The Sig_structure (RFC 9052 §4.4) the signature covers. */
  toBeSigned: Uint8Array;
}

/** Reads QR texts: prefix, base45 (RFC 9285), optional zlib, deterministic CBOR, COSE_Sign1. */
export interface QrCodec {
  /** null unless the text is exactly one canonical encoding of a COSE_Sign1 whose payload is a CBOR map. */
  decode(text: string): CoseSign1 | null;
}

/** A certificate's place in a status list (IETF Token Status List `status_list`). */
export interface StatusReference {
  idx: number;
  uri: string;
}

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
   * Trusted e-licence signing keys whose kid equals `kid`, or — for the 11-character base64url
   * of the 8-byte key identifier a QR carries — whose thumbprint starts with those 8 bytes.
   * Empty when none.
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
  /** When known (online), base64url SHA-256 of the PDF exactly as issued: any other PDF is not ours. */
  pdfDigest?: string | null;
  /**
   * Digests the issued PDF had before it was re-timestamped (each re-timestamp appends to the
   * file, so the file a citizen saved earlier has an earlier digest and is just as genuine).
   */
  earlierPdfDigests?: readonly string[];
  /** When known, the status list entry the register assigned: a credential must name this one. */
  statusList?: StatusReference | null;
  /** When the status comes from a status list rather than the register: the list's time (ISO 8601). */
  asOf?: string;
  /** Online: back-issued (补录) from a paper certificate by `backfill` (docs/backfill.md). */
  backfilled?: boolean;
}

/** No status can be established: the credential names no list the verifier holds, or the list expired. */
export const STATUS_UNAVAILABLE = 'unavailable';

/**
 * The certificate register (online: the database, by number) or the status lists (offline: the
 * bundle's lists, by the credential's status reference; they hold no certificate numbers).
 */
export interface CertificateRegister {
  lookup(certificateNo: string, status: StatusReference | null): RegisterLookup | Promise<RegisterLookup>;
}

export type RegisterLookup = RegisterEntry | null | typeof STATUS_UNAVAILABLE;

export type X5cChainCheck = { trusted: true; kid: string; notBefore: string; notAfter: string } | { trusted: false };

/** The cryptography the verifier needs; adapters implement it (node crypto, WebCrypto, an HSM …). */
export interface JwsVerifier {
  /**
   * ES256 over the signing input (the ASCII JWS signing input, or a COSE Sig_structure); false
   * for any failure, never throws.
   */
  verifyEs256(publicJwk: EcPublicJwk, signingInput: Uint8Array, signature: Uint8Array): Promise<boolean>;
  /** base64url SHA-256 of the bytes. */
  sha256(bytes: Uint8Array): string;
  /** The P-256 public key and RFC 7638 thumbprint of an x5c entry; null when it is not one. */
  readX5cLeaf(x5c: string): { kid: string; publicJwk: EcPublicJwk } | null;
  /** Whether `x5c` chains to `rootX509` as an e-licence signing certificate. */
  checkX5cChain(x5c: readonly string[], rootX509: string): X5cChainCheck;
  /** Whether `x5c` chains to `rootX509` as the trust domain's timestamp authority (critical EKU timeStamping). */
  checkTimestampAuthority?(x5c: readonly string[], rootX509: string): X5cChainCheck;
}

export interface VerificationPorts {
  trust: TrustSource;
  register: CertificateRegister;
  jws: JwsVerifier;
  qr: QrCodec;
  clock: Clock;
}

export type PdfInspectionFailure =
  /** No `%PDF-` header. */
  | 'NOT_PDF'
  /** No `%%EOF` at the end, or the signed byte range runs past the end of the file. */
  | 'TRUNCATED'
  /** The PDF structure cannot be read. */
  | 'MALFORMED'
  /** Reading it would inflate more than the caps allow, or take longer or more memory than allowed. */
  | 'RESOURCE_LIMIT'
  | 'NO_SIGNATURE'
  /** The CMS is unreadable, the signed bytes changed, or the signature does not verify. */
  | 'BAD_SIGNATURE'
  /** Bytes follow the signed range (an incremental update): the attachment or page may be swapped. */
  | 'MODIFIED_AFTER_SIGNING'
  /** The PDF signer's certificate does not chain to the root, or is no trusted key at its signing time. */
  | 'UNTRUSTED_SIGNER'
  /** The PDF was signed at or after its key's revocation. */
  | 'SIGNER_REVOKED'
  | 'NO_ELICENCE'
  /** elicence.json is not UTF-8 JSON. */
  | 'BAD_ELICENCE'
  | 'NO_QR_TEXT'
  /** The QR code drawn on the page is missing or does not encode the stored QR text. */
  | 'QR_MISMATCH'
  /** Online: the register issued another PDF for this certificate (these bytes are not it). */
  | 'NOT_ISSUED'
  /** Offline: the page does not draw what the embedded e-licence says. */
  | 'PAGE_MISMATCH';

type Refusal = { ok: false; reason: PdfInspectionFailure; detail: string };

/** The PDF signature, read without inflating anything: cheap enough to check before the rest. */
export type PdfSignatureReading =
  | {
      ok: true;
      /** The signature is intact over the whole file; this is its signer's certificate (DER). */
      signerCertDer: Uint8Array;
      /** Every certificate the CMS carries, the signer's first. */
      chainDer: Uint8Array[];
      /** The signing time the signature claims (legacy CMS signing-time); null when it names none. */
      signingTime: Date | null;
      /** The signature timestamp (PAdES B-T), intact over the signature value; its TSA not yet judged. */
      timestamp: PdfTimestamp | null;
      /**
       * Document timestamps (PAdES B-LTA), oldest first, each intact over the file up to it; the
       * last covers the whole file whenever the signature does not. Their TSA not yet judged.
       */
      documentTimestamps: PdfTimestamp[];
      /** base64url SHA-256 of the whole file. */
      fileDigest: string;
    }
  | Refusal;

/** An RFC 3161 timestamp found intact in a PDF. */
export interface PdfTimestamp {
  genTime: Date;
  /** The TSA's certificate (DER) first. */
  chainDer: Uint8Array[];
}

/** What verification needs from inside a PDF e-certificate, each stream inflated under a cap. */
export type PdfContents =
  | {
      ok: true;
      /** elicence.json exactly as embedded. */
      signedJsonText: string;
      qrText: string;
    }
  | Refusal;

/** Reads a PDF e-certificate: its PDF signature, embedded e-licence and QR. */
export interface PdfInspector {
  readSignature(bytes: Uint8Array): Promise<PdfSignatureReading>;
  readContents(bytes: Uint8Array): Promise<PdfContents>;
  /**
   * Whether the page draws exactly what the embedded e-licence says. Offline verification has no
   * register of issued PDFs and binds the printed page to the e-licence this way instead.
   */
  pageMatches?(bytes: Uint8Array, contents: { signedJsonText: string; qrText: string }): Promise<boolean>;
}
