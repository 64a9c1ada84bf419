import type { IdType } from '../certificate.ts';

/** CV02.01.101 valid identity document types (有效身份证件类别). */
export const ID_TYPES: Readonly<Record<IdType, string>> = {
  '01': '居民身份证',
  '02': '居民户口簿',
  '03': '护照',
  '04': '军官证',
  '05': '驾驶证',
  '06': '港澳居民来往内地通行证',
  '07': '台湾居民来往内地通行证',
  '99': '其他法定有效证件',
};

/** The type whose number is a GB 11643 citizen ID number with a check character. */
export const CITIZEN_ID_CARD: IdType = '01';

export const isIdType = (code: string): code is IdType => Object.hasOwn(ID_TYPES, code);

export const idTypeText = (code: IdType): string => ID_TYPES[code];
