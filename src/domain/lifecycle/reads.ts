import { eventBy } from '../audit/audit-event.ts';
import type { Certificate, Parent } from '../certificate.ts';
import { DomainError } from '../errors.ts';
import type { Actor, LifecyclePorts } from './ports.ts';
import type { CertificateRecord } from './records.ts';

export const maxPurposeLength = 200;

/** Police and agencies state why they read a record; admins may. Returns the trimmed purpose. */
export function checkPurpose(actor: Actor, purpose: unknown): string | null {
  const required = actor.role === 'police' || actor.role === 'agency';
  if (purpose === undefined && !required) return null;
  const text = typeof purpose === 'string' ? purpose.trim() : '';
  if (text.length === 0 || [...text].length > maxPurposeLength || /\p{Cc}/u.test(text)) {
    throw new DomainError(
      'PURPOSE_REQUIRED',
      'State the purpose of this read: query parameter purpose, 1–200 characters',
      [{ path: 'purpose', message: 'purpose must be 1–200 characters of text' }],
    );
  }
  return text;
}

/** `440106199305121249` → `440***********1249`: enough to tell records apart, not to reuse. */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.length <= 7) return '*'.repeat(idNumber.length);
  return `${idNumber.slice(0, 3)}${'*'.repeat(idNumber.length - 7)}${idNumber.slice(-4)}`;
}

const maskParent = (parent: Parent): Parent => ({ ...parent, idNumber: maskIdNumber(parent.idNumber) });

/** Police with a purpose and the issuing institution see ID numbers in full; others masked. */
const seesIdNumbers = (actor: Actor, record: CertificateRecord) =>
  actor.role === 'police' || (actor.role === 'issuer' && actor.institution === record.institution);

function certificateFor(actor: Actor, record: CertificateRecord): Certificate {
  if (seesIdNumbers(actor, record)) return record.certificate;
  return {
    ...record.certificate,
    mother: maskParent(record.certificate.mother),
    father: record.certificate.father ? maskParent(record.certificate.father) : null,
  };
}

export function recordView(ports: LifecyclePorts, actor: Actor, record: CertificateRecord) {
  const registration = ports.store.findRegistration(record.lineage);
  const history = ports.store.lineage(record.lineage).map((version) => ({
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
    ...(record.statusNote && actor.role !== 'admin' ? { statusNote: record.statusNote } : {}),
    supersededBy: record.supersededBy,
    supersedes: record.supersedes,
    currentCertificateNo: current,
    history,
    householdRegistration: registration
      ? {
          certificateNo: registration.certificateNo,
          childIdNumber: seesIdNumbers(actor, record)
            ? registration.childIdNumber
            : maskIdNumber(registration.childIdNumber),
          registeredOn: registration.registeredOn,
          policeUnit: registration.policeUnit,
        }
      : null,
    ...(actor.role === 'issuer' ? { registration: record.registration } : {}),
  };
}

/** What an agency may see: the fields a verification shows, nothing more. */
export function verificationView(ports: LifecyclePorts, record: CertificateRecord) {
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
    householdRegistered: ports.store.findRegistration(record.lineage) !== null,
  };
}

function auditRead(
  ports: LifecyclePorts,
  actor: Actor,
  action: string,
  target: string | null,
  purpose: string | null,
  details: Record<string, unknown> = {},
) {
  ports.audit.record(eventBy(actor, action, target, details, purpose), ports.clock.now());
}

/** A record read by an issuer (own institution), the police or an admin; every read is audited. */
export function readCertificate(ports: LifecyclePorts, actor: Actor, certificateNo: string, purposeParam: unknown) {
  const purpose = checkPurpose(actor, purposeParam);
  const record = findReadable(ports, actor, certificateNo);
  auditRead(ports, actor, 'certificate.read', certificateNo, purpose);
  return recordView(ports, actor, record);
}

export function findReadable(ports: LifecyclePorts, actor: Actor, certificateNo: string): CertificateRecord {
  const record = ports.store.findCertificate(certificateNo);
  if (!record) throw new DomainError('NOT_FOUND', `No certificate ${certificateNo}`);
  if (actor.role === 'issuer' && record.institution !== actor.institution) {
    throw new DomainError('FORBIDDEN', 'The certificate was issued by another institution');
  }
  if (actor.role === 'citizen' && actor.certificateNo !== certificateNo) {
    throw new DomainError('FORBIDDEN', 'The claim token opens another certificate');
  }
  return record;
}

function readDocument(
  ports: LifecyclePorts,
  actor: Actor,
  certificateNo: string,
  document: string,
  purposeParam: unknown,
) {
  const purpose = actor.role === 'citizen' ? null : checkPurpose(actor, purposeParam);
  const record = findReadable(ports, actor, certificateNo);
  const action = actor.role === 'citizen' ? 'citizen.downloaded' : 'certificate.document-read';
  auditRead(ports, actor, action, certificateNo, purpose, { document });
  return record;
}

/** The signed e-licence, for the record's readers plus the parents with a claim token. */
export const readSignedJson = (ports: LifecyclePorts, actor: Actor, certificateNo: string, purpose: unknown): string =>
  readDocument(ports, actor, certificateNo, 'signed-json', purpose).signedJson;

export const readPdf = (ports: LifecyclePorts, actor: Actor, certificateNo: string, purpose: unknown): Uint8Array => {
  readDocument(ports, actor, certificateNo, 'pdf', purpose);
  return ports.store.certificatePdf(certificateNo)!;
};

/** Records of one mother: police and admins get the record, agencies the verification fields. */
export function searchByMother(ports: LifecyclePorts, actor: Actor, motherIdNumber: unknown, purposeParam: unknown) {
  const purpose = checkPurpose(actor, purposeParam);
  if (typeof motherIdNumber !== 'string' || !/^[0-9A-Za-z()（）-]{5,30}$/.test(motherIdNumber)) {
    throw new DomainError('INVALID_REQUEST', 'motherIdNumber is required', [
      { path: 'motherIdNumber', item: '母亲有效身份证件号码', message: 'motherIdNumber must be an ID document number' },
    ]);
  }
  const records = ports.store.findCertificatesByMother(motherIdNumber);
  auditRead(ports, actor, 'certificate.searched', null, purpose, { matches: records.map((r) => r.certificateNo) });
  const results =
    actor.role === 'agency'
      ? records.map((r) => verificationView(ports, r))
      : records.map((r) => recordView(ports, actor, r));
  return { results };
}
