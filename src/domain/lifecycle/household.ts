import { eventBy } from '../audit/audit-event.ts';
import { citizenIdBirthDate, citizenIdSex } from '../check/citizen-id.ts';
import { DomainError, type ErrorDetail, invalidRequest } from '../errors.ts';
import { householdRegisteredEvent } from '../events/lifecycle-events.ts';
import type { DivisionDirectory } from '../ports.ts';
import type { HouseholdRegistrationBody } from '../rules/bodies.ts';
import { Findings } from '../rules/detail.ts';
import { checkDivisionCode } from '../rules/place-rules.ts';
import { chinaDate } from './compose.ts';
import { requireCurrent } from './guards.ts';
import type { LifecyclePorts, PoliceOfficer } from './ports.ts';
import type { HouseholdRegistration } from './records.ts';
import { householdFeedbackView } from './visibility.ts';

/**
 * Whether the child's ID number carries the certificate's birth date and sex, and the date lies
 * between the birth and today: the checks of 落户, also run as the officer types (the console).
 */
export function householdProblems(
  newborn: { birthTime: string; sex: string },
  body: Pick<HouseholdRegistrationBody, 'childIdNumber' | 'registeredOn'>,
  now: Date,
): ErrorDetail[] {
  // ID numbers carry the birth date as registered in China: the date in China Standard Time.
  const birthDate = chinaDate(new Date(newborn.birthTime));
  const details: ErrorDetail[] = [];
  if (citizenIdBirthDate(body.childIdNumber) !== birthDate) {
    details.push({ path: 'childIdNumber', message: 'childIdNumber does not carry the birth date on the certificate' });
  }
  if (citizenIdSex(body.childIdNumber) !== newborn.sex) {
    details.push({ path: 'childIdNumber', message: 'childIdNumber does not carry the sex on the certificate' });
  }
  if (body.registeredOn < birthDate || body.registeredOn > chinaDate(now)) {
    details.push({ path: 'registeredOn', message: 'registeredOn must lie between the birth date and today' });
  }
  return details;
}

/**
 * 落户 feedback from the police. The child's ID number must fit the certificate (its birth date
 * and sex digits), a birth is registered once, and an ID number belongs to one birth only.
 */
export function recordHouseholdRegistration(
  ports: Pick<LifecyclePorts, 'transactions' | 'register' | 'households' | 'audit' | 'clock' | 'events'>,
  actor: PoliceOfficer,
  certificateNo: string,
  body: HouseholdRegistrationBody,
) {
  const now = ports.clock.now();
  const record = ports.register.find(certificateNo);
  if (!record) throw new DomainError('NOT_FOUND', `No certificate ${certificateNo}`);
  requireCurrent(record);

  const details = householdProblems(record.certificate.newborn, body, now);
  if (details.length > 0) throw invalidRequest(details);

  const registration = householdRegistrationOf(record.certificate.newborn.name, certificateNo, body, now);
  ports.transactions.run(() => {
    const existing = ports.households.find(record.lineage);
    if (existing) {
      throw new DomainError('ALREADY_REGISTERED', `This birth was already registered on ${existing.registeredOn}`, [
        { path: 'certificateNo', message: `registered with certificate ${existing.certificateNo}` },
      ]);
    }
    if (ports.households.holdsChildIdNumber(body.childIdNumber)) {
      throw new DomainError('ALREADY_REGISTERED', 'The child ID number is already registered for another birth', [
        { path: 'childIdNumber', message: 'already registered for another birth' },
      ]);
    }
    ports.households.insert(record.lineage, registration, actor.username);
    ports.audit.record(
      eventBy(
        actor,
        'household.registered',
        certificateNo,
        {
          policeUnit: body.policeUnit,
          registeredOn: body.registeredOn,
          nameDiffers: registration.nameDiffers,
          ...(registration.householdPlace && { householdDivisionCode: registration.householdPlace.divisionCode }),
        },
        '落户',
      ),
      now,
    );
    ports.events.append(householdRegisteredEvent(record, registration, now));
  });
  return {
    certificateNo,
    householdRegistered: true as const,
    registeredOn: body.registeredOn,
    policeUnit: body.policeUnit,
    ...householdFeedbackView(registration),
  };
}

/**
 * The registration as kept. A registered name that differs from the certificate's is allowed
 * (parents may name the child differently at 落户) and flagged, so every reader sees it.
 */
export function householdRegistrationOf(
  certificateName: string,
  certificateNo: string,
  body: HouseholdRegistrationBody,
  now: Date,
): HouseholdRegistration {
  const registeredName = body.registeredName ?? null;
  return {
    certificateNo,
    childIdNumber: body.childIdNumber,
    registeredOn: body.registeredOn,
    policeUnit: body.policeUnit,
    recordedAt: now.toISOString(),
    registeredName,
    nameDiffers: registeredName !== null && registeredName !== certificateName,
    householdPlace: body.householdPlace
      ? { divisionCode: body.householdPlace.divisionCode, address: body.householdPlace.address }
      : null,
  };
}

/**
 * The household place's division code on its own, for the console's as-you-type check: the
 * body's schema stops at the first missing box, but the code can be checked as soon as it is typed.
 */
export function householdDivisionProblems(divisionCode: string, divisions: DivisionDirectory): ErrorDetail[] {
  const findings = new Findings('household-registration');
  if (!/^[0-9]{6}$/.test(divisionCode)) findings.add('householdPlace.divisionCode', 'must be 6 digits');
  else checkDivisionCode(findings, 'householdPlace.divisionCode', divisionCode, divisions);
  return findings.details;
}
