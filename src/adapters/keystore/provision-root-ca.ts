import { DomainError } from '../../domain/errors.ts';
import { createRootX509 } from '../pki/create-root-x509.ts';
import { pemToX5c } from '../pki/pem.ts';
import { x509 } from '../pki/x509-signer.ts';
import type { FileKeyStore } from './file-key-store.ts';
import type { SigningKeyRecord, SigningKeyRepository } from './signing-key-repository.ts';

export interface ProvisionRootCaRequest {
  keyStore: FileKeyStore;
  repository: SigningKeyRepository;
  /** e.g. 出生医学证明电子证照根CA (the demo: 出生医学证明电子证照演示根CA). */
  commonName: string;
  /** e.g. 国家卫生健康委员会. */
  organization: string;
  now: Date;
  validityYears?: number;
}

/** Validity dates as stored: whatever the certificate says (second precision). */
export function validityOf(pem: string): { notBefore: string; notAfter: string } {
  const certificate = new x509.X509Certificate(pem);
  return { notBefore: certificate.notBefore.toISOString(), notAfter: certificate.notAfter.toISOString() };
}

/** Certificate times have whole seconds; starting at the current second keeps "now" inside. */
export const wholeSecond = (date: Date): Date => new Date(Math.floor(date.getTime() / 1000) * 1000);

/** Creates the health-commission root CA (key, self-signed certificate, metadata). One per domain. */
export async function provisionRootCa(request: ProvisionRootCaRequest): Promise<SigningKeyRecord> {
  const { keyStore, repository } = request;
  if (repository.active('root')) throw new DomainError('ROOT_CA_EXISTS', 'This trust domain already has a root CA');
  const pending = keyStore.generateKey();
  const x509Pem = await createRootX509({
    commonName: request.commonName,
    organization: request.organization,
    publicJwk: pending.publicJwk,
    notBefore: wholeSecond(request.now),
    validityYears: request.validityYears ?? 25,
    sign: pending.sign,
  });
  const record: SigningKeyRecord = {
    kid: pending.kid,
    purpose: 'root',
    institutionCreditCode: null,
    institutionName: null,
    publicJwk: pending.publicJwk,
    x509Pem,
    issuerKid: null,
    ...validityOf(x509Pem),
    status: 'active',
    createdAt: request.now.toISOString(),
    retiredAt: null,
    revokedAt: null,
    revocationReason: null,
  };
  repository.insert(record);
  return record;
}

/** The active root's certificate as base64 DER (the trust anchor verifiers pin). */
export function rootX5cOf(repository: SigningKeyRepository): string {
  const root = repository.active('root');
  if (!root) throw new DomainError('NO_ROOT_CA', 'This trust domain has no root CA');
  return pemToX5c(root.x509Pem);
}
