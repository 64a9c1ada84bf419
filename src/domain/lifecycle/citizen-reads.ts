import { DomainError } from '../errors.ts';
import type { Actor } from './ports.ts';
import { type ReadPorts, readCertificate } from './reads.ts';

/** What the parents' page shows: the record as a citizen may see it, and the QR text others scan. */
export function readCitizenCertificate(ports: ReadPorts, actor: Actor) {
  if (actor.role !== 'citizen' || !actor.certificateNo) {
    throw new DomainError('FORBIDDEN', 'Only a claim token opens the parents’ page');
  }
  const view = readCertificate(ports, actor, actor.certificateNo, undefined);
  return { view, qrText: ports.register.find(actor.certificateNo)!.qrText };
}
