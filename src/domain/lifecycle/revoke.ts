import { eventBy } from '../audit/audit-event.ts';
import { DomainError } from '../errors.ts';
import { requireCurrent } from './amend.ts';
import type { Actor, LifecyclePorts } from './ports.ts';

/**
 * Revokes a certificate found to be fraudulent (冒领, a false parentage, a trafficking case): the
 * health commission's decision, not the institution's, so an admin call. Verification then
 * answers REVOKED; the record and its history stay.
 */
export function revokeCertificate(ports: LifecyclePorts, actor: Actor, certificateNo: string, reason: string) {
  const now = ports.clock.now();
  ports.store.transaction(() => {
    const record = ports.store.findCertificate(certificateNo);
    if (!record) throw new DomainError('NOT_FOUND', `No certificate ${certificateNo}`);
    requireCurrent(record);
    ports.store.setStatus(certificateNo, 'revoked', reason, null, now);
    ports.audit.record(eventBy({ ...actor, institution: null }, 'certificate.revoked', certificateNo, { reason }), now);
  });
  return { certificateNo, status: 'revoked' as const, reason };
}
