import type { IdType } from '../certificate.ts';
import { citizenIdBirthDate, citizenIdSex, hasValidCitizenIdCheckCharacter } from '../check/citizen-id.ts';
import { CITIZEN_ID_CARD } from '../codes/id-types.ts';
import type { Findings } from './detail.ts';

/** Checks a GB 11643-1999 number; true when it is valid. Messages never quote the number. */
export function checkCitizenIdNumber(findings: Findings, path: string, idNumber: string): boolean {
  if (!/^\d{17}[\dX]$/.test(idNumber)) {
    const lowerX = /^\d{17}x$/.test(idNumber);
    findings.add(
      path,
      lowerX
        ? 'must end in an upper-case X, not x'
        : 'must be a citizen ID number: 17 digits followed by a digit or X (GB 11643-1999)',
    );
    return false;
  }
  if (!hasValidCitizenIdCheckCharacter(idNumber)) {
    findings.add(path, 'has a wrong check character (GB 11643-1999)');
    return false;
  }
  if (citizenIdBirthDate(idNumber) === null) {
    findings.add(path, 'does not contain a real birth date (digits 7–14)');
    return false;
  }
  return true;
}

/** Only a 居民身份证 number has a check character to verify; other documents are free text. */
export function checkIdDocument(findings: Findings, path: string, idType: IdType, idNumber: string): boolean {
  return idType === CITIZEN_ID_CARD ? checkCitizenIdNumber(findings, path, idNumber) : true;
}

/**
 * A mother's citizen ID number ends its sequence in an even digit, a father's in an odd one.
 * A mismatch almost always means the parents' numbers were swapped or mistyped.
 */
export function checkIdSex(findings: Findings, path: string, idNumber: string, expected: '1' | '2'): void {
  if (citizenIdSex(idNumber) !== expected) {
    const who = expected === '2' ? 'a woman (mother)' : 'a man (father)';
    findings.add(path, `must be the number of ${who}: its 17th digit gives the other sex`);
  }
}
