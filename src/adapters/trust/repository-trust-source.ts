import type { TrustSource } from '../../domain/verification/ports.ts';
import { rootX5cOf } from '../keystore/provision-root-ca.ts';
import type { SigningKeyRepository } from '../keystore/signing-key-repository.ts';
import { trustedKeyOf } from './trusted-key-of.ts';

/**
 * The service's trust source: reads the key register on every lookup (an indexed point read),
 * so a revocation or rotation is seen by the very next verification. Chain checks are cached
 * by certificate bytes inside checkX509Chain.
 */
export function createRepositoryTrustSource(repository: SigningKeyRepository, licenceTypeCode: string): TrustSource {
  return {
    findKeys(kid) {
      const rootX5c = rootX5cOf(repository);
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
    },
    rootX509: () => rootX5cOf(repository),
    licenceTypeCode: () => licenceTypeCode,
  };
}
