import type { Institution } from '../../domain/certificate.ts';
import type { SigningKey } from '../../domain/ports.ts';
import type { FileKeyStore } from './file-key-store.ts';
import { provisionRootCa } from './provision-root-ca.ts';
import { provisionInstitutionKey, provisionTrustListSigner } from './provision-signing-key.ts';
import type { SigningKeyRepository } from './signing-key-repository.ts';

/**
 * The demo trust domain of a first non-production start: a demo root CA (its name says 演示 so
 * no one mistakes it for a real one), the trust-list signer, and one signing key per institution.
 */
export async function provisionDemoTrustDomain(request: {
  keyStore: FileKeyStore;
  repository: SigningKeyRepository;
  institutions: readonly Institution[];
  now: Date;
}): Promise<SigningKey[]> {
  const { keyStore, repository, now } = request;
  await provisionRootCa({
    keyStore,
    repository,
    now,
    commonName: '出生医学证明电子证照演示根CA（仅供演示）',
    organization: '演示卫生健康委员会',
  });
  await provisionTrustListSigner({ keyStore, repository, now });
  const keys: SigningKey[] = [];
  for (const institution of request.institutions) {
    keys.push(await provisionInstitutionKey({ keyStore, repository, now, institution }));
  }
  return keys;
}
