import { eventBy } from '../audit/audit-event.ts';
import { DomainError } from '../errors.ts';
import { voidedEvent } from '../events/lifecycle-events.ts';
import type { VoidBody } from '../rules/bodies.ts';
import { ownCertificate, requireCurrent } from './guards.ts';
import type { Issuer, LifecyclePorts } from './ports.ts';

export interface VoidResult {
  certificateNo: string;
  status: 'void';
  reason: VoidBody['reason'];
  /** `certificate` when an issued certificate was voided, `blank` for an unused number of the stock. */
  voided: 'certificate' | 'blank';
}

export type VoidPorts = Pick<
  LifecyclePorts,
  'transactions' | 'register' | 'claimCodes' | 'households' | 'stock' | 'audit' | 'clock' | 'events'
>;

/**
 * 作废: an issued certificate before hand-over, or an unused number of the institution's stock
 * (a spoilt or lost blank). Either way the number is never used again.
 */
export function voidCertificate(ports: VoidPorts, actor: Issuer, certificateNo: string, body: VoidBody): VoidResult {
  const now = ports.clock.now();
  const voided = ports.transactions.run((): VoidResult['voided'] => {
    let kind: VoidResult['voided'] = 'certificate';
    const record = ports.register.find(certificateNo);
    if (record) {
      requireCurrent(ownCertificate(ports, actor, certificateNo));
      // A void is for a certificate not yet handed over; one the police registered was used.
      if (ports.households.find(record.lineage)) {
        throw new DomainError('INVALID_STATE', `Certificate ${certificateNo} was used for household registration`, [
          {
            path: 'certificateNo',
            message: 'already used for household registration (落户); replace or reissue it instead',
          },
        ]);
      }
      ports.register.setStatus(certificateNo, 'void', body.reason, body.note ?? null, now);
      ports.claimCodes.withdraw(certificateNo);
      ports.events.append(voidedEvent(record, body.reason, now));
    } else {
      const owner = ports.stock.ownerOf(certificateNo);
      if (owner === null) throw new DomainError('NOT_FOUND', `No certificate or stock number ${certificateNo}`);
      if (owner !== actor.institution) throw new DomainError('FORBIDDEN', 'The number belongs to another institution');
      if (ports.stock.isUsed(certificateNo)) {
        throw new DomainError('INVALID_STATE', `Number ${certificateNo} is already voided or reserved`);
      }
      ports.stock.voidNumber(certificateNo, owner, body.reason, body.note ?? null, actor.username, now);
      kind = 'blank';
    }
    ports.audit.record(eventBy(actor, 'certificate.voided', certificateNo, { reason: body.reason, voided: kind }), now);
    return kind;
  });
  return { certificateNo, status: 'void', reason: body.reason, voided };
}
