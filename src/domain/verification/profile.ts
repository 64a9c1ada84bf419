/** The credential profile both the signer and the verifier follow. */

/** `typ` of the signed e-licence (RFC 7515 §4.1.9, `application/` omitted). */
export const ELICENCE_TYP = 'birth-certificate+jws';

/** `typ` of the offline trust bundle, so one can never be presented as the other. */
export const TRUST_BUNDLE_TYP = 'birth-certificate-trust-bundle+jws';

/** GB/T 36904 root arc of e-licence identifiers. */
export const LICENCE_ID_ROOT_ARC = '1.2.156.3005.2';

/** The 8-character prefix of a thumbprint by which the key register indexes keys. */
export const QR_KID_HINT_LENGTH = 8;
export const KID_LENGTH = 43;

/**
 * The QR profile `BC1:` (docs/qr-profile.md): COSE_Sign1 over a CWT, zlib where shorter,
 * base45, under our own prefix so health-certificate apps (`HC1:`) never mistake it for theirs.
 */
export const QR_PREFIX = 'BC1:';
/** COSE `kid` of a QR: the first 8 bytes of the key's RFC 7638 thumbprint. */
export const QR_KID_BYTES = 8;
/** The same 8 bytes in base64url, as the trust list and JWKS publish them (`kid8`). */
export const QR_KID_LENGTH = 11;
/** COSE header labels and the ES256 algorithm identifier (RFC 9053). */
export const COSE_HEADER = { alg: 1, kid: 4 } as const;
export const COSE_ES256 = -7;
/** CWT claim keys (RFC 8392, IETF Token Status List) and our private claim (below -65536: private use). */
export const CWT_CLAIM = { iss: 1, iat: 6, cti: 7, status: 65535, certificate: -65537 } as const;
/** Characters of a QR text that still fits version 13 at level M in alphanumeric mode. */
export const QR_VERSION_13_M_ALPHANUMERIC = 483;

/** Input ceilings: far above any genuine credential, low enough that junk costs nothing. */
export const MAX_QR_TEXT_LENGTH = 1024;
export const MAX_STATUS_URI_LENGTH = 200;
export const MAX_SIGNED_JSON_TEXT_LENGTH = 300_000;
export const MAX_PROTECTED_LENGTH = 16_384;
export const MAX_PAYLOAD_LENGTH = 262_144;
export const MAX_X5C_LENGTH = 4;

/** Signing times further in the future than this are refused (clock skew allowance). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
