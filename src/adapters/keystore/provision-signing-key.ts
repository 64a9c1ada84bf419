import type { Institution } from '../../domain/certificate.ts';
import { DomainError } from '../../domain/errors.ts';
import type { SigningKey } from '../../domain/ports.ts';
import { issueLeafX509 } from '../pki/issue-leaf-x509.ts';
import { x509 } from '../pki/x509-signer.ts';
import type { FileKeyStore } from './file-key-store.ts';
import { validityOf, wholeSecond } from './provision-root-ca.ts';
import type { SigningKeyRecord, SigningKeyRepository } from './signing-key-repository.ts';

export interface ProvisionKeyRequest {
  keyStore: FileKeyStore;
  repository: SigningKeyRepository;
  now: Date;
  validityYears?: number;
}

async function certifyNewKey(
  request: ProvisionKeyRequest,
  purpose: 'licence' | 'trust-list',
  institution: Institution | null,
): Promise<SigningKeyRecord> {
  const { keyStore, repository, now } = request;
  const root = repository.active('root');
  if (!root) throw new DomainError('NO_ROOT_CA', 'Create the root CA first');
  const pending = keyStore.generateKey();
  const subject = institution
    ? { commonName: institution.name, organization: institution.name, creditCode: institution.creditCode }
    : { commonName: '出生医学证明电子证照信任列表签名', organization: rootOrganization(root) };
  const x509Pem = await issueLeafX509({
    profile: purpose === 'licence' ? 'elicence-signing' : 'trust-list-signing',
    subject,
    publicJwk: pending.publicJwk,
    notBefore: wholeSecond(now),
    validityYears: request.validityYears ?? 3,
    issuerX509Pem: root.x509Pem,
    sign: keyStore.x509Signer(root.kid),
  });
  const record: SigningKeyRecord = {
    kid: pending.kid,
    purpose,
    institutionCreditCode: institution?.creditCode ?? null,
    institutionName: institution?.name ?? null,
    publicJwk: pending.publicJwk,
    x509Pem,
    issuerKid: root.kid,
    ...validityOf(x509Pem),
    status: 'active',
    createdAt: now.toISOString(),
    retiredAt: null,
    revokedAt: null,
    revocationReason: null,
  };
  // Rotation: the previous key retires in the same transaction, so there is never zero or two
  // active keys; it stays in the trust list and keeps verifying what it signed.
  repository.transaction(() => {
    const previous = repository.active(purpose, institution?.creditCode);
    if (previous) repository.retire(previous.kid, now.toISOString());
    repository.insert(record);
  });
  return record;
}

/** The trust-list signer speaks for the organisation that runs the root. */
function rootOrganization(root: SigningKeyRecord): string {
  return new x509.X509Certificate(root.x509Pem).subjectName.getField('O')[0] ?? '卫生健康委员会';
}

/** A new e-licence signing key for an institution: its first, or a rotation of the current one. */
export async function provisionInstitutionKey(
  request: ProvisionKeyRequest & { institution: Institution },
): Promise<SigningKey> {
  const record = await certifyNewKey(request, 'licence', request.institution);
  return request.keyStore.signingKey(record.kid);
}

/** A new key for signing offline trust bundles (kept apart so the root key can stay offline). */
export async function provisionTrustListSigner(request: ProvisionKeyRequest): Promise<SigningKeyRecord> {
  return certifyNewKey(request, 'trust-list', null);
}
