import type { Certificate, Parent } from '../certificate.ts';
import type { Actor, LifecyclePorts } from './ports.ts';
import type { CertificateRecord, HouseholdRegistration } from './records.ts';

/*
 * Who sees what of a certificate record, and masked how. Who may read a record at all is in
 * guards.ts (and the routes' access lists); the printed form and the signed e-licence carry the
 * surface items in full, never the 登记 items.
 */

type Reader = Actor['role'];

interface ReaderRules {
  /** What a read or a search by mother returns: the record, or only what a verification shows. */
  view: 'record' | 'verification-fields';
  /** The parents' and the child's ID numbers: in full, masked, or in full for the issuing institution only. */
  idNumbers: 'full' | 'masked' | 'full-for-own-institution';
  /** 登记 items (hospital record number, midwife, applicant …), kept by the issuer. */
  registrationItems: boolean;
  /** The free-text note given with a void. */
  statusNote: boolean;
  /** The purpose of a read: required (recorded in the audit log), optional, or not asked (the parents). */
  purpose: 'required' | 'optional' | 'not-asked';
}

const nothingExtra = { registrationItems: false, statusNote: true } as const;

export const visibility: Readonly<Record<Reader, ReaderRules>> = {
  issuer: {
    view: 'record',
    idNumbers: 'full-for-own-institution',
    registrationItems: true,
    statusNote: true,
    purpose: 'optional',
  },
  police: { view: 'record', idNumbers: 'full', ...nothingExtra, purpose: 'required' },
  agency: { view: 'verification-fields', idNumbers: 'masked', ...nothingExtra, purpose: 'required' },
  admin: { view: 'record', idNumbers: 'masked', registrationItems: false, statusNote: false, purpose: 'optional' },
  citizen: { view: 'record', idNumbers: 'masked', ...nothingExtra, purpose: 'not-asked' },
  // No read route admits these roles; the most restrictive rules stand in case one ever does.
  midwife: { view: 'verification-fields', idNumbers: 'masked', ...nothingExtra, purpose: 'optional' },
  auditor: { view: 'verification-fields', idNumbers: 'masked', ...nothingExtra, purpose: 'optional' },
  statistician: { view: 'verification-fields', idNumbers: 'masked', ...nothingExtra, purpose: 'optional' },
};

/**
 * Shows at most a third of any ID document number, whatever its length, split between the
 * start and the end: `440106199305121249` (18) → `44************1249`, a 9-character passport
 * number → `E******78`: never more than ⌊n/3⌋ characters in clear, the rest starred. Enough
 * to tell records apart, not to reuse.
 */
export function maskIdNumber(idNumber: string): string {
  const chars = [...idNumber];
  const shown = Math.floor(chars.length / 3);
  const tail = Math.min(4, Math.ceil(shown / 2) + (shown >= 4 ? 1 : 0), shown);
  const head = shown - tail;
  return [...chars.slice(0, head), ...'*'.repeat(chars.length - shown), ...chars.slice(chars.length - tail)].join('');
}

export function seesIdNumbers(actor: Actor, record: CertificateRecord): boolean {
  const rule = visibility[actor.role].idNumbers;
  return rule === 'full' || (rule === 'full-for-own-institution' && actor.institution === record.institution);
}

const maskParent = (parent: Parent): Parent => ({ ...parent, idNumber: maskIdNumber(parent.idNumber) });

function certificateFor(actor: Actor, record: CertificateRecord): Certificate {
  if (seesIdNumbers(actor, record)) return record.certificate;
  return {
    ...record.certificate,
    mother: maskParent(record.certificate.mother),
    father: record.certificate.father ? maskParent(record.certificate.father) : null,
  };
}

type ViewPorts = Pick<LifecyclePorts, 'register' | 'households'>;

/** The record as `actor` may see it: surface items, envelope, status, history and 落户. */
export function recordView(ports: ViewPorts, actor: Actor, record: CertificateRecord) {
  const rules = visibility[actor.role];
  const household = ports.households.find(record.lineage);
  const history = ports.register.lineage(record.lineage).map((version) => ({
    certificateNo: version.certificateNo,
    licenceId: version.licenceId,
    version: version.version,
    kind: version.kind,
    status: version.status,
    issuedAt: version.issuedAt,
    ...(version.changeReason ? { reason: version.changeReason } : {}),
    ...(version.statusReason ? { statusReason: version.statusReason } : {}),
    ...(version.supersededBy ? { supersededBy: version.supersededBy } : {}),
  }));
  const current = history.find((h) => h.status === 'valid')?.certificateNo ?? null;
  return {
    certificate: certificateFor(actor, record),
    licence: record.licence,
    status: record.status,
    ...(record.statusReason ? { statusReason: record.statusReason } : {}),
    ...(record.statusNote && rules.statusNote ? { statusNote: record.statusNote } : {}),
    supersededBy: record.supersededBy,
    supersedes: record.supersedes,
    ...(record.backfilled ? { backfilled: true } : {}),
    currentCertificateNo: current,
    history,
    householdRegistration: household
      ? {
          certificateNo: household.certificateNo,
          childIdNumber: seesIdNumbers(actor, record) ? household.childIdNumber : maskIdNumber(household.childIdNumber),
          registeredOn: household.registeredOn,
          policeUnit: household.policeUnit,
          ...householdFeedbackView(household),
        }
      : null,
    // `registration` is the HTTP contract's name for the 登记 items.
    ...(rules.registrationItems ? { registration: record.registrationItems } : {}),
  };
}

/** What a verification shows, nothing more. */
export function verificationView(ports: Pick<LifecyclePorts, 'households'>, record: CertificateRecord) {
  const c = record.certificate;
  return {
    certificateNo: record.certificateNo,
    licenceId: record.licenceId,
    status: record.status,
    supersededBy: record.supersededBy,
    newborn: { name: c.newborn.name, sex: c.newborn.sex, birthTime: c.newborn.birthTime },
    mother: { name: c.mother.name },
    issuer: { name: c.issuer.name },
    issueDate: c.issueDate,
    householdRegistered: ports.households.find(record.lineage) !== null,
  };
}

/** A search result in the view the reader's rules give. */
export const searchResultView = (ports: ViewPorts, actor: Actor, record: CertificateRecord) =>
  visibility[actor.role].view === 'verification-fields'
    ? verificationView(ports, record)
    : recordView(ports, actor, record);

/** The registered name (with whether it differs) and the place, each only when the police fed it back. */
export const householdFeedbackView = (registration: HouseholdRegistration) => ({
  ...(registration.registeredName !== null && {
    registeredName: registration.registeredName,
    nameDiffers: registration.nameDiffers,
  }),
  ...(registration.householdPlace && { householdPlace: registration.householdPlace }),
});
