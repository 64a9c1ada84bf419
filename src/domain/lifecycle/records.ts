import type { Certificate, CertificateStatus, LicenceEnvelope } from '../certificate.ts';
import type { Applicant, ApplicationBody, DeliveryBody } from '../rules/bodies.ts';

export interface DeliveryRecord extends DeliveryBody {
  id: string;
  institution: string;
  recordedBy: string;
  recordedAt: string;
}

/** `returned`: an online application sent back to the parents for correction (see online-applications.ts). */
export type ApplicationStatus = 'submitted' | 'returned' | 'issuing' | 'issued';

export interface ApplicationRecord {
  id: string;
  institution: string;
  deliveryId: string | null;
  input: ApplicationBody;
  status: ApplicationStatus;
  /** The number (and licence serial) reserved when issuing started; see `NumberHolder`. */
  certificateNo: string | null;
  licenceSerial: string | null;
  createdBy: string;
  createdAt: string;
}

/**
 * 登记 items: kept by the issuer, never printed, signed or put in the QR. Not to be confused with
 * the certificate register or with 落户 (`HouseholdRegistration`).
 */
export interface RegistrationItems {
  hospitalRecordNo?: string;
  midwifeName?: string;
  applicant?: Applicant;
  marriageCertNo?: string;
  paternityReportNo?: string;
  multipleBirth?: number;
  birthOrder?: number;
  phone?: string;
  lateEntryReason?: string;
}

export type IssueKind = 'first' | 'out-of-institution' | 'replacement' | 'reissue';

export interface CertificateRecord {
  certificateNo: string;
  licenceId: string;
  lineage: string;
  version: number;
  institution: string;
  applicationId: string | null;
  kind: IssueKind;
  status: CertificateStatus;
  statusReason: string | null;
  statusNote: string | null;
  statusChangedAt: string | null;
  supersedes: string | null;
  supersededBy: string | null;
  changeReason: string | null;
  /** For a 补发: whether the child had been through 落户 when the paper was lost (null otherwise). */
  householdRegisteredAtReissue: boolean | null;
  certificate: Certificate;
  licence: LicenceEnvelope;
  registrationItems: RegistrationItems;
  signedJson: string;
  /** Digest of the e-licence's JWS signing input, which the QR carries (see the signer). */
  licenceDigest: string;
  qrText: string;
  issuedAt: string;
  issuedBy: string;
  /** Back-issued for a paper certificate (补录): the paper's number and issue date, no number from stock. */
  backfilled?: true;
}

/** 落户: the police registered the child in a household with this certificate. */
export interface HouseholdRegistration {
  certificateNo: string;
  childIdNumber: string;
  registeredOn: string;
  policeUnit: string;
  recordedAt: string;
  /** The child's name as registered; null when the feedback did not say (older feedback). */
  registeredName: string | null;
  /** Whether `registeredName` differs from the newborn's name on the certificate registered with. */
  nameDiffers: boolean;
  /** 户籍地; null when the feedback did not say. */
  householdPlace: { divisionCode: string; address: string } | null;
}
