/**
 * Object identifiers of this PKI: only registered arcs, which every common parser reads.
 *
 * Certificates issued before the 2026 profile carried extended key usages under a UUID-derived
 * `2.25.<128-bit>` arc. GnuTLS and python `cryptography` refuse such an OID (the arc does not fit
 * their integer types), so those certificates were unreadable to them; the arc is kept here only
 * so that e-licences signed under the old profile keep verifying (see check-x509-chain.ts).
 */
export const LEGACY_PROJECT_ARC = '2.25.94328201679108206604610668606858128788';

/** Legacy (pre-2026) extended key usages, accepted when checking old certificates, never issued. */
export const LEGACY_EKU_ELICENCE_SIGNING = `${LEGACY_PROJECT_ARC}.1.1`;
export const LEGACY_EKU_TRUST_LIST_SIGNING = `${LEGACY_PROJECT_ARC}.1.2`;
export const LEGACY_EKU_STATUS_LIST_SIGNING = `${LEGACY_PROJECT_ARC}.1.3`;
export const LEGACY_EKU_AUDIT_SIGNING = `${LEGACY_PROJECT_ARC}.1.4`;

/** RFC 9336 id-kp-documentSigning: signs documents (e-licences, their QR tokens, the PDF). */
export const EKU_DOCUMENT_SIGNING = '1.3.6.1.5.5.7.3.36';

/** ETSI TS 119 612 id-tsl-kp-tslSigning: signs trusted lists (our offline trust bundles). */
export const EKU_TSL_SIGNING = '0.4.0.2231.3.0';

/** RFC 5280 id-kp-timeStamping: the timestamp authority (critical, and nothing else, per RFC 3161). */
export const EKU_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

/** ETSI EN 319 412-1 organizationIdentifier; carries `NTRCN-<unified social credit code>`. */
export const OID_ORGANIZATION_IDENTIFIER = '2.5.4.97';

/**
 * id-kp-emailProtection (RFC 5280). PDF readers validate a document signer for NSS's
 * "email signer" usage, which an extended key usage without this purpose fails
 * (pdfsig: "Unknown issue with Certificate"); institution certificates carry it beside ours.
 */
export const EKU_EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';

/** RFC 5280 CRL number (a CRL extension). */
export const OID_CRL_NUMBER = '2.5.29.20';
