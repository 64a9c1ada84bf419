import type {
  ApplicationRecord,
  CertificateRecord,
  DeliveryRecord,
  HouseholdRegistration,
  IssueKind,
} from '../lifecycle/records.ts';
import { applicationEvent, type BirthEvent, certificateEvent, type EventType } from './birth-event.ts';

/*
 * The event of each lifecycle change, one function per change point, so each use case appends
 * its event with one line inside its unit of work.
 */

const issueType: Record<IssueKind, Extract<EventType, `${string}.${'issued' | 'replaced' | 'reissued'}`>> = {
  first: 'cn.birth-certificate.issued',
  'out-of-institution': 'cn.birth-certificate.issued',
  replacement: 'cn.birth-certificate.replaced',
  reissue: 'cn.birth-certificate.reissued',
};

/** 签发, 换发 or 补发: a certificate entered the register (a successor names the one it supersedes). */
export const issuedEvent = (record: CertificateRecord, at: Date): BirthEvent =>
  certificateEvent(at, issueType[record.kind], record, {
    kind: record.kind,
    ...(record.supersedes ? { supersedes: record.supersedes } : {}),
  });

/**
 * 补录: a paper certificate back-issued as an e-licence (`npm run cli -- backfill`); `issueDate`
 * is the paper's original issue date, the event's time when the e-licence was made.
 */
export const backfilledEvent = (
  record: Pick<CertificateRecord, 'certificateNo' | 'licenceId' | 'version' | 'institution' | 'lineage'> & {
    certificate: Pick<CertificateRecord['certificate'], 'issueDate' | 'birthPlace'>;
  },
  at: Date,
): BirthEvent =>
  certificateEvent(at, 'cn.birth-certificate.backfilled', record, { issueDate: record.certificate.issueDate });

/** 作废 of an issued certificate (a blank number voided from the stock concerns no birth). */
export const voidedEvent = (record: CertificateRecord, reason: string, at: Date): BirthEvent =>
  certificateEvent(at, 'cn.birth-certificate.voided', record, { reason });

/** Revoked by the health commission; the free-text reason stays in the register. */
export const revokedEvent = (record: CertificateRecord, at: Date): BirthEvent =>
  certificateEvent(at, 'cn.birth-certificate.revoked', record);

/**
 * 落户 recorded by the police: the turning point of 出生一件事. The one event that carries a name:
 * the agencies that subscribe to it (medical insurance, social security, vaccination) enrol the
 * child under the registered name and 户籍地, so an administrator grants this type knowingly.
 * The child's ID number stays out. Feedback without the name or place sends neither.
 */
export const householdRegisteredEvent = (
  record: CertificateRecord,
  registration: Pick<HouseholdRegistration, 'registeredOn' | 'registeredName' | 'nameDiffers' | 'householdPlace'>,
  at: Date,
) =>
  certificateEvent(at, 'cn.birth-certificate.household-registered', record, {
    registeredOn: registration.registeredOn,
    ...(registration.registeredName !== null && {
      registeredName: registration.registeredName,
      nameDiffers: registration.nameDiffers,
    }),
    ...(registration.householdPlace && {
      householdDivisionCode: registration.householdPlace.divisionCode,
      householdAddress: registration.householdPlace.address,
    }),
  });

/** The birth place's division of an application: its delivery record's, or its own without one. */
export function applicationDivision(application: Pick<ApplicationRecord, 'input'>, delivery: DeliveryRecord | null) {
  const input = application.input;
  return delivery?.birthPlace.divisionCode ?? (input.deliveryId === undefined ? input.birthPlace.divisionCode : '');
}

/** An application submitted (walk-in at the counter, or online by the parents) or returned to them. */
export const applicationChangedEvent = (
  type: 'cn.birth-certificate.application.submitted' | 'cn.birth-certificate.application.returned',
  application: Pick<ApplicationRecord, 'id' | 'institution' | 'input'>,
  delivery: DeliveryRecord | null,
  channel: 'walk-in' | 'online',
  at: Date,
): BirthEvent =>
  applicationEvent(at, type, {
    id: application.id,
    institution: application.institution,
    divisionCode: applicationDivision(application, delivery),
    channel,
  });
