import type { CertificateRegister, RegisterEntry } from './ports.ts';
import type { VerificationReason, VerificationStatus } from './result.ts';

export interface StatusOutcome {
  result: 'pass' | 'fail';
  status: VerificationStatus;
  reason?: VerificationReason;
  supersededBy?: string;
  householdRegistered: boolean;
  entry: RegisterEntry | null;
}

const REASON = { superseded: 'SUPERSEDED', void: 'VOID', revoked: 'REVOKED' } as const;

/** The register's word on the certificate number: only `valid` passes. */
export async function checkStatus(register: CertificateRegister, certificateNo: string): Promise<StatusOutcome> {
  const entry = await register.lookup(certificateNo);
  if (!entry) return { result: 'fail', status: 'unknown', reason: 'NOT_FOUND', householdRegistered: false, entry };
  const householdRegistered = entry.householdRegistered === true;
  if (entry.status === 'valid') return { result: 'pass', status: 'valid', householdRegistered, entry };
  const outcome: StatusOutcome = {
    result: 'fail',
    status: entry.status,
    reason: REASON[entry.status],
    householdRegistered,
    entry,
  };
  if (entry.status === 'superseded' && entry.supersededBy) outcome.supersededBy = entry.supersededBy;
  return outcome;
}
