import { type Acting, eventBy } from '../audit/audit-event.ts';
import type { LifecyclePorts, Reservation } from './ports.ts';

type AbandonPorts = Pick<LifecyclePorts, 'transactions' | 'register' | 'stock' | 'audit' | 'clock'>;

/**
 * A number an amendment reserved whose certificate never landed (a lost race, a failed
 * signature, a process stopped mid-way) is voided as OTHER with the cause, so the annual usage
 * report accounts for it and it is never handed out again. Idempotent; one unit of work.
 * (A first issue's reservation is not abandoned: it stays with the application for the retry.)
 */
export function voidAbandonedNumber(
  ports: AbandonPorts,
  actor: { username: string; role: Acting['role'] },
  reservation: Pick<Reservation, 'certificateNo' | 'institution'>,
  cause: string,
): void {
  const { certificateNo, institution } = reservation;
  ports.transactions.run(() => {
    // Whoever ends the reservation voids the number: once, though a failing amendment and
    // another process's sweep may both try.
    if (ports.stock.release(certificateNo) && !ports.register.find(certificateNo)) {
      const now = ports.clock.now();
      ports.stock.voidNumber(certificateNo, institution, 'OTHER', cause, actor.username, now);
      ports.audit.record(
        eventBy({ ...actor, institution }, 'certificate.voided', certificateNo, {
          reason: 'OTHER',
          voided: 'blank',
          cause,
        }),
        now,
      );
    }
  });
}

/**
 * Numbers reserved by amendments whose process is gone (stopped or killed) before it finished are
 * voided: at start, before the service listens, and every minute after (another node may be the
 * one that died). Returns the numbers voided.
 */
export function voidInterruptedReservations(ports: AbandonPorts): string[] {
  const system = { username: 'system', role: null };
  return ports.stock.abandoned().map((reservation) => {
    const purpose = reservation.holder.kind === 'amendment' ? reservation.holder.purpose : 'issue';
    voidAbandonedNumber(ports, system, reservation, `${purpose} interrupted`);
    return reservation.certificateNo;
  });
}
