import { DomainError } from '../errors.ts';
import type { TrustedKey, TrustSource } from '../verification/ports.ts';
import { QR_KID_HINT_LENGTH, QR_KID_LENGTH } from '../verification/profile.ts';
import { kid8Of } from '../verification/qr-kid.ts';
import type { KeyRegister, X509Checker } from './ports.ts';
import { trustedKeyOf } from './trusted-key-of.ts';

/** The active root's certificate as base64 DER (the trust anchor verifiers pin). */
export function rootX5cOf(register: KeyRegister, x509: X509Checker): string {
  const root = register.active('root');
  if (!root) throw new DomainError('NO_ROOT_CA', 'This trust domain has no root CA');
  return x509.x5cOf(root.x509Pem);
}

/**
 * The service's trust source. What it derives from the key register (the root, the chained
 * keys per kid) is cached until the register's change mark moves, so a rotation or revocation
 * — by this process or by the operator CLI — is still seen by the very next verification,
 * while an unchanged register costs one pragma read instead of a query and a chain check.
 */
export function createRegisterTrustSource(
  register: KeyRegister,
  x509: X509Checker,
  licenceTypeCode: string,
): TrustSource {
  let mark = '';
  let root = '';
  const keys = new Map<string, TrustedKey[]>();
  const fresh = () => {
    const current = register.changeMark();
    if (current !== mark) {
      keys.clear();
      root = rootX5cOf(register, x509);
      mark = current;
    }
  };
  return {
    findKeys(kid) {
      fresh();
      const cached = keys.get(kid);
      if (cached) return cached;
      const found = lookup(kid, root);
      // Only what exists is cached: unknown kids from the public must not grow the map.
      if (found.length > 0) keys.set(kid, found);
      return found;
    },
    rootX509: () => {
      fresh();
      return root;
    },
    licenceTypeCode: () => licenceTypeCode,
  };

  function lookup(kid: string, rootX5c: string): TrustedKey[] {
    // A QR's 8-byte kid: its first 8 base64url characters are the register's 8-character index.
    const qr = kid.length === QR_KID_LENGTH;
    return register
      .findByKid(qr ? kid.slice(0, QR_KID_HINT_LENGTH) : kid)
      .filter((record) => record.purpose === 'licence' && (!qr || kid8Of(record.kid) === kid))
      .map((record) =>
        trustedKeyOf(
          x509,
          record.x509Pem,
          rootX5c,
          { creditCode: record.institutionCreditCode!, name: record.institutionName! },
          record,
        ),
      )
      .filter((key) => key !== null);
  }
}
