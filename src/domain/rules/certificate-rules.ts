import type { Certificate, Parent } from '../certificate.ts';
import { type CalendarDate, compareDates, parseIsoDate } from '../check/calendar.ts';
import { checkBirthTime } from './birth-rules.ts';
import type { RuleContext } from './context.ts';
import { type Findings, joinPath } from './detail.ts';
import { checkParent } from './parent-rules.ts';
import { checkBirthPlaceCategory, checkCreditCode, checkDivisionCode } from './place-rules.ts';
import { checkPrintedText } from './text-rules.ts';

/** A father who is absent (null) needs the mother's stated reason; a present one must not have one. */
export function checkFatherAbsence(
  findings: Findings,
  prefix: string,
  father: Partial<Parent> | null | undefined,
  reason: string | undefined,
): void {
  if (father === null && reason === undefined) {
    findings.add(joinPath(prefix, 'fatherAbsentReason'), 'is required when father is null');
  } else if (father && reason !== undefined) {
    findings.add(joinPath(prefix, 'fatherAbsentReason'), 'is only allowed when father is null');
  }
}

/** Every cross-field rule of a complete certificate; `prefix` locates it in a larger body. */
export function checkCertificate(findings: Findings, prefix: string, cert: Certificate, ctx: RuleContext): void {
  const at = (path: string) => joinPath(prefix, path);
  const birthDate = checkBirthTime(findings, at('newborn.birthTime'), cert.newborn.birthTime, ctx.now);
  checkPrintedText(findings, at('newborn.name'), cert.newborn.name, ctx.glyphs);
  checkDivisionCode(findings, at('birthPlace.divisionCode'), cert.birthPlace.divisionCode, ctx.divisions);
  checkBirthPlaceCategory(findings, prefix, {
    category: cert.birthPlaceCategory,
    other: cert.birthPlaceOther,
    institution: cert.deliveryInstitution,
    institutionImplied: false,
  });
  if (cert.birthPlaceOther !== undefined) {
    checkPrintedText(findings, at('birthPlaceOther'), cert.birthPlaceOther, ctx.glyphs);
  }
  if (cert.deliveryInstitution) {
    checkPrintedText(findings, at('deliveryInstitution.name'), cert.deliveryInstitution.name, ctx.glyphs);
  }
  checkParent(findings, at('mother'), 'mother', cert.mother, birthDate, ctx);
  if (cert.father) checkParent(findings, at('father'), 'father', cert.father, birthDate, ctx);
  checkFatherAbsence(findings, prefix, cert.father, cert.fatherAbsentReason);
  checkIssueDate(findings, at('issueDate'), cert.issueDate, birthDate);
  checkCreditCode(findings, at('issuer.creditCode'), cert.issuer.creditCode);
  checkDivisionCode(findings, at('issuer.divisionCode'), cert.issuer.divisionCode, ctx.divisions);
  checkPrintedText(findings, at('issuer.name'), cert.issuer.name, ctx.glyphs);
}

/** Compared with the birth date in the birth time's own offset, the date the family saw. */
function checkIssueDate(findings: Findings, path: string, issueDate: string, birthDate: CalendarDate | null): void {
  const issued = parseIsoDate(issueDate);
  if (issued && birthDate && compareDates(issued, birthDate) < 0) {
    findings.add(path, 'is before the birth date');
  }
}
