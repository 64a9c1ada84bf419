import type { Certificate, Parent } from '../certificate.ts';
import { DomainError, invalidRequest } from '../errors.ts';
import type { ApplicationBody, CertificateChanges, ReissueBody, ReplacementBody } from '../rules/bodies.ts';
import { chinaDate } from './compose.ts';
import { crossCheck, failedItems } from './cross-check.ts';
import type { Actor, LifecyclePorts } from './ports.ts';
import { type IssueResult, produce, takeNumberOrRefuse, validateOrRefuse } from './produce.ts';
import type { CertificateRecord, IssueKind } from './records.ts';
import { voidAbandonedNumber } from './void.ts';

/** A certificate of the caller's institution, or a 404/403. */
export function ownCertificate(ports: LifecyclePorts, actor: Actor, certificateNo: string): CertificateRecord {
  const record = ports.store.findCertificate(certificateNo);
  if (!record) throw new DomainError('NOT_FOUND', `No certificate ${certificateNo}`);
  if (record.institution !== actor.institution) {
    throw new DomainError('FORBIDDEN', 'The certificate was issued by another institution');
  }
  return record;
}

function requireCurrent(record: CertificateRecord): void {
  if (record.status !== 'valid') {
    throw new DomainError('INVALID_STATE', `Certificate ${record.certificateNo} is ${record.status}`, [
      {
        path: 'certificateNo',
        message: record.supersededBy ? `superseded by ${record.supersededBy}` : `status is ${record.status}`,
      },
    ]);
  }
}

/** Applies a replacement's corrections; a father given where none was recorded must be complete. */
export function applyChanges(certificate: Certificate, changes: CertificateChanges): Certificate {
  const next: Certificate = structuredClone(certificate);
  if (changes.newborn) next.newborn = { ...next.newborn, ...changes.newborn };
  if (changes.birthPlace) next.birthPlace = changes.birthPlace;
  if (changes.birthPlaceCategory) next.birthPlaceCategory = changes.birthPlaceCategory;
  if (changes.birthPlaceOther !== undefined) next.birthPlaceOther = changes.birthPlaceOther;
  if (changes.deliveryInstitution !== undefined) next.deliveryInstitution = changes.deliveryInstitution;
  if (changes.mother) next.mother = { ...next.mother, ...changes.mother };
  if (changes.father === null) {
    next.father = null;
  } else if (changes.father) {
    next.father = { ...(next.father ?? {}), ...changes.father } as Parent;
    delete next.fatherAbsentReason;
  }
  if (changes.fatherAbsentReason !== undefined) next.fatherAbsentReason = changes.fatherAbsentReason;
  return next;
}

async function supersedeWith(
  ports: LifecyclePorts,
  actor: Actor,
  old: CertificateRecord,
  kind: Extract<IssueKind, 'replacement' | 'reissue'>,
  corrected: Omit<Certificate, 'certificateNo'>,
  reason: string,
  childRegistered: boolean | null,
): Promise<IssueResult> {
  validateOrRefuse(ports, { ...corrected, certificateNo: old.certificateNo });
  const now = ports.clock.now();
  const certificateNo = ports.store.transaction(() => {
    const number = takeNumberOrRefuse(ports, old.institution);
    ports.store.reserveNumber(number, old.institution, kind, now);
    return number;
  });
  try {
    return await produce(
      ports,
      actor,
      {
        certificate: { ...corrected, certificateNo },
        registration: old.registration,
        kind,
        lineage: old.lineage,
        version: old.version + 1,
        supersedes: { licenceId: old.licenceId, certificateNo: old.certificateNo },
        applicationId: old.applicationId,
        changeReason: reason,
        childRegistered,
      },
      () => {
        ports.store.supersede(old.certificateNo, certificateNo, reason, ports.clock.now());
        ports.store.releaseReservation(certificateNo);
      },
      // Checked again inside the transaction: two amendments of one certificate race here.
      () => requireCurrent(ports.store.findCertificate(old.certificateNo)!),
    );
  } catch (error) {
    // The number was taken but no certificate landed: void it so it is accounted for, never reused.
    voidAbandonedNumber(ports, actor, certificateNo, old.institution, `${kind} abandoned`);
    throw error;
  }
}

