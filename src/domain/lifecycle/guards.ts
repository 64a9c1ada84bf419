import { DomainError } from '../errors.ts';
import type { Actor, InstitutionStaff, LifecyclePorts } from './ports.ts';
import type { ApplicationRecord, CertificateRecord, DeliveryRecord } from './records.ts';

/*
 * Ownership guards: whose records a caller may act on or read. Unknown → NOT_FOUND (404),
 * someone else's → FORBIDDEN (403). What a reader then sees of a record is in visibility.ts.
 */

/** A delivery record of the caller's institution. */
export function ownDelivery(
  ports: Pick<LifecyclePorts, 'applications'>,
  actor: Pick<InstitutionStaff, 'institution'>,
  id: string,
): DeliveryRecord {
  const delivery = ports.applications.findDelivery(id);
  if (!delivery) {
    throw new DomainError('NOT_FOUND', `No delivery record ${id}`, [
      { path: 'deliveryId', message: 'no such delivery record' },
    ]);
  }
  if (delivery.institution !== actor.institution) {
    throw new DomainError('FORBIDDEN', 'The delivery record belongs to another institution', [
      { path: 'deliveryId', message: 'recorded by another institution' },
    ]);
  }
  return delivery;
}

/** An application of the caller's institution. */
export function ownApplication(
  ports: Pick<LifecyclePorts, 'applications'>,
  actor: InstitutionStaff,
  id: string,
): ApplicationRecord {
  const application = ports.applications.findApplication(id);
  if (!application) throw new DomainError('NOT_FOUND', `No application ${id}`);
  if (application.institution !== actor.institution) {
    throw new DomainError('FORBIDDEN', 'The application belongs to another institution');
  }
  return application;
}

/** A certificate the caller's institution issued. */
export function ownCertificate(
  ports: Pick<LifecyclePorts, 'register'>,
  actor: InstitutionStaff,
  certificateNo: string,
): CertificateRecord {
  const record = ports.register.find(certificateNo);
  if (!record) throw new DomainError('NOT_FOUND', `No certificate ${certificateNo}`);
  if (record.institution !== actor.institution) {
    throw new DomainError('FORBIDDEN', 'The certificate was issued by another institution');
  }
  return record;
}

/** A certificate the caller may read: issuers their institution's, citizens the one their claim opened. */
export function findReadable(
  ports: Pick<LifecyclePorts, 'register'>,
  actor: Actor,
  certificateNo: string,
): CertificateRecord {
  const record = ports.register.find(certificateNo);
  if (!record) throw new DomainError('NOT_FOUND', `No certificate ${certificateNo}`);
  if (actor.role === 'issuer' && record.institution !== actor.institution) {
    throw new DomainError('FORBIDDEN', 'The certificate was issued by another institution');
  }
  if (actor.role === 'citizen' && actor.certificateNo !== certificateNo) {
    throw new DomainError('FORBIDDEN', 'The claim token opens another certificate');
  }
  return record;
}

/** Only the current version of a birth's certificate can be amended, voided, revoked or used for 落户. */
export function requireCurrent(record: CertificateRecord): void {
  if (record.status !== 'valid') {
    throw new DomainError('INVALID_STATE', `Certificate ${record.certificateNo} is ${record.status}`, [
      {
        path: 'certificateNo',
        message: record.supersededBy ? `superseded by ${record.supersededBy}` : `status is ${record.status}`,
      },
    ]);
  }
}
