import { eventBy } from '../audit/audit-event.ts';
import { invalidRequest } from '../errors.ts';
import type { DeliveryBody } from '../rules/bodies.ts';
import type { LifecyclePorts, Midwife } from './ports.ts';
import type { DeliveryRecord } from './records.ts';

/** The midwife records the delivery within this time of the birth; later entries need a reason. */
export const deliveryEntryWindowMs = 24 * 3600_000;

export function recordDelivery(
  ports: Pick<LifecyclePorts, 'transactions' | 'applications' | 'secrets' | 'audit' | 'clock'>,
  actor: Midwife,
  body: DeliveryBody,
): DeliveryRecord {
  const { institution } = actor;
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
    recordedBy: actor.username,
    recordedAt: now.toISOString(),
  };
  ports.transactions.run(() => {
    ports.applications.insertDelivery(record);
    ports.audit.record(eventBy(actor, 'delivery.recorded', record.id, late ? { late: true } : {}), now);
  });
  return record;
}
