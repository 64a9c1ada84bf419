import { eventBy } from '../audit/audit-event.ts';
import { DomainError } from '../errors.ts';
import { revokedEvent } from '../events/lifecycle-events.ts';
import { requireCurrent } from './guards.ts';
import type { Admin, LifecyclePorts } from './ports.ts';

/**
 * Revokes a certificate found to be fraudulent (冒领, a false parentage, a trafficking case): the
 * health commission's decision, not the institution's, so an admin call. Verification then
 * answers REVOKED; the record and its history stay.
 */
export function revokeCertificate(
  ports: Pick<LifecyclePorts, 'transactions' | 'register' | 'claimCodes' | 'audit' | 'clock' | 'events'>,
  actor: Admin,
  certificateNo: string,
  reason: string,
) {
  const now = ports.clock.now();
  ports.transactions.run(() => {
    const record = ports.register.find(certificateNo);
    if (!record) throw new DomainError('NOT_FOUND', `No certificate ${certificateNo}`);
    requireCurrent(record);
    ports.register.setStatus(certificateNo, 'revoked', reason, null, now);
    ports.claimCodes.withdraw(certificateNo);
    ports.audit.record(eventBy(actor, 'certificate.revoked', certificateNo, { reason }), now);
    ports.events.append(revokedEvent(record, now));
  });
  return { certificateNo, status: 'revoked' as const, reason };
}
