/**
 * The birth medical certificate's surface items (照面信息) and the e-licence envelope,
 * named as in DOMAIN.md's data dictionary. Codes are stored as codes; display text is derived.
 */

export type SexCode = '1' | '2';
export type HealthCode = '1' | '2' | '3';
export type BirthPlaceCategory = '1' | '2' | '3' | '9';
export type IdType = '01' | '02' | '03' | '04' | '05' | '06' | '07' | '99';

export interface Gestation {
  weeks: number;
  days: number;
}

export interface Newborn {
  name: string;
  sex: SexCode;
  /** Minute precision with offset, e.g. `2026-11-20T08:31+08:00`. */
  birthTime: string;
  gestation: Gestation;
  weightGrams: number;
  lengthCm: number;
  health: HealthCode;
}

export interface Parent {
  name: string;
  age: number;
  /** GB/T 2659 alpha-3. */
  nationality: string;
  /** GB/T 3304 two-digit code; null for foreign nationals. */
  ethnicity: string | null;
  address: string;
  idType: IdType;
  idNumber: string;
}

export interface Institution {
  name: string;
  creditCode: string;
}

export interface IssuingInstitution extends Institution {
  divisionCode: string;
}

export interface Certificate {
  certificateNo: string;
  newborn: Newborn;
  birthPlace: { divisionCode: string };
  birthPlaceCategory: BirthPlaceCategory;
  birthPlaceOther?: string;
  deliveryInstitution: Institution | null;
  mother: Parent;
  father: Parent | null;
  fatherAbsentReason?: string;
  /** `YYYY-MM-DD`. */
  issueDate: string;
  issuer: IssuingInstitution;
}

/** The GB/T 36903/36904 envelope carried in the signed e-licence. */
export interface LicenceEnvelope {
  /** The e-licence identifier `1.2.156.3005.2.…`. */
  id: string;
  name: '出生医学证明';
  typeCode: string;
  issuer: IssuingInstitution;
  issueDate: string;
  /** Long-term validity: no expiry. */
  validUntil: null;
  holder: { name: string };
  version: string;
  supersedes: { licenceId: string; certificateNo: string } | null;
}

/** A certificate's entry in its status list (IETF OAuth Token Status List), as both credentials carry it. */
export interface StatusClaim {
  status_list: { idx: number; uri: string };
}

/** The JSON payload of `signed.json`. */
export interface ELicencePayload {
  licence: LicenceEnvelope;
  certificate: Certificate;
  status: StatusClaim;
}

export type CertificateStatus = 'valid' | 'superseded' | 'void' | 'revoked';
