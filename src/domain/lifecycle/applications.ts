import { type Acting, eventBy } from '../audit/audit-event.ts';
import type { ApplicationBody } from '../rules/bodies.ts';
import { type CrossCheckFinding, crossCheck } from './cross-check.ts';
import { ownDelivery } from './guards.ts';
import type { Issuer, LifecyclePorts } from './ports.ts';
import type { ApplicationRecord } from './records.ts';

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
  ports: Pick<LifecyclePorts, 'transactions' | 'applications' | 'secrets' | 'audit' | 'clock'>,
  actor: Issuer,
  body: ApplicationBody,
): SubmittedApplication {
  return enterApplication(ports, { institution: actor.institution, createdBy: actor.username, acting: actor }, body);
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
}

/** Enters an application for `submitter.institution`; a delivery record named must be that institution's. */
export function enterApplication(
  ports: Pick<LifecyclePorts, 'transactions' | 'applications' | 'secrets' | 'audit' | 'clock'>,
  submitter: ApplicationSubmitter,
  body: ApplicationBody,
): SubmittedApplication {
  const { institution, acting } = submitter;
  const now = ports.clock.now();
  let findings: CrossCheckFinding[];
  if (body.deliveryId !== undefined) {
    const delivery = ownDelivery(ports, submitter, body.deliveryId);
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
  });
  return { id: record.id, status: 'submitted', checks: findings };
}
