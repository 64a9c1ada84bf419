import type { Certificate } from '../certificate.ts';
import { DomainError } from '../errors.ts';
import { ownApplication } from './applications.ts';
import { chinaDate, composeCertificate, registrationItems } from './compose.ts';
import { crossCheck, failedItems } from './cross-check.ts';
import { ownDelivery } from './deliveries.ts';
import type { Actor, LifecyclePorts } from './ports.ts';
import { certificateLinks, type IssueResult, produce, takeNumberOrRefuse, validateOrRefuse } from './produce.ts';

/** A replay of an issued application: the certificate, without a claim code (see newClaimCode). */
export type IssueReplay = Omit<IssueResult, 'claimCode' | 'status'> & { status: string };
export type IssueOutcome = { created: true; result: IssueResult } | { created: false; result: IssueReplay };

/**
 * 首次签发: cross-check → number → sign → render → store. The number and licence serial are
 * reserved on the application first, so a retry or a restart after a crash signs again with
 * the same number instead of taking another; an application already issued is answered with
 * its certificate (no second certificate, and the claim code handed out stays the only one).
 */
export async function issueCertificate(
  ports: LifecyclePorts,
  actor: Actor,
  applicationId: string,
): Promise<IssueOutcome> {
  const application = ownApplication(ports, actor, applicationId);
  const institution = ports.institutions.find(application.institution)!;
  const delivery = application.deliveryId ? ownDelivery(ports, actor, application.deliveryId) : null;

  if (application.status === 'issued') return { created: false, result: replay(ports, application.certificateNo!) };

  if (delivery) {
    const failed = failedItems(crossCheck(application.input, delivery, institution.creditCode));
    if (failed.length > 0) {
      throw new DomainError(
        'CROSS_CHECK_FAILED',
        `The application disagrees with the delivery record: ${failed.join(', ')}`,
        failed.map((path) => ({ path, message: 'differs from the delivery record' })),
      );
    }
  }

  const issueDate = chinaDate(ports.clock.now());
  const draft = composeCertificate(application.input, delivery, institution, issueDate);
  validateOrRefuse(ports, { ...draft, certificateNo: 'A000000000' });

  const reservation = ports.store.transaction(() => {
    const current = ports.store.findApplication(applicationId)!;
    if (current.status !== 'submitted')
      return { certificateNo: current.certificateNo!, serial: current.licenceSerial! };
    if (delivery && ports.store.deliveryIssued(delivery.id)) {
      throw new DomainError('ALREADY_ISSUED', 'A certificate was already issued for this delivery record');
    }
    refuseSecondCertificate(ports, draft);
    const certificateNo = takeNumberOrRefuse(ports, institution.creditCode);
    const serial = ports.secrets.newLicenceSerial();
    ports.store.markApplicationIssuing(applicationId, certificateNo, serial);
    return { certificateNo, serial };
  });

  try {
    const result = await produce(
      ports,
      actor,
      {
        certificate: { ...draft, certificateNo: reservation.certificateNo },
        registration: registrationItems(application.input, delivery),
        kind: delivery ? 'first' : 'out-of-institution',
        lineage: reservation.serial,
        version: 1,
        supersedes: null,
        applicationId,
        changeReason: null,
        childRegistered: null,
      },
      () => ports.store.markApplicationIssued(applicationId, ports.clock.now().toISOString()),
    );
    return { created: true, result };
  } catch (error) {
    // A concurrent request for the same application landed first: answer with its certificate.
    if (ports.store.findCertificate(reservation.certificateNo)) {
      return { created: false, result: replay(ports, reservation.certificateNo) };
    }
    throw error;
  }
}

/**
 * One birth, one current certificate: the same mother, birth instant and sex already holding a
 * valid certificate is the same birth entered twice (or a 冒领 attempt), whichever institution
 * or path it comes through. Corrections go through 换发, lost papers through 补发.
 */
function refuseSecondCertificate(ports: LifecyclePorts, draft: Omit<Certificate, 'certificateNo'>): void {
  const born = Date.parse(draft.newborn.birthTime);
  const existing = ports.store
    .findCertificatesByMother(draft.mother.idNumber)
    .find(
      (c) =>
        c.status === 'valid' &&
        c.certificate.newborn.sex === draft.newborn.sex &&
        Date.parse(c.certificate.newborn.birthTime) === born,
    );
  if (existing) {
    throw new DomainError('ALREADY_ISSUED', `This birth already has certificate ${existing.certificateNo}`, [
      {
        path: 'newborn.birthTime',
        message: `the same mother, birth time and sex hold certificate ${existing.certificateNo}`,
      },
    ]);
  }
}

function replay(ports: LifecyclePorts, certificateNo: string): IssueReplay {
  const record = ports.store.findCertificate(certificateNo)!;
  return { certificateNo, licenceId: record.licenceId, status: record.status, links: certificateLinks(certificateNo) };
}
