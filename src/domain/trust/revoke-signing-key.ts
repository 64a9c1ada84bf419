import { DomainError } from '../errors.ts';
import type { KeyRegister, SigningKeyRecord } from './ports.ts';

export interface RevokeRequest {
  register: KeyRegister;
  kid: string;
  /**
   * From when the key is no longer trusted: usually the suspected compromise time, so it may
   * lie in the past. E-licences signed before it keep verifying; at or after it they fail with
   * ISSUER_REVOKED.
   */
  revokedAt: Date;
  reason: string;
  now: Date;
}

/** Revokes a key from a given time. Irreversible; a revoked key's metadata stays for verification. */
export function revokeSigningKey(request: RevokeRequest): SigningKeyRecord {
  const { register, kid } = request;
  const record = register.get(kid);
  if (!record) throw new DomainError('KEY_NOT_FOUND', `No key ${kid}`);
  if (record.status === 'revoked') throw new DomainError('KEY_ALREADY_REVOKED', `Key ${kid} is already revoked`);
  // A revocation dated in the future would leave a "revoked" key signing until then.
  if (request.revokedAt.getTime() > request.now.getTime()) {
    throw new DomainError('INVALID_REQUEST', 'revokedAt must not be in the future', [
      { path: 'revokedAt', message: 'must not be in the future' },
    ]);
  }
  register.revoke(kid, request.revokedAt.toISOString(), request.reason);
  return register.get(kid)!;
}
