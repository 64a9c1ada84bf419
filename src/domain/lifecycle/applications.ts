import { type Acting, eventBy } from '../audit/audit-event.ts';
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
  return enterApplication(
    ports,
    { institution: actor.institution, createdBy: actor.username, acting: actor, channel: 'walk-in' },
    body,
  );
}

/**
 * Who enters an application: the issuer at the counter, or (线上申领) the parents for the
 * institution that recorded the birth, under no account.
 */
export interface ApplicationSubmitter {
  institution: string;
  /** The application's `createdBy`. */
  createdBy: string;
  /** Whom the audit log names. */
  acting: Acting;
  /** How the application came in, as its birth event says. */
  channel: 'walk-in' | 'online';
}

/** Enters an application for `submitter.institution`; a delivery record named must be that institution's. */
export function enterApplication(
  ports: Pick<LifecyclePorts, 'transactions' | 'applications' | 'secrets' | 'audit' | 'clock' | 'events'>,
  submitter: ApplicationSubmitter,
  body: ApplicationBody,
): SubmittedApplication {
  const { institution, acting } = submitter;
  const now = ports.clock.now();
  let findings: CrossCheckFinding[];
  let delivery: DeliveryRecord | null = null;
  if (body.deliveryId !== undefined) {
    delivery = ownDelivery(ports, submitter, body.deliveryId);
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
    createdBy: submitter.createdBy,
    createdAt: now.toISOString(),
  };
  ports.transactions.run(() => {
    ports.applications.insertApplication(record);
    ports.audit.record(
      eventBy(acting, 'application.submitted', record.id, {
        deliveryId: record.deliveryId,
        applicantRelation: body.applicant.relation,
      }),
      now,
    );
    ports.events.append(
      applicationChangedEvent('cn.birth-certificate.application.submitted', record, delivery, submitter.channel, now),
    );
  });
  return { id: record.id, status: 'submitted', checks: findings };
}
