import type { Certificate, ELicencePayload, LicenceEnvelope } from '../certificate.ts';
import { compareDates, parseIsoDate } from '../check/calendar.ts';
import { dateAtOffset } from '../check/offset-date-time.ts';
import type { ErrorDetail } from '../errors.ts';
import { checkBirthTime } from './birth-rules.ts';
import type {
  ApplicationBody,
  BodyTypes,
  DeliveryBody,
  HouseholdRegistrationBody,
  NumberRangeBody,
  PoliceArchiveBody,
  ReplacementBody,
  SchemaId,
} from './bodies.ts';
import { checkCertificate, checkFatherAbsence } from './certificate-rules.ts';
import type { RuleContext } from './context.ts';
import { Findings } from './detail.ts';
import { checkCitizenIdNumber, checkIdDocument } from './id-number-rules.ts';
import { checkELicencePayload, checkLicenceEnvelope } from './licence-rules.ts';
import { checkParent } from './parent-rules.ts';
import { checkBirthPlaceCategory, checkCreditCode, checkDivisionCode } from './place-rules.ts';
import { checkPrintedText } from './text-rules.ts';

/** Dates without a zone (落户日期) are China's calendar dates. */
const CHINA_OFFSET_MINUTES = 8 * 60;

function checkDelivery(findings: Findings, body: DeliveryBody, ctx: RuleContext): void {
  const birthDate = checkBirthTime(findings, 'newborn.birthTime', body.newborn.birthTime, ctx.now);
  checkDivisionCode(findings, 'birthPlace.divisionCode', body.birthPlace.divisionCode, ctx.divisions);
  // The midwife's own institution delivered the baby, so the request does not name it.
  checkBirthPlaceCategory(findings, '', {
    category: body.birthPlaceCategory,
    other: body.birthPlaceOther,
    institution: undefined,
    institutionImplied: true,
  });
  if (body.birthPlaceOther !== undefined)
    checkPrintedText(findings, 'birthPlaceOther', body.birthPlaceOther, ctx.glyphs);
  checkParent(findings, 'mother', 'mother', body.mother, birthDate, ctx);
  checkMultipleBirth(findings, body);
}

/**
 * 胎数 and 出生顺序 go together: a multiple birth names each baby's place in it, which is what
 * lets one mother hold two certificates for births days apart (see the lifecycle's
 * multiple-birth rule); a single birth has no order.
 */
function checkMultipleBirth(findings: Findings, body: { multipleBirth?: number; birthOrder?: number }): void {
  const plurality = body.multipleBirth ?? 1;
  if (plurality >= 2 && body.birthOrder === undefined) {
    findings.add('birthOrder', 'is required when multipleBirth is 2 or more');
  } else if (body.birthOrder !== undefined && plurality < 2) {
    findings.add('birthOrder', 'is only allowed with multipleBirth 2 or more');
  } else if (body.birthOrder !== undefined && body.birthOrder > plurality) {
    findings.add('birthOrder', `must not exceed multipleBirth (${plurality})`);
  }
}

function checkApplication(findings: Findings, body: ApplicationBody, ctx: RuleContext): void {
  checkPrintedText(findings, 'newborn.name', body.newborn.name, ctx.glyphs);
  let birthDate = null;
  if (body.deliveryId === undefined) {
    birthDate = checkBirthTime(findings, 'newborn.birthTime', body.newborn.birthTime, ctx.now);
    checkDivisionCode(findings, 'birthPlace.divisionCode', body.birthPlace.divisionCode, ctx.divisions);
    checkBirthPlaceCategory(findings, '', {
      category: body.birthPlaceCategory,
      other: body.birthPlaceOther,
      institution: body.deliveryInstitution ?? null,
      institutionImplied: false,
    });
    if (body.birthPlaceOther !== undefined) {
      checkPrintedText(findings, 'birthPlaceOther', body.birthPlaceOther, ctx.glyphs);
    }
    // A birth in an institution is issued from the midwife's delivery record, which the review
    // cross-checks; only births outside one (家庭/其他) may come without it.
    if (body.birthPlaceCategory === '1' || body.birthPlaceCategory === '2') {
      findings.add('deliveryId', 'is required for a birth in a hospital or maternal and child health institution');
    }
    checkMultipleBirth(findings, body);
  }
  // With a deliveryId the birth date lives in the delivery record: ages are checked when the
  // lifecycle assembles the certificate (checkCertificate), not here.
  checkParent(findings, 'mother', 'mother', body.mother, birthDate, ctx);
  if (body.father) checkParent(findings, 'father', 'father', body.father, birthDate, ctx);
  checkFatherAbsence(findings, '', body.father, body.fatherAbsentReason);
  checkApplicant(findings, body);
}

