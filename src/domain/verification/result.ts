import type { CertificateStatus, SexCode } from '../certificate.ts';

/** `unknown`: not in the register, or not looked up because an earlier check failed. */
export type VerificationStatus = CertificateStatus | 'unknown';

export type VerificationReason =
  | 'MALFORMED'
  | 'BAD_SIGNATURE'
  | 'UNTRUSTED_ISSUER'
  | 'ISSUER_REVOKED'
  | 'NOT_FOUND'
  | 'SUPERSEDED'
  | 'VOID'
  | 'REVOKED'
  | 'DATA_MISMATCH'
  /** Offline: the credential names no status list the bundle holds, or that list has expired. */
  | 'STATUS_UNAVAILABLE';

export type CheckName = 'format' | 'signature' | 'issuer' | 'status' | 'consistency';

/** `skip`: the check could not run (a QR naming a key the trust list does not know). */
export type CheckResult = 'pass' | 'fail' | 'skip';

export interface VerificationCheck {
  name: CheckName;
  result: CheckResult;
}

/** Only what the presented credential itself carried, and only once its signature holds. */
export interface PresentedCertificate {
  certificateNo: string;
  licenceId: string;
  /** A QR may carry a name cut short to fit; it then ends with "…". */
  newborn: { name: string; sex: SexCode; birthTime: string };
  mother: { name: string };
  issuer: { name: string; creditCode: string };
  issueDate: string;
  /** The signing time (ISO 8601, UTC). */
  issuedAt: string;
}

export interface VerificationResult {
  valid: boolean;
  status: VerificationStatus;
  reason?: VerificationReason;
  supersededBy?: string;
  /** Offline: the status was read from a status list of this time (ISO 8601), not from the register. */
  statusAsOf?: string;
  certificate?: PresentedCertificate;
  /** Online, for a certificate the register holds: back-issued (补录) from a paper certificate. */
  backfilled?: true;
  householdRegistered: boolean;
  checks: VerificationCheck[];
}
