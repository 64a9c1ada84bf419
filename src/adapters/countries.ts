import { createRequire } from 'node:module';
import type { CountryDirectory } from '../domain/codes/countries.ts';

/**
 * GB/T 2659 country codes with Chinese names from `i18n-iso-countries` (ISO 3166-1, locale zh).
 * Loaded on first use. Taiwan, Hong Kong and Macao are printed by the domain's own rule
 * (中国(台湾) …), never with the package's names.
 */

interface CountriesLib {
  registerLocale(data: unknown): void;
  getAlpha3Codes(): Record<string, string>;
  getName(code: string, lang: string): string | undefined;
}

/** User-assigned codes the package carries but ISO 3166-1 (and so GB/T 2659) does not (XKK, Kosovo). */
const NOT_IN_STANDARD = new Set(['XKK']);

function load(): Map<string, string> {
  const require = createRequire(import.meta.url);
  const lib = require('i18n-iso-countries') as CountriesLib;
  lib.registerLocale(require('i18n-iso-countries/langs/zh.json'));
  const names = new Map<string, string>();
  for (const alpha3 of Object.keys(lib.getAlpha3Codes())) {
    const name = lib.getName(alpha3, 'zh');
    if (name && !NOT_IN_STANDARD.has(alpha3)) names.set(alpha3, name);
  }
  return names;
}

export function createCountryDirectory(): CountryDirectory {
  let names: Map<string, string> | undefined;
  return {
    chineseName(alpha3) {
      names ??= load();
      return names.get(alpha3) ?? null;
    },
  };
}

/** The process-wide directory: the table is immutable, so one copy serves every request. */
export const countryDirectory: CountryDirectory = createCountryDirectory();
