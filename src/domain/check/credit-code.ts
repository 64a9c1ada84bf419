/** GB 32100-2015 unified social credit code (统一社会信用代码): 17 characters and a check character. */

/** The code's alphabet: digits and upper-case letters without I, O, S, V, Z; value = index. */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** The check character for the first 17 characters; null when they are not 17 alphabet characters. */
export function creditCodeCheckCharacter(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_ALPHABET.indexOf(first17[i]!);
    if (value < 0) return null;
    sum += value * WEIGHTS[i]!;
  }
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31]!;
}

export function isValidCreditCode(code: string): boolean {
  return code.length === 18 && creditCodeCheckCharacter(code.slice(0, 17)) === code[17];
}

/** Appends the check character, e.g. to make codes for demo institutions; throws on a bad prefix. */
export function completeCreditCode(first17: string): string {
  const check = creditCodeCheckCharacter(first17);
  if (check === null) throw new RangeError('A credit code prefix is 17 characters of the GB 32100 alphabet');
  return first17 + check;
}
