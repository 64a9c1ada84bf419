import { eventBy } from '../audit/audit-event.ts';
import { DomainError, invalidRequest } from '../errors.ts';
import type { DeliveryBody } from '../rules/bodies.ts';
import type { Actor, LifecyclePorts } from './ports.ts';
import type { DeliveryRecord } from './records.ts';

/** The midwife records the delivery within this time of the birth; later entries need a reason. */
export const deliveryEntryWindowMs = 24 * 3600_000;

export function recordDelivery(ports: LifecyclePorts, actor: Actor, body: DeliveryBody): DeliveryRecord {
  const institution = requireInstitution(actor);
  const now = ports.clock.now();
  const late = now.getTime() - Date.parse(body.newborn.birthTime) > deliveryEntryWindowMs;
  if (late && !body.lateEntryReason?.trim()) {
    throw invalidRequest([
      {
        path: 'lateEntryReason',
        message: 'lateEntryReason is required when the delivery is recorded more than 24 hours after the birth',
      },
    ]);
  }
  const record: DeliveryRecord = {
    ...body,
    id: ports.secrets.newId('D'),
    institution,
    recordedBy: actor.username ?? 'unknown',
    recordedAt: now.toISOString(),
  };
  ports.store.transaction(() => {
    ports.store.insertDelivery(record);
    ports.audit.record(eventBy(actor, 'delivery.recorded', record.id, late ? { late: true } : {}), now);
  });
  return record;
}

export function requireInstitution(actor: Actor): string {
  if (!actor.institution) throw new DomainError('FORBIDDEN', 'This account acts for no institution');
  return actor.institution;
}

/** A delivery record of the caller's institution: unknown → 404, another institution's → 403. */
export function ownDelivery(ports: LifecyclePorts, actor: Actor, id: string): DeliveryRecord {
  const delivery = ports.store.findDelivery(id);
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
