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

export class ViewFormatError extends Error {
  override readonly name = 'ViewFormatError';
  readonly code = 'INVALID_VIEW';
}

const BIRTH_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `2026-11-20T08:31+08:00` → `2026年11月20日08时31分`: the wall-clock time written, never re-zoned. */
export function formatBirthTime(birthTime: string): string {
  const m = BIRTH_TIME.exec(birthTime);
  if (!m) throw new ViewFormatError(`newborn.birthTime "${birthTime}" is not a date-time with offset`);
  return `${m[1]}年${m[2]}月${m[3]}日${m[4]}时${m[5]}分`;
}

/** `2026-11-20` → `2026年11月20日` */
export function formatDate(date: string): string {
  const m = DATE.exec(date);
  if (!m) throw new ViewFormatError(`date "${date}" is not YYYY-MM-DD`);
  return `${m[1]}年${m[2]}月${m[3]}日`;
}

/** `{weeks: 39, days: 2}` → `39+2 周` */
export function formatGestation(gestation: Gestation): string {
  return `${gestation.weeks}+${gestation.days} 周`;
}

/** One decimal always, as the paper form prints it: 49 → `49.0`. */
export function formatLength(lengthCm: number): string {
  return lengthCm.toFixed(1);
}
