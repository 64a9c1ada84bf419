import { DomainError } from '../errors.ts';
import type { CertificateRegister } from '../lifecycle/ports.ts';
import type { KeyRegister, SigningKeyRecord } from './ports.ts';

export interface KeyRevocationConsequences {
  key: SigningKeyRecord;
  revokedAt: Date;
  /** Certificates the key signed at or after `revokedAt`: they will verify as ISSUER_REVOKED. */
  failing: string[];
}

/**
 * What revoking an institution's key from a time would do, before anyone confirms it: the
 * certificates it signed from then on fail verification with ISSUER_REVOKED; those signed before
 * stay valid (see judgeKeyAt). Nothing is changed or recorded.
 */
export function keyRevocationConsequences(
  ports: { register: Pick<KeyRegister, 'get'>; certificates: Pick<CertificateRegister, 'signedWithKeySince'> },
  kid: string,
  revokedAt: Date,
  now: Date,
): KeyRevocationConsequences {
  const key = ports.register.get(kid);
  if (key?.purpose !== 'licence' || key.institutionCreditCode === null) {
    throw new DomainError('NOT_FOUND', `No institution signing key ${kid}`);
  }
  if (key.status === 'revoked' || key.revokedAt !== null) {
    throw new DomainError('INVALID_STATE', `Key ${kid} is already revoked`, [
      { path: 'kid', message: 'is already revoked' },
    ]);
  }
  // The same rule as the revocation itself: a future time would leave the key signing until then.
  if (revokedAt.getTime() > now.getTime()) {
    throw new DomainError('INVALID_REQUEST', 'revokedAt must not be in the future', [
      { path: 'revokedAt', message: 'must not be in the future' },
    ]);
  }
  return { key, revokedAt, failing: ports.certificates.signedWithKeySince(key.institutionCreditCode, kid, revokedAt) };
}
