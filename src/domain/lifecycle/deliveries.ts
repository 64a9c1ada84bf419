import { eventBy } from '../audit/audit-event.ts';
import { INSTITUTIONAL_CATEGORIES } from '../codes/birth-place-category.ts';
import { invalidRequest } from '../errors.ts';
import type { DeliveryBody } from '../rules/bodies.ts';
import type { LifecyclePorts, Midwife } from './ports.ts';
import type { DeliveryRecord } from './records.ts';

/** The midwife records the delivery within this time of the birth; later entries need a reason. */
export const deliveryEntryWindowMs = 24 * 3600_000;

/**
 * A birth in a hospital or MCH institution that the midwife's institution delivered happened
 * where that institution is: the birth place is its county-level division. A birth elsewhere is
 * not this institution's delivery; the issuer records it as an out-of-institution application.
 */
function checkBirthPlaceDivision(
  ports: Pick<LifecyclePorts, 'institutions'>,
  institution: string,
  body: DeliveryBody,
): void {
  if (!INSTITUTIONAL_CATEGORIES.includes(body.birthPlaceCategory)) return;
  const own = ports.institutions.find(institution);
  if (own && own.divisionCode !== body.birthPlace.divisionCode) {
    throw invalidRequest([
      {
        path: 'birthPlace.divisionCode',
        message: `birthPlace.divisionCode must be ${own.divisionCode}, the division of the midwife's institution, for a birth in a hospital or MCH institution; a birth elsewhere is recorded by the issuer as an application without a delivery record`,
      },
    ]);
  }
}

export function recordDelivery(
  ports: Pick<LifecyclePorts, 'transactions' | 'applications' | 'secrets' | 'audit' | 'clock' | 'institutions'>,
  actor: Midwife,
  body: DeliveryBody,
): DeliveryRecord {
  const { institution } = actor;
  checkBirthPlaceDivision(ports, institution, body);
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

/** The midwife's institution's latest delivery records (the console's list), newest first. */
export function recentDeliveries(
  ports: Pick<LifecyclePorts, 'applications'>,
  actor: Midwife,
  limit = 20,
): DeliveryRecord[] {
  return ports.applications.recentDeliveries(actor.institution, Math.max(1, Math.min(limit, 100)));
}

/**
 * The issuer's counter: the institution's latest delivery records whose birth has no certificate
 * yet, newest first, for a walk-in application with a delivery record.
 */
export function deliveriesAwaitingCertificate(
  ports: Pick<LifecyclePorts, 'applications'>,
  actor: Pick<Midwife, 'institution'>,
  limit = 50,
): DeliveryRecord[] {
  return ports.applications
    .recentDeliveries(actor.institution, Math.max(1, Math.min(limit, 100)))
    .filter((d) => !ports.applications.deliveryIssued(d.id));
}
