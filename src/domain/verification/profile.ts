/** The credential profile both the signer and the verifier follow. */

/** `typ` of the signed e-licence (RFC 7515 §4.1.9, `application/` omitted). */
export const ELICENCE_TYP = 'birth-certificate+jws';

/** `typ` of the offline trust bundle, so one can never be presented as the other. */
export const TRUST_BUNDLE_TYP = 'birth-certificate-trust-bundle+jws';

/** GB/T 36904 root arc of e-licence identifiers. */
export const LICENCE_ID_ROOT_ARC = '1.2.156.3005.2';

/** The QR header's kid: the first 8 characters (48 bits) of the key's RFC 7638 thumbprint. */
export const QR_KID_HINT_LENGTH = 8;
export const KID_LENGTH = 43;

/** Input ceilings: far above any genuine credential, low enough that junk costs nothing. */
export const MAX_QR_TEXT_LENGTH = 1024;
export const MAX_SIGNED_JSON_TEXT_LENGTH = 300_000;
export const MAX_PROTECTED_LENGTH = 16_384;
export const MAX_PAYLOAD_LENGTH = 262_144;
export const MAX_X5C_LENGTH = 4;

/** Signing times further in the future than this are refused (clock skew allowance). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
