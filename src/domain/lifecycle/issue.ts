import type { Certificate } from '../certificate.ts';
import { DomainError } from '../errors.ts';
import { chinaDate, composeCertificate, registrationItems } from './compose.ts';
import { crossCheck, discrepantItems } from './cross-check.ts';
import { ownApplication, ownDelivery } from './guards.ts';
import {
  certificateLinks,
  checkCertificate,
  commit,
  type IssueDraft,
  type IssueResult,
  placeInStatusList,
  render,
  reserveNumber,
  sign,
} from './issuing-steps.ts';
import { refuseSecondCertificate } from './multiple-birth.ts';
import type { ApplicationHolder, Issuer, LifecyclePorts, Reservation } from './ports.ts';
import type { ApplicationRecord, DeliveryRecord } from './records.ts';

/** A replay of an issued application: the certificate, without a claim code (see newClaimCode). */
export type IssueReplay = Omit<IssueResult, 'claimCode' | 'status'> & { status: string };
export type IssueOutcome = { created: true; result: IssueResult } | { created: false; result: IssueReplay };

export type IssuePorts = Omit<LifecyclePorts, 'households'>;

/**
 * 首次签发: check → reserve number → sign → render → commit. The number and licence serial stay
 * reserved for the application until its certificate lands, so a retry or a restart after a crash
 * signs again with the same number instead of taking another; an application already issued is
 * answered with its certificate (no second certificate, and the claim code handed out stays the
 * only one).
 */
export async function issueCertificate(ports: IssuePorts, actor: Issuer, applicationId: string): Promise<IssueOutcome> {
  const application = ownApplication(ports, actor, applicationId);
  const institution = ports.institutions.find(application.institution)!;
  const delivery = application.deliveryId ? ownDelivery(ports, actor, application.deliveryId) : null;
  if (application.status === 'issued') return { created: false, result: replay(ports, application.certificateNo!) };
  if (application.status === 'returned') {
    throw new DomainError('INVALID_STATE', 'The application is back with the parents for correction', [
      { path: 'status', message: 'returned to the parents; issue once they resubmit' },
    ]);
  }

  // 1. check
  if (delivery) refuseCrossCheckFailure(application, delivery, institution.creditCode);
  const certificate = composeCertificate(application.input, delivery, institution, chinaDate(ports.clock.now()));
  checkCertificate(ports, certificate, 'A000000000');

  // 2. reserve number, or take up the one an earlier attempt at this application reserved; place it in its status list
  const reserved = ports.transactions.run(() => {
    const current = ports.applications.findApplication(applicationId)!;
    if (current.status === 'issued') return current.certificateNo!;
    const held = current.status === 'issuing' ? ports.stock.heldByApplication(applicationId) : null;
    const reservation = held ?? reserveForApplication(ports, application, delivery, certificate);
    return { reservation, status: placeInStatusList(ports, reservation) };
  });
  // A concurrent request for the same application landed in between.
  if (typeof reserved === 'string') return { created: false, result: replay(ports, reserved) };
  const { reservation, status } = reserved;
  const draft: IssueDraft = {
    certificate,
    registrationItems: registrationItems(application.input, delivery),
    kind: delivery ? 'first' : 'out-of-institution',
    lineage: reservation.holder.lineage,
    version: 1,
    supersedes: null,
    applicationId,
    householdRegisteredAtReissue: null,
  };

  try {
    const issuedAt = ports.clock.now();
    // 3. sign
    const signed = await sign(ports, draft, reservation, status, issuedAt);
    // 4. render
    const pdf = await render(ports, signed, issuedAt);
    // 5. commit
    return { created: true, result: commit(ports, actor, draft, reservation, signed, pdf, issuedAt) };
  } catch (error) {
    // A concurrent request for the same application landed first: answer with its certificate.
    // Otherwise the reservation stays with the application for the retry.
    if (ports.register.find(reservation.certificateNo)) {
      return { created: false, result: replay(ports, reservation.certificateNo) };
    }
    throw error;
  }
}

function refuseCrossCheckFailure(application: ApplicationRecord, delivery: DeliveryRecord, institution: string) {
  const failed = discrepantItems(crossCheck(application.input, delivery, institution));
  if (failed.length > 0) {
    throw new DomainError(
      'CROSS_CHECK_FAILED',
      `The application disagrees with the delivery record: ${failed.join(', ')}`,
      failed.map((path) => ({ path, message: 'differs from the delivery record' })),
    );
  }
}

/** Within the unit of work: the birth must not have its certificate yet, then a number is taken. */
function reserveForApplication(
  ports: IssuePorts,
  application: ApplicationRecord,
  delivery: DeliveryRecord | null,
  certificate: Omit<Certificate, 'certificateNo'>,
): Reservation<ApplicationHolder> {
  if (delivery && ports.applications.deliveryIssued(delivery.id)) {
    throw new DomainError('ALREADY_ISSUED', 'A certificate was already issued for this delivery record');
  }
  refuseSecondCertificate(ports, certificate, registrationItems(application.input, delivery), application.institution);
  return reserveNumber(ports, application.institution, {
    kind: 'application',
    applicationId: application.id,
    lineage: ports.secrets.newLicenceSerial(),
  });
}

function replay(ports: Pick<LifecyclePorts, 'register'>, certificateNo: string): IssueReplay {
  const record = ports.register.find(certificateNo)!;
  return { certificateNo, licenceId: record.licenceId, status: record.status, links: certificateLinks(certificateNo) };
}
