/**
 * Object identifiers of this PKI.
 *
 * The project has no registered enterprise number, so its arc is a UUID-derived OID under
 * `2.25` (ITU-T X.667 / ISO/IEC 9834-8): anyone may mint one without registration and it is
 * globally unique. The UUID was generated once (46f6f369-07fe-428f-8b84-dc5c63f2ed94) and must
 * never change: relying parties pin these values. A deployment that obtains an official arc
 * (e.g. under 1.2.156) changes them here and re-issues every signing certificate.
 */
export const PROJECT_ARC = '2.25.94328201679108206604610668606858128788';

/** Extended key usage: signs birth medical certificate e-licences and their QR tokens. */
export const EKU_ELICENCE_SIGNING = `${PROJECT_ARC}.1.1`;

/** Extended key usage: signs offline trust bundles (trust list + status snapshot). */
export const EKU_TRUST_LIST_SIGNING = `${PROJECT_ARC}.1.2`;

/** Extended key usage: signs checkpoints of the audit log (its chain head). */
export const EKU_AUDIT_SIGNING = `${PROJECT_ARC}.1.3`;
/** Extended key usage: signs token status lists (IETF OAuth Token Status List). */
export const EKU_STATUS_LIST_SIGNING = `${PROJECT_ARC}.1.4`;

/** Certificate policy under which institution and trust-list signing certificates are issued. */
export const POLICY_ELICENCE = `${PROJECT_ARC}.2.1`;

/** ETSI EN 319 412-1 organizationIdentifier; carries `NTRCN-<unified social credit code>`. */
export const OID_ORGANIZATION_IDENTIFIER = '2.5.4.97';

/**
 * id-kp-emailProtection (RFC 5280). PDF readers validate a document signer for NSS's
 * "email signer" usage, which an extended key usage without this purpose fails
 * (pdfsig: "Unknown issue with Certificate"); institution certificates carry it beside ours.
 */
export const EKU_EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';
