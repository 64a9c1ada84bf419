import type { Certificate, Parent } from '../certificate.ts';
import { DomainError, invalidRequest } from '../errors.ts';
import type { ApplicationBody, CertificateChanges, ReissueBody, ReplacementBody } from '../rules/bodies.ts';
import { chinaDate } from './compose.ts';
import { crossCheck, discrepantItems } from './cross-check.ts';
import { ownCertificate, requireCurrent } from './guards.ts';
import {
  checkCertificate,
  commit,
  type IssueDraft,
  type IssueResult,
  placeInStatusList,
  render,
  reserveNumber,
  sign,
} from './issuing-steps.ts';
import { voidAbandonedNumber } from './numbers.ts';
import type { Issuer, LifecyclePorts } from './ports.ts';
import type { CertificateRecord } from './records.ts';

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

export type AmendPorts = LifecyclePorts;

/**
 * 换发 and 补发 go through the same steps as a first issue — check → reserve number → sign →
 * render → commit — under a new number in the predecessor's lineage; commit supersedes it.
 */
async function supersedeWith(
  ports: AmendPorts,
  actor: Issuer,
  old: CertificateRecord,
  kind: 'replacement' | 'reissue',
  certificate: Omit<Certificate, 'certificateNo'>,
  reason: string,
  householdRegisteredAtReissue: boolean | null,
): Promise<IssueResult> {
  // 1. check
  checkCertificate(ports, certificate, old.certificateNo);
  // 2. reserve number, and place it in its status list
  const { reservation, status } = ports.transactions.run(() => {
    const reservation = reserveNumber(ports, old.institution, { kind: 'amendment', purpose: kind });
    return { reservation, status: placeInStatusList(ports, reservation) };
  });
  const draft: IssueDraft = {
    certificate,
    registrationItems: old.registrationItems,
    kind,
    lineage: old.lineage,
    version: old.version + 1,
    supersedes: { record: old, reason },
    applicationId: old.applicationId,
    householdRegisteredAtReissue,
  };
  try {
    const issuedAt = ports.clock.now();
    // 3. sign
    const signed = await sign(ports, draft, reservation, status, issuedAt);
    // 4. render
    const pdf = await render(ports, signed, issuedAt);
    // 5. commit (fails with INVALID_STATE when a concurrent amendment superseded `old` first)
    return commit(ports, actor, draft, reservation, signed, pdf, issuedAt);
  } catch (error) {
    // The number was taken but no certificate landed: void it so it is accounted for, never reused.
    voidAbandonedNumber(ports, actor, reservation, `${kind} abandoned`);
    throw error;
  }
}

/** 换发: corrected items under a new number; the old certificate points at its successor. */
export async function replaceCertificate(
  ports: AmendPorts,
  actor: Issuer,
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
    { ...old, registrationItems: { ...old.registrationItems, ...evidence } },
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
  ports: Pick<LifecyclePorts, 'applications'>,
  old: CertificateRecord,
  corrected: Omit<Certificate, 'certificateNo'>,
): void {
  const deliveryId = old.applicationId ? ports.applications.findApplication(old.applicationId)?.deliveryId : null;
  const delivery = deliveryId ? ports.applications.findDelivery(deliveryId) : null;
  if (!delivery) return;
  const stated = {
    deliveryId: delivery.id,
    newborn: { name: corrected.newborn.name, sex: corrected.newborn.sex, birthTime: corrected.newborn.birthTime },
    mother: corrected.mother,
  } as ApplicationBody;
  const failed = discrepantItems(crossCheck(stated, delivery, delivery.institution)).filter((item) =>
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
  ports: AmendPorts,
  actor: Issuer,
  certificateNo: string,
  body: ReissueBody,
): Promise<IssueResult> {
  const old = ownCertificate(ports, actor, certificateNo);
  requireCurrent(old);
  const { certificateNo: _old, ...items } = old.certificate;
  const corrected = { ...items, issueDate: chinaDate(ports.clock.now()) };
  // 落户 may be on record here without the caller knowing, or known to the caller and not on record.
  const householdRegistered = ports.households.find(old.lineage) !== null || body.childRegistered === true;
  return supersedeWith(ports, actor, old, 'reissue', corrected, body.reason, householdRegistered);
}