/** 换发: corrected items under a new number; the old certificate points at its successor. */
export async function replaceCertificate(
  ports: LifecyclePorts,
  actor: Actor,
  certificateNo: string,
  body: ReplacementBody,
): Promise<IssueResult> {
  const old = ownCertificate(ports, actor, certificateNo);
  requireCurrent(old);
  if (Object.keys(body.changes).length === 0) {
    throw invalidRequest([{ path: 'changes', message: 'changes must correct at least one item' }]);
  }
  const institution = ports.institutions.find(old.institution)!;
  const { certificateNo: _old, ...rest } = applyChanges(old.certificate, body.changes);
  refuseDepartureFromDelivery(ports, old, rest);
  // A different father is a change of parentage, not a typo: DOMAIN.md asks for DNA evidence.
  if (fatherChanges(old.certificate.father, rest.father) && !body.paternityReportNo) {
    throw invalidRequest([
      {
        path: 'paternityReportNo',
        message: 'paternityReportNo is required when the correction changes who the father is',
      },
    ]);
  }
  const corrected = {
    ...rest,
    issueDate: chinaDate(ports.clock.now()),
    issuer: { name: institution.name, creditCode: institution.creditCode, divisionCode: institution.divisionCode },
  };
  const evidence = body.paternityReportNo ? { paternityReportNo: body.paternityReportNo } : {};
  return supersedeWith(
    ports,
    actor,
    { ...old, registration: { ...old.registration, ...evidence } },
    'replacement',
    corrected,
    body.reason,
    null,
  );
}

/** Whether a correction names another father (or adds or removes one), beyond spelling his name. */
function fatherChanges(before: Parent | null, after: Parent | null): boolean {
  if (before === null || after === null) return before !== after;
  return before.idType !== after.idType || before.idNumber !== after.idNumber;
}

/** Items a correction may not take away from what the midwife recorded at the birth. */
const anchoredItems = new Set(['mother.idType', 'mother.idNumber', 'newborn.sex', 'newborn.birthTime']);

/**
 * A 换发 corrects items, it does not re-assign a birth: for a birth with a delivery record the
 * mother's document, the sex and the birth time must still agree with that record.
 */
function refuseDepartureFromDelivery(
  ports: LifecyclePorts,
  old: CertificateRecord,
  corrected: Omit<Certificate, 'certificateNo'>,
): void {
  const deliveryId = old.applicationId ? ports.store.findApplication(old.applicationId)?.deliveryId : null;
  const delivery = deliveryId ? ports.store.findDelivery(deliveryId) : null;
  if (!delivery) return;
  const stated = {
    deliveryId: delivery.id,
    newborn: { name: corrected.newborn.name, sex: corrected.newborn.sex, birthTime: corrected.newborn.birthTime },
    mother: corrected.mother,
  } as ApplicationBody;
  const failed = failedItems(crossCheck(stated, delivery, delivery.institution)).filter((item) =>
    anchoredItems.has(item),
  );
  if (failed.length > 0) {
    throw new DomainError(
      'CROSS_CHECK_FAILED',
      `The correction departs from the delivery record: ${failed.join(', ')}`,
      failed.map((path) => ({ path: `changes.${path}`, message: 'differs from the delivery record' })),
    );
  }
}

/** 补发: the same items under a new number after the paper was lost. */
export async function reissueCertificate(
  ports: LifecyclePorts,
  actor: Actor,
  certificateNo: string,
  body: ReissueBody,
): Promise<IssueResult> {
  const old = ownCertificate(ports, actor, certificateNo);
  requireCurrent(old);
  const { certificateNo: _old, ...items } = old.certificate;
  const corrected = { ...items, issueDate: chinaDate(ports.clock.now()) };
  // The register knows a registration the caller may not; the caller may know one it does not.
  const registered = ports.store.findRegistration(old.lineage) !== null || body.childRegistered === true;
  return supersedeWith(ports, actor, old, 'reissue', corrected, body.reason, registered);
}

export { requireCurrent };
