import type { Gestation } from '../../domain/certificate.ts';

/**
 * What the PDF prints. Code items arrive as display text already derived from the code tables
 * (the caller owns those tables); numbers and dates arrive as data and are formatted here, so
 * every certificate prints them the same way.
 */
export interface CertificateView {
  certificateNo: string;
  newborn: {
    name: string;
    /** 男 / 女 */
    sex: string;
    /** As stored: `2026-11-20T08:31+08:00`; printed in the offset it carries. */
    birthTime: string;
    gestation: Gestation;
    weightGrams: number;
    lengthCm: number;
    /** 良好 / 一般 / 差 */
    health: string;
  };
  /** Names derived from the GB/T 2260 division code. */
  birthPlace: { province: string; city: string; county: string };
  /** 医院 / 妇幼保健院 / 家庭, or 其他 with its description. */
  birthPlaceCategory: string;
  /** The midwifery institution's name; null prints `/` (births outside an institution). */
  deliveryInstitution: string | null;
  mother: ParentView;
  /** null: every father item prints 未提供. */
  father: ParentView | null;
  /** `YYYY-MM-DD` */
  issueDate: string;
  issuer: { name: string };
}

export interface ParentView {
  name: string;
  age: number;
  /** e.g. 中国, 中国(香港), 美国 */
  nationality: string;
  /** e.g. 汉族; null for foreign nationals, printed `/`. */
  ethnicity: string | null;
  address: string;
  /** e.g. 居民身份证 */
  idType: string;
  idNumber: string;
}

/** One decimal always, as the paper form prints it: 49 → `49.0`. */
export function formatLength(lengthCm: number): string {
  return lengthCm.toFixed(1);
}
