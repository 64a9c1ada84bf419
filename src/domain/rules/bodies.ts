import type {
  BirthPlaceCategory,
  Certificate,
  ELicencePayload,
  IdType,
  Institution,
  LicenceEnvelope,
  Newborn,
  Parent,
} from '../certificate.ts';
import type { VoidReason } from '../codes/void-reasons.ts';

/** The request bodies of API.md, as they are once schemas/*.schema.json and the semantic rules accept them. */

export type NewbornWithoutName = Omit<Newborn, 'name'>;

export interface DeliveryBody {
  newborn: NewbornWithoutName;
  birthPlace: { divisionCode: string };
  birthPlaceCategory: BirthPlaceCategory;
  birthPlaceOther?: string;
  mother: Parent;
  hospitalRecordNo: string;
  midwifeName: string;
  lateEntryReason?: string;
  /** 胎数: how many babies this pregnancy delivered. */
  multipleBirth?: number;
  phone?: string;
}

export type ApplicantRelation = 'mother' | 'father' | 'other';

export interface Applicant {
  name: string;
  relation: ApplicantRelation;
  idType: IdType;
  idNumber: string;
}

interface ApplicationCommon {
  mother: Parent;
  father: Parent | null;
  fatherAbsentReason?: string;
  applicant: Applicant;
  marriageCertNo?: string;
  phone?: string;
}

/** Birth in an institution: the delivery record supplies the newborn and birth-place items. */
export interface ApplicationWithDelivery extends ApplicationCommon {
  deliveryId: string;
  /** The name; the sex and birth time, when the parents state them, are cross-checked at review. */
  newborn: { name: string; sex?: Newborn['sex']; birthTime?: string };
}

/** Birth outside an institution (家庭/其他): no delivery record, a paternity report instead. */
export interface ApplicationWithoutDelivery extends ApplicationCommon {
  deliveryId?: undefined;
  newborn: Newborn;
  birthPlace: { divisionCode: string };
  birthPlaceCategory: BirthPlaceCategory;
  birthPlaceOther?: string;
  deliveryInstitution?: Institution | null;
  paternityReportNo: string;
}

export type ApplicationBody = ApplicationWithDelivery | ApplicationWithoutDelivery;

/** The corrected items of a replacement (换发); number, issuer and issue date are never "corrected". */
export interface CertificateChanges {
  newborn?: Partial<Newborn>;
  birthPlace?: { divisionCode: string };
  birthPlaceCategory?: BirthPlaceCategory;
  birthPlaceOther?: string;
  deliveryInstitution?: Institution | null;
  mother?: Partial<Parent>;
  father?: Partial<Parent> | null;
  fatherAbsentReason?: string;
}

export interface ReplacementBody {
  reason: string;
  changes: CertificateChanges;
  /** 亲子鉴定证明编号: evidence for a correction that changes who the father is. */
  paternityReportNo?: string;
}

export interface ReissueBody {
  reason: string;
  childRegistered?: boolean;
}

export interface VoidBody {
  reason: VoidReason;
  note?: string;
}

export interface HouseholdRegistrationBody {
  childIdNumber: string;
  /** `YYYY-MM-DD`. */
  registeredOn: string;
  policeUnit: string;
}

export interface CitizenClaimBody {
  certificateNo: string;
  motherIdNumber: string;
  claimCode: string;
}

/** 线上申领: the parents' part of an application; the delivery record supplies the rest. */
export interface CitizenApplicationItems {
  newborn: { name: string; sex?: Newborn['sex']; birthTime?: string };
  father: Parent | null;
  fatherAbsentReason?: string;
  applicant: Applicant;
  marriageCertNo?: string;
  phone?: string;
}

export interface CitizenApplicationBody extends CitizenApplicationItems {
  applicationCode: string;
  motherIdNumber: string;
}

export interface AuthTokenBody {
  username: string;
  password: string;
}

/**
 * The QR text as scanned, the signed e-licence (parsed or as text), or both. Their content is
 * not checked here: a malformed credential is the verifier's MALFORMED, not a 400.
 */
export type VerificationBody = { qr?: unknown; signedJson?: unknown };

/** Admin: certificate-number stock received by an institution. */
export interface NumberRangeBody {
  prefix: string;
  firstNo: number;
  lastNo: number;
}

/** Admin: revoke an institution signing key from `revokedAt` (default now). */
export interface KeyRevocationBody {
  revokedAt?: string;
  reason: string;
}

/** Schema id → the value a valid body of that schema is. */
export interface BodyTypes {
  certificate: Certificate;
  'licence-envelope': LicenceEnvelope;
  'elicence-payload': ELicencePayload;
  'auth-token': AuthTokenBody;
  delivery: DeliveryBody;
  application: ApplicationBody;
  replacement: ReplacementBody;
  reissue: ReissueBody;
  void: VoidBody;
  'household-registration': HouseholdRegistrationBody;
  'citizen-claim': CitizenClaimBody;
  verification: VerificationBody;
  'number-range': NumberRangeBody;
  'key-revocation': KeyRevocationBody;
  'certificate-revocation': { reason: string };
  'citizen-application': CitizenApplicationBody;
  'citizen-application-correction': CitizenApplicationItems;
  'citizen-application-session': { applicationCode: string; motherIdNumber: string };
  'application-return': { reason: string };
}

export type SchemaId = keyof BodyTypes;