/** A mother or father collecting in person is that parent: same document, same number. */
function checkApplicant(findings: Findings, body: ApplicationBody): void {
  const { applicant } = body;
  if (!checkIdDocument(findings, 'applicant.idNumber', applicant.idType, applicant.idNumber)) return;
  if (applicant.relation === 'other') return;
  const parent = applicant.relation === 'mother' ? body.mother : body.father;
  if (parent === null) {
    findings.add('applicant.relation', 'is father but father is null');
  } else if (parent.idType !== applicant.idType || parent.idNumber !== applicant.idNumber) {
    findings.add(
      'applicant.idNumber',
      `does not match ${applicant.relation}.idType and ${applicant.relation}.idNumber`,
    );
  }
}

/**
 * Corrections are checked item by item; rules that relate items run only when the change carries
 * all of them. The lifecycle re-checks the merged certificate with checkCertificate.
 */
function checkReplacement(findings: Findings, { changes }: ReplacementBody, ctx: RuleContext): void {
  const { newborn, mother, father } = changes;
  const birthDate =
    newborn?.birthTime !== undefined
      ? checkBirthTime(findings, 'changes.newborn.birthTime', newborn.birthTime, ctx.now)
      : null;
  if (newborn?.name !== undefined) checkPrintedText(findings, 'changes.newborn.name', newborn.name, ctx.glyphs);
  if (changes.birthPlace) {
    checkDivisionCode(findings, 'changes.birthPlace.divisionCode', changes.birthPlace.divisionCode, ctx.divisions);
  }
  if (changes.birthPlaceCategory !== undefined) {
    checkBirthPlaceCategory(findings, 'changes', {
      category: changes.birthPlaceCategory,
      other: changes.birthPlaceOther,
      institution: changes.deliveryInstitution,
      // Without the institution in the change, the certificate's existing one stands.
      institutionImplied: changes.deliveryInstitution === undefined,
    });
  } else if (changes.deliveryInstitution) {
    checkCreditCode(findings, 'changes.deliveryInstitution.creditCode', changes.deliveryInstitution.creditCode);
  }
  if (mother) checkParent(findings, 'changes.mother', 'mother', mother, birthDate, ctx);
  if (father) checkParent(findings, 'changes.father', 'father', father, birthDate, ctx);
  if (father !== undefined) checkFatherAbsence(findings, 'changes', father, changes.fatherAbsentReason);
}

function checkHouseholdRegistration(findings: Findings, body: HouseholdRegistrationBody, ctx: RuleContext): void {
  checkCitizenIdNumber(findings, 'childIdNumber', body.childIdNumber);
  const registeredOn = parseIsoDate(body.registeredOn);
  if (registeredOn && compareDates(registeredOn, dateAtOffset(ctx.now, CHINA_OFFSET_MINUTES)) > 0) {
    findings.add('registeredOn', 'is in the future');
  }
  // The registered name is a name like the newborn's on the certificate, by the same rules.
  if (body.registeredName !== undefined) checkPrintedText(findings, 'registeredName', body.registeredName, ctx.glyphs);
  if (body.householdPlace) {
    checkDivisionCode(findings, 'householdPlace.divisionCode', body.householdPlace.divisionCode, ctx.divisions);
    checkPrintedText(findings, 'householdPlace.address', body.householdPlace.address);
  }
}

type Rule<K extends SchemaId> = (findings: Findings, body: BodyTypes[K], ctx: RuleContext) => void;
const none = () => {};

const RULES: { [K in SchemaId]: Rule<K> } = {
  certificate: (findings, body: Certificate, ctx) => checkCertificate(findings, '', body, ctx),
  'licence-envelope': (findings, body: LicenceEnvelope, ctx) => checkLicenceEnvelope(findings, '', body, ctx),
  'elicence-payload': (findings, body: ELicencePayload, ctx) => checkELicencePayload(findings, body, ctx),
  'auth-token': none,
  delivery: checkDelivery,
  application: checkApplication,
  replacement: checkReplacement,
  reissue: none,
  void: none,
  'household-registration': checkHouseholdRegistration,
  'citizen-claim': none,
  verification: none,
  'number-range': (findings, body: NumberRangeBody) => {
    if (body.lastNo < body.firstNo) findings.add('lastNo', 'must not be below firstNo');
  },
  'key-revocation': none,
  'certificate-revocation': none,
  // The password policy needs the account and a strength estimate: account-administration.ts.
  'password-reset': none,
  // The url's rules depend on the environment (https in production): the use case checks them.
  subscription: none,
  // The parents' items are checked as part of the application composed with the delivery record.
  'citizen-application': none,
  'citizen-application-correction': none,
  'citizen-application-session': none,
  'application-return': none,
  'police-archive': (findings, body: PoliceArchiveBody) => checkPrintedText(findings, 'caseNo', body.caseNo),
  // The times are checked against the clock by the use case (src/domain/appointments/slots.ts).
  'collection-slot': none,
  appointment: none,
  'identity-link': none,
  // The role rule needs the account: account-administration.ts checks it with the text.
  'police-unit': none,
};

/** The semantic rules of one schema, run on a value the schema already accepted. */
export function runSemanticRules<K extends SchemaId>(schemaId: K, body: BodyTypes[K], ctx: RuleContext): ErrorDetail[] {
  const findings = new Findings(schemaId);
  (RULES[schemaId] as Rule<K>)(findings, body, ctx);
  return findings.details;
}
