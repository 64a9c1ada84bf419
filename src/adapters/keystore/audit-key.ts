import { verify as verifySignature } from 'node:crypto';
import type { AuditKey } from '../../domain/audit/audit-checkpoint.ts';
import type { KeyStore } from '../../domain/ports.ts';
import type { KeyRegister } from '../../domain/trust/ports.ts';
import { pemToX5c } from '../pki/pem.ts';
import type { SealedKeyStore } from './sealed-key-store.ts';

/**
 * The audit key over the key store: signs with the active `audit` key and checks a checkpoint
 * with the public key derived from the key store's own sealed private key (decrypted with the
 * passphrase), so a key planted in the database's register does not verify anything.
 */
export function createAuditKey(
  keyStore: KeyStore & Pick<SealedKeyStore, 'publicKeyOf'>,
  register: Pick<KeyRegister, 'active' | 'get'>,
): AuditKey {
  return {
    active() {
      const record = register.active('audit');
      return record ? { kid: record.kid, x5c: [pemToX5c(record.x509Pem)] } : null;
    },
    sign: (kid, data) => keyStore.sign(kid, data),
    verify(kid, data, signature) {
      if (register.get(kid)?.purpose !== 'audit') return false;
      try {
        const key = keyStore.publicKeyOf(kid);
        return verifySignature('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
      } catch {
        return false;
      }
    },
  };
}
