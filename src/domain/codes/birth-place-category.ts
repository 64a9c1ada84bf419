import type { BirthPlaceCategory } from '../certificate.ts';

/** CV02.01.102 birth place category (出生地点分类). */
export const BIRTH_PLACE_CATEGORIES: Readonly<Record<BirthPlaceCategory, string>> = {
  '1': '医院',
  '2': '妇幼保健院',
  '3': '家庭',
  '9': '其他',
};

/** Categories where a midwifery institution delivered the baby, so it must be named. */
export const INSTITUTIONAL_CATEGORIES: readonly BirthPlaceCategory[] = ['1', '2'];

export const isBirthPlaceCategory = (code: string): code is BirthPlaceCategory =>
  Object.hasOwn(BIRTH_PLACE_CATEGORIES, code);

/** Category 9 prints the free text the issuer entered instead of 其他. */
export function birthPlaceCategoryText(code: BirthPlaceCategory, other?: string): string {
  return code === '9' && other ? other : BIRTH_PLACE_CATEGORIES[code];
}
