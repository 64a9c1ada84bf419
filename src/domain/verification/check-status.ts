import { type CertificateRegister, type RegisterEntry, STATUS_UNAVAILABLE } from './ports.ts';
import type { PresentedCredential } from './presented-credential.ts';
import type { VerificationReason, VerificationStatus } from './result.ts';

export interface StatusOutcome {
  result: 'pass' | 'fail';
  status: VerificationStatus;
  reason?: VerificationReason;
  supersededBy?: string;
  householdRegistered: boolean;
  entry: RegisterEntry | null;
  /** Set when the status was read from a status list: the time that list speaks for. */
  asOf?: string;
}

const REASON = { superseded: 'SUPERSEDED', void: 'VOID', revoked: 'REVOKED' } as const;

/**
 * The status of the credential's certificate: online the register's word on its number, offline
 * the entry of the status list it names. Only `valid` passes.
 */
export async function checkStatus(
  register: CertificateRegister,
  credential: PresentedCredential,
): Promise<StatusOutcome> {
  const entry = await register.lookup(credential.certificateNo, credential.status);
  if (entry === STATUS_UNAVAILABLE) {
    return { result: 'fail', status: 'unknown', reason: 'STATUS_UNAVAILABLE', householdRegistered: false, entry: null };
  }
  if (!entry) return { result: 'fail', status: 'unknown', reason: 'NOT_FOUND', householdRegistered: false, entry };
  const householdRegistered = entry.householdRegistered === true;
  const asOf = entry.asOf ? { asOf: entry.asOf } : {};
  if (entry.status === 'valid') return { result: 'pass', status: 'valid', householdRegistered, entry, ...asOf };
  const outcome: StatusOutcome = {
    result: 'fail',
    status: entry.status,
    reason: REASON[entry.status],
    householdRegistered,
    entry,
    ...asOf,
  };
  if (entry.status === 'superseded' && entry.supersededBy) outcome.supersededBy = entry.supersededBy;
  return outcome;
}
