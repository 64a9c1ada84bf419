import type { BirthPlaceCategory, Institution } from '../certificate.ts';
import { isValidCreditCode } from '../check/credit-code.ts';
import { INSTITUTIONAL_CATEGORIES } from '../codes/birth-place-category.ts';
import type { DivisionDirectory } from '../ports.ts';
import type { Findings } from './detail.ts';

export function checkDivisionCode(findings: Findings, path: string, code: string, divisions: DivisionDirectory): void {
  if (divisions.lookup(code) === null) {
    findings.add(path, 'is not a current county-level division code (GB/T 2260)');
  }
}

export function checkCreditCode(findings: Findings, path: string, code: string): void {
  if (!isValidCreditCode(code)) findings.add(path, 'has a wrong check character (GB 32100-2015)');
}

export interface BirthPlaceItems {
  category: BirthPlaceCategory;
  other: string | undefined;
  /** undefined when the request cannot carry it (a delivery record: the midwife's institution is implied). */
  institution: Institution | null | undefined;
  institutionImplied: boolean;
}

/** Categories 1 and 2 name the midwifery institution; category 9 says what the place was. */
export function checkBirthPlaceCategory(findings: Findings, prefix: string, items: BirthPlaceItems): void {
  const at = (path: string) => (prefix ? `${prefix}.${path}` : path);
  if (INSTITUTIONAL_CATEGORIES.includes(items.category) && !items.institutionImplied && !items.institution) {
    findings.add(at('deliveryInstitution'), 'is required when the birth place category is 1 (医院) or 2 (妇幼保健院)');
  }
  if (items.category === '9' && items.other === undefined) {
    findings.add(at('birthPlaceOther'), 'is required when the birth place category is 9 (其他)');
  }
  if (items.category !== '9' && items.other !== undefined) {
    findings.add(at('birthPlaceOther'), 'is only allowed when the birth place category is 9 (其他)');
  }
  if (items.institution) checkCreditCode(findings, at('deliveryInstitution.creditCode'), items.institution.creditCode);
}
