import type { Institution } from '../certificate.ts';
import { DomainError } from '../errors.ts';
import type { SigningKey } from '../ports.ts';
import type { SigningKeyRecord } from './ports.ts';
import { type KeyProvisioning, wholeSecond } from './provision-root-ca.ts';

export interface ProvisionKeyRequest extends KeyProvisioning {
  now: Date;
  validityYears?: number;
}

const PROFILE_OF = {
  licence: 'elicence-signing',
  'trust-list': 'trust-list-signing',
  'status-list': 'status-list-signing',
} as const;

/** A new key certified by the active root, not yet in the register (see `registerNewKey`). */
export async function certifyNewKey(
  request: ProvisionKeyRequest,
  purpose: 'licence' | 'trust-list' | 'status-list',
  institution: Institution | null,
): Promise<SigningKeyRecord> {
  const { keyStore, register, x509, now } = request;
  const root = register.active('root');
  if (!root) throw new DomainError('NO_ROOT_CA', 'Create the root CA first');
  const pending = keyStore.generateKey();
  const subject = institution
    ? { commonName: institution.name, organization: institution.name, creditCode: institution.creditCode }
    : {
        commonName: purpose === 'status-list' ? '出生医学证明电子证照状态列表签名' : '出生医学证明电子证照信任列表签名',
        // The trust-list signer speaks for the organisation that runs the root.
        organization: x509.describe(root.x509Pem).organization ?? '卫生健康委员会',
      };
  const x509Pem = await x509.issueLeaf({
    profile: PROFILE_OF[purpose],
    subject,
    publicJwk: pending.publicJwk,
    notBefore: wholeSecond(now),
    validityYears: request.validityYears ?? 3,
    issuerX509Pem: root.x509Pem,
    sign: (tbs) => keyStore.sign(root.kid, tbs),
  });
  const { notBefore, notAfter } = x509.describe(x509Pem);
  return {
    kid: pending.kid,
    purpose,
    institutionCreditCode: institution?.creditCode ?? null,
    institutionName: institution?.name ?? null,
    publicJwk: pending.publicJwk,
    x509Pem,
    issuerKid: root.kid,
    notBefore,
    notAfter,
    status: 'active',
    createdAt: now.toISOString(),
    retiredAt: null,
    revokedAt: null,
    revocationReason: null,
  };
}

/**
 * Rotation: the previous key of the same purpose (and institution) retires as the new one is
 * registered. Call inside `register.transaction`, so there is never zero or two active keys;
 * the old key stays in the trust list and keeps verifying what it signed.
 */
export function registerNewKey(request: Pick<ProvisionKeyRequest, 'register' | 'now'>, record: SigningKeyRecord): void {
  const { register, now } = request;
  const previous = register.active(record.purpose, record.institutionCreditCode ?? undefined);
  if (previous) register.retire(previous.kid, now.toISOString());
  register.insert(record);
}

/** A new e-licence signing key for an institution: its first, or a rotation of the current one. */
export async function provisionInstitutionKey(
  request: ProvisionKeyRequest & { institution: Institution },
): Promise<SigningKey> {
  const record = await certifyNewKey(request, 'licence', request.institution);
  request.register.transaction(() => registerNewKey(request, record));
  return request.keyStore.signingKey(record.kid);
}

/** A new key for signing offline trust bundles (kept apart so the root key can stay offline). */
export async function provisionTrustListSigner(request: ProvisionKeyRequest): Promise<SigningKeyRecord> {
  const record = await certifyNewKey(request, 'trust-list', null);
  request.register.transaction(() => registerNewKey(request, record));
  return record;
}

/** A new key for signing status list tokens, certified by the root like the trust-list signer. */
export async function provisionStatusListSigner(request: ProvisionKeyRequest): Promise<SigningKeyRecord> {
  const record = await certifyNewKey(request, 'status-list', null);
  request.register.transaction(() => registerNewKey(request, record));
  return record;
}
