import type { Institution } from '../certificate.ts';
import { DomainError } from '../errors.ts';
import type { SigningKey } from '../ports.ts';
import type { SigningKeyRecord } from './ports.ts';
import { type KeyProvisioning, pkiUrlsOf, wholeSecond } from './provision-root-ca.ts';

export interface ProvisionKeyRequest extends KeyProvisioning {
  now: Date;
  validityYears?: number;
}

/** The subject of each service key certified by the root (institution keys carry the institution's name). */
export const COMMON_NAME = {
  licence: '出生医学证明电子证照签名',
  'trust-list': '出生医学证明电子证照信任列表签名',
  audit: '出生医学证明电子证照审计日志签名',
  'status-list': '出生医学证明电子证照状态列表签名',
  tsa: '出生医学证明电子证照时间戳服务',
} as const;

export const PROFILE = {
  licence: 'elicence-signing',
  'trust-list': 'trust-list-signing',
  audit: 'audit-signing',
  'status-list': 'status-list-signing',
  tsa: 'timestamping',
} as const;

/**
 * Years a certificate of each purpose is valid by default. The timestamp authority's outlives
 * the institutions' (3): its tokens prove when a PDF was signed long after the signer's
 * certificate expired; the re-timestamp command renews them before it runs out.
 */
const DEFAULT_VALIDITY_YEARS = { licence: 3, 'trust-list': 3, audit: 3, 'status-list': 3, tsa: 12 } as const;

export type CertifiedPurpose = keyof typeof PROFILE;

/** A new key certified by the active root, not yet in the register (see `registerNewKey`). */
export async function certifyNewKey(
  request: ProvisionKeyRequest,
  purpose: CertifiedPurpose,
  institution: Institution | null,
): Promise<SigningKeyRecord> {
  const { keyStore, register, x509, now } = request;
  const root = register.active('root');
  if (!root) throw new DomainError('NO_ROOT_CA', 'Create the root CA first');
  const pending = keyStore.generateKey();
  const subject = institution
    ? { commonName: institution.name, organization: institution.name, creditCode: institution.creditCode }
    : {
        commonName: COMMON_NAME[purpose],
        // The trust-list signer speaks for the organisation that runs the root.
        organization: x509.describe(root.x509Pem).organization ?? '卫生健康委员会',
      };
  const x509Pem = await x509.issueLeaf({
    profile: PROFILE[purpose],
    subject,
    publicJwk: pending.publicJwk,
    notBefore: wholeSecond(now),
    validityYears: request.validityYears ?? DEFAULT_VALIDITY_YEARS[purpose],
    issuerX509Pem: root.x509Pem,
    sign: (tbs) => keyStore.sign(root.kid, tbs),
    ...(request.publicBaseUrl ? { publication: pkiUrlsOf(request.publicBaseUrl) } : {}),
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

/**
 * The service's key for signing audit-log checkpoints (see domain/audit): kept in the key store
 * like every private key, certified by the root so an auditor can check checkpoints elsewhere.
 */
export async function provisionAuditSigner(request: ProvisionKeyRequest): Promise<SigningKeyRecord> {
  const record = await certifyNewKey(request, 'audit', null);
  request.register.transaction(() => registerNewKey(request, record));
  return record;
}

/**
 * A data directory made before audit checkpoints existed has no audit key: one is made at start
 * when the root's private key is here to certify it (`rootKeyHere`). With the root kept offline,
 * nothing is made (null) until the operator provisions one.
 */
export async function ensureAuditSigner(
  request: ProvisionKeyRequest & { rootKeyHere: (kid: string) => boolean },
): Promise<SigningKeyRecord | null> {
  const existing = request.register.active('audit');
  if (existing) return existing;
  const root = request.register.active('root');
  if (!root || !request.rootKeyHere(root.kid)) return null;
  return provisionAuditSigner(request);
}

/** The RFC 3161 timestamp authority's key: the service's own, certified by the root. */
export async function provisionTimestampAuthority(request: ProvisionKeyRequest): Promise<SigningKeyRecord> {
  const record = await certifyNewKey(request, 'tsa', null);
  request.register.transaction(() => registerNewKey(request, record));
  return record;
}

/** Like `ensureAuditSigner`: a data directory made before the timestamp authority gets one at start. */
export async function ensureTimestampAuthority(
  request: ProvisionKeyRequest & { rootKeyHere: (kid: string) => boolean },
): Promise<SigningKeyRecord | null> {
  const existing = request.register.active('tsa');
  if (existing) return existing;
  const root = request.register.active('root');
  if (!root || !request.rootKeyHere(root.kid)) return null;
  return provisionTimestampAuthority(request);
}
/** A new key for signing status list tokens, certified by the root like the trust-list signer. */
export async function provisionStatusListSigner(request: ProvisionKeyRequest): Promise<SigningKeyRecord> {
  const record = await certifyNewKey(request, 'status-list', null);
  request.register.transaction(() => registerNewKey(request, record));
  return record;
}
