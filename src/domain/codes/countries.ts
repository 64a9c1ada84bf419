/**
 * GB/T 2659 (ISO 3166-1 aligned) country codes. The list is maintained outside the domain
 * (an adapter over a data package implements CountryDirectory); only the Chinese display rule
 * for China and its special regions lives here.
 */
export interface CountryDirectory {
  /** The Chinese short name of an alpha-3 code, or null when the code is not a current country code. */
  chineseName(alpha3: string): string | null;
}

/** Nationalities printed under China; GB/T 3304 ethnicity applies to these and only these. */
const CHINA_AND_REGIONS: Readonly<Record<string, string>> = {
  CHN: '中国',
  HKG: '中国(香港)',
  MAC: '中国(澳门)',
  TWN: '中国(台湾)',
};

export const isChineseNationality = (alpha3: string): boolean => Object.hasOwn(CHINA_AND_REGIONS, alpha3);

/**
 * The nationality as printed: 中国, 中国(香港)/中国(澳门)/中国(台湾), else the country's Chinese name.
 * Without a directory (or for a code it does not know) a foreign code is returned unchanged,
 * so validation, not printing, is where unknown codes are refused.
 */
export function nationalityText(alpha3: string, countries?: CountryDirectory): string {
  if (isChineseNationality(alpha3)) return CHINA_AND_REGIONS[alpha3]!;
  return countries?.chineseName(alpha3) ?? alpha3;
}
