import { eventBy } from '../audit/audit-event.ts';
import { DomainError, invalidRequest } from '../errors.ts';
import { applicationChangedEvent } from '../events/lifecycle-events.ts';
import { crossCheck } from './cross-check.ts';
import { ownApplication } from './guards.ts';
import type { QueueEntry, QueueStatus } from './online-application-ports.ts';
import type { OnlinePorts } from './online-applications.ts';
import type { Issuer } from './ports.ts';

const queueStatuses: readonly QueueStatus[] = ['submitted', 'returned', 'issued'];

/** The issuer's queue: the institution's applications, online and walk-in, with the review's cross-check. */
export function applicationQueue(
  ports: OnlinePorts,
  actor: Issuer,
  statusParam: unknown,
): { applications: QueueEntry[] } {
  const { institution } = actor;
  const status = statusParam === undefined ? 'submitted' : statusParam;
  if (!queueStatuses.includes(status as QueueStatus)) {
    throw invalidRequest([{ path: 'status', message: `status must be one of ${queueStatuses.join(', ')}` }]);
  }
  const applications = ports.online.queue(institution, status as QueueStatus).map(({ application, channel }) => {
    const delivery = application.deliveryId ? ports.applications.findDelivery(application.deliveryId) : null;
    const online = channel === 'online' ? ports.online.find(application.id) : null;
    const entry: QueueEntry = {
      id: application.id,
      channel,
      status: status as QueueStatus,
      deliveryId: application.deliveryId,
      createdAt: application.createdAt,
      newborn: { name: application.input.newborn.name },
      mother: { name: application.input.mother.name },
      applicant: { name: application.input.applicant.name, relation: application.input.applicant.relation },
      checks: delivery
        ? crossCheck(application.input, delivery, institution)
        : [{ name: 'paternity-report', result: 'pass' }],
    };
    if (online?.returnReason) entry.returnReason = online.returnReason;
    if (application.certificateNo && status === 'issued') entry.certificateNo = application.certificateNo;
    return entry;
  });
  return { applications };
}

/** The issuer sends an online application back to the parents, saying what to correct. */
export function returnApplication(ports: OnlinePorts, actor: Issuer, applicationId: string, reason: string) {
  const application = ownApplication(ports, actor, applicationId);
  if (!ports.online.find(applicationId)) {
    throw new DomainError('INVALID_STATE', 'Only an online application goes back to the parents', [
      { path: 'id', message: 'a walk-in application: correct it with the parents at the counter' },
    ]);
  }
  if (application.status !== 'submitted') {
    throw new DomainError('INVALID_STATE', `The application is ${application.status}`, [
      { path: 'status', message: `is ${application.status}, not submitted` },
    ]);
  }
  const now = ports.clock.now();
  ports.transactions.run(() => {
    ports.online.markReturned(applicationId, reason, actor.username, now);
    ports.audit.record(eventBy(actor, 'application.returned', applicationId), now);
    const delivery = application.deliveryId ? ports.applications.findDelivery(application.deliveryId) : null;
    ports.events.append(
      applicationChangedEvent('cn.birth-certificate.application.returned', application, delivery, 'online', now),
    );
  });
  return { id: applicationId, status: 'returned' as const, returnReason: reason };
}
