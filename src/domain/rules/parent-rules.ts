import type { Parent } from '../certificate.ts';
import { type CalendarDate, completedYears, parseIsoDate } from '../check/calendar.ts';
import { citizenIdBirthDate } from '../check/citizen-id.ts';
import { isChineseNationality } from '../codes/countries.ts';
import { isEthnicityCode } from '../codes/ethnicity.ts';
import { CITIZEN_ID_CARD } from '../codes/id-types.ts';
import type { RuleContext } from './context.ts';
import { type Findings, joinPath } from './detail.ts';
import { checkIdDocument, checkIdSex } from './id-number-rules.ts';
import { checkPrintedText } from './text-rules.ts';

export type ParentRole = 'mother' | 'father';

/**
 * The seven parent items. Works on a partial parent too (a replacement's corrections): a rule runs
 * only when every item it relates is present. `birthDate` is the child's local birth date, when known.
 */
export function checkParent(
  findings: Findings,
  path: string,
  role: ParentRole,
  parent: Partial<Parent>,
  birthDate: CalendarDate | null,
  ctx: RuleContext,
): void {
  const at = (item: string) => joinPath(path, item);
  for (const item of ['name', 'address', 'idNumber'] as const) {
    const text = parent[item];
    if (text !== undefined) checkPrintedText(findings, at(item), text, ctx.glyphs);
  }
  checkNationality(findings, at, parent, ctx);
  if (parent.idType !== CITIZEN_ID_CARD || parent.idNumber === undefined) return;
  if (!checkIdDocument(findings, at('idNumber'), parent.idType, parent.idNumber)) return;
  checkIdSex(findings, at('idNumber'), parent.idNumber, role === 'mother' ? '2' : '1');
  if (parent.age !== undefined && birthDate) checkAge(findings, at, parent.idNumber, parent.age, birthDate);
}

function checkNationality(
  findings: Findings,
  at: (item: string) => string,
  parent: Partial<Parent>,
  ctx: RuleContext,
): void {
  const { nationality, ethnicity } = parent;
  if (nationality === undefined) return;
  const chinese = isChineseNationality(nationality);
  if (!chinese && ctx.countries.chineseName(nationality) === null) {
    findings.add(at('nationality'), 'is not a country code of GB/T 2659 (ISO 3166-1 alpha-3)');
    return;
  }
  if (ethnicity === undefined) return;
  if (chinese && ethnicity === null) {
    findings.add(at('ethnicity'), 'is required (a GB/T 3304 code) when the nationality is CHN, HKG, MAC or TWN');
  } else if (chinese && ethnicity !== null && !isEthnicityCode(ethnicity)) {
    findings.add(at('ethnicity'), 'is not a GB/T 3304 ethnic group code');
  } else if (!chinese && ethnicity !== null) {
    findings.add(at('ethnicity'), 'must be null for a foreign national (printed as /)');
  }
}

function checkAge(
  findings: Findings,
  at: (item: string) => string,
  idNumber: string,
  age: number,
  birthDate: CalendarDate,
): void {
  // The number was validated above, so its embedded date is real.
  const parentBorn = parseIsoDate(citizenIdBirthDate(idNumber)!)!;
  const expected = completedYears(parentBorn, birthDate);
  if (expected < 0) {
    findings.add(at('idNumber'), "gives a birth date after the child's birth");
  } else if (age !== expected) {
    findings.add(
      at('age'),
      `must be ${expected}: the completed years from the birth date in the ID number to the child's birth date`,
    );
  }
}
