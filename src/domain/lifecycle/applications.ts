import { eventBy } from '../audit/audit-event.ts';
import { applicationChangedEvent } from '../events/lifecycle-events.ts';
import type { ApplicationBody } from '../rules/bodies.ts';
import { type CrossCheckFinding, crossCheck } from './cross-check.ts';
import { ownDelivery } from './guards.ts';
import type { Issuer, LifecyclePorts } from './ports.ts';
import type { ApplicationRecord, DeliveryRecord } from './records.ts';

export interface SubmittedApplication {
  id: string;
  status: 'submitted';
  /** The cross-check's findings, a preview of what issue will enforce (`checks` in the API). */
  checks: CrossCheckFinding[];
}

/**
 * The issuer enters the parents' application. With a delivery record the review's cross-check
 * runs now too, so the issuer sees a mismatch before trying to issue; issue enforces it.
 */
export function submitApplication(
  ports: Pick<LifecyclePorts, 'transactions' | 'applications' | 'secrets' | 'audit' | 'clock' | 'events'>,
  actor: Issuer,
  body: ApplicationBody,
): SubmittedApplication {
  const { institution } = actor;
  const now = ports.clock.now();
  let findings: CrossCheckFinding[];
  let delivery: DeliveryRecord | null = null;
  if (body.deliveryId !== undefined) {
    delivery = ownDelivery(ports, actor, body.deliveryId);
    findings = crossCheck(body, delivery, institution);
  } else {
    findings = [{ name: 'paternity-report', result: 'pass' }];
  }
  const record: ApplicationRecord = {
    id: ports.secrets.newId('A'),
    institution,
    deliveryId: body.deliveryId ?? null,
    input: body,
    status: 'submitted',
    certificateNo: null,
    licenceSerial: null,
    createdBy: actor.username,
    createdAt: now.toISOString(),
  };
  ports.transactions.run(() => {
    ports.applications.insertApplication(record);
    ports.audit.record(
      eventBy(actor, 'application.submitted', record.id, {
        deliveryId: record.deliveryId,
        applicantRelation: body.applicant.relation,
      }),
      now,
    );
    ports.events.append(
      applicationChangedEvent('cn.birth-certificate.application.submitted', record, delivery, 'walk-in', now),
    );
  });
  return { id: record.id, status: 'submitted', checks: findings };
}
