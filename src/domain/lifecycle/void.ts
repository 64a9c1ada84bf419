import { eventBy } from '../audit/audit-event.ts';
import { DomainError } from '../errors.ts';
import type { VoidBody } from '../rules/bodies.ts';
import { ownCertificate, requireCurrent } from './amend.ts';
import type { Actor, LifecyclePorts } from './ports.ts';

export interface VoidResult {
  certificateNo: string;
  status: 'void';
  reason: VoidBody['reason'];
  /** `certificate` when an issued certificate was voided, `blank` for an unused number of the stock. */
  voided: 'certificate' | 'blank';
}

/**
 * 作废: an issued certificate before hand-over, or an unused number of the institution's stock
 * (a spoilt or lost blank). Either way the number is never used again.
 */
export function voidCertificate(
  ports: LifecyclePorts,
  actor: Actor,
  certificateNo: string,
  body: VoidBody,
): VoidResult {
  const now = ports.clock.now();
  const by = actor.username ?? 'unknown';
  const voided = ports.store.transaction((): VoidResult['voided'] => {
    let kind: VoidResult['voided'] = 'certificate';
    const record = ports.store.findCertificate(certificateNo);
    if (record) {
      requireCurrent(ownCertificate(ports, actor, certificateNo));
      // A void is for a certificate not yet handed over; one the police registered was used.
      if (ports.store.findRegistration(record.lineage)) {
        throw new DomainError('INVALID_STATE', `Certificate ${certificateNo} was used for household registration`, [
          {
            path: 'certificateNo',
            message: 'already used for household registration (落户); replace or reissue it instead',
          },
        ]);
      }
      ports.store.setStatus(certificateNo, 'void', body.reason, body.note ?? null, now);
    } else {
      const owner = ports.store.numberBelongsTo(certificateNo);
      if (owner === null) throw new DomainError('NOT_FOUND', `No certificate or stock number ${certificateNo}`);
      if (owner !== actor.institution) throw new DomainError('FORBIDDEN', 'The number belongs to another institution');
      if (ports.store.isNumberUsed(certificateNo)) {
        throw new DomainError('INVALID_STATE', `Number ${certificateNo} is already voided or reserved`);
      }
      ports.store.voidBlankNumber(certificateNo, owner, body.reason, body.note ?? null, by, now);
      kind = 'blank';
    }
    ports.audit.record(eventBy(actor, 'certificate.voided', certificateNo, { reason: body.reason, voided: kind }), now);
    return kind;
  });
  return { certificateNo, status: 'void', reason: body.reason, voided };
}

/**
 * A number taken from stock whose certificate never landed (a lost race, a failed signature, a
 * process stopped mid-way) is voided as OTHER with the cause, so the annual usage report
 * accounts for it and it is never handed out again. Idempotent; runs in one transaction.
 */
export function voidAbandonedNumber(
  ports: Pick<LifecyclePorts, 'store' | 'audit' | 'clock'>,
  actor: { username: string | null; role: string | null },
  certificateNo: string,
  institution: string,
  cause: string,
): void {
  ports.store.transaction(() => {
    if (!ports.store.findCertificate(certificateNo)) {
      const now = ports.clock.now();
      ports.store.voidBlankNumber(certificateNo, institution, 'OTHER', cause, actor.username ?? 'system', now);
      ports.audit.record(
        eventBy({ ...actor, institution }, 'certificate.voided', certificateNo, {
          reason: 'OTHER',
          voided: 'blank',
          cause,
        }),
        now,
      );
    }
    ports.store.releaseReservation(certificateNo);
  });
}
