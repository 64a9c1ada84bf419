/** ISO/IEC 7064 MOD 37,36 (hybrid system): the e-licence identifier's check character. */

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const M = 36;

/** A character's value: 0–9 for the digits, 10–35 for A–Z, -1 for anything else. */
function characterValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 90) return code - 55;
  return -1;
}

/** The check character over `text` (0-9, A-Z); null when another character appears. */
export function mod37_36CheckCharacter(text: string): string | null {
  let p = M;
  // By UTF-16 unit: a character outside the alphabet, astral or not, has no value either way.
  for (let i = 0; i < text.length; i++) {
    const value = characterValue(text.charCodeAt(i));
    if (value < 0) return null;
    p = (p + value) % M;
    if (p === 0) p = M;
    p = (2 * p) % (M + 1);
  }
  return ALPHABET[(M + 1 - p) % M]!;
}

/** `text` ends with the check character of everything before it. */
export function isValidMod37_36(text: string): boolean {
  if (text.length < 2) return false;
  return mod37_36CheckCharacter(text.slice(0, -1)) === text.at(-1);
}
