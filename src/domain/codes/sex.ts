import type { SexCode } from '../certificate.ts';

/** GB/T 2261.1-2003 human sex codes; 0 (unknown) and 9 (unstated) do not occur on a certificate. */
export const SEX_CODES: Readonly<Record<SexCode, string>> = { '1': '男', '2': '女' };

export const isSexCode = (code: string): code is SexCode => Object.hasOwn(SEX_CODES, code);

export const sexText = (code: SexCode): string => SEX_CODES[code];
