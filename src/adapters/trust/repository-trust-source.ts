import type { TrustedKey, TrustSource } from '../../domain/verification/ports.ts';
import { rootX5cOf } from '../keystore/provision-root-ca.ts';
import type { SigningKeyRepository } from '../keystore/signing-key-repository.ts';
import { trustedKeyOf } from './trusted-key-of.ts';

/**
 * The service's trust source. What it derives from the key register (the root, the chained
 * keys per kid) is cached until the register's change mark moves, so a rotation or revocation
 * — by this process or by the operator CLI — is still seen by the very next verification,
 * while an unchanged register costs one pragma read instead of a query and a chain check.
 */
export function createRepositoryTrustSource(repository: SigningKeyRepository, licenceTypeCode: string): TrustSource {
  let mark = '';
  let root = '';
  const keys = new Map<string, TrustedKey[]>();
  const fresh = () => {
    const current = repository.changeMark();
    if (current !== mark) {
      keys.clear();
      root = rootX5cOf(repository);
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
    return repository
      .findByKid(kid)
      .filter((record) => record.purpose === 'licence')
      .map((record) =>
        trustedKeyOf(
          record.x509Pem,
          rootX5c,
          { creditCode: record.institutionCreditCode!, name: record.institutionName! },
          record,
        ),
      )
      .filter((key) => key !== null);
  }
}
