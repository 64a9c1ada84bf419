import { DomainError } from '../errors.ts';
import type { ManagedKeyStore } from '../ports.ts';
import type { KeyRegister, SigningKeyRecord, X509Issuer } from './ports.ts';

/** What provisioning a key needs: the key store makes it, the issuer certifies it, the register keeps it. */
export interface KeyProvisioning {
  keyStore: ManagedKeyStore;
  register: KeyRegister;
  x509: X509Issuer;
  /**
   * The service's public base URL (PUBLIC_BASE_URL): certificates it issues point there for the
   * root's CRL and certificate. Absent, they carry no such pointers.
   */
  publicBaseUrl?: string;
}

/** Where the root's CRL and certificate are published under a base URL. */
export const pkiUrlsOf = (publicBaseUrl: string) => ({
  crlUrl: `${publicBaseUrl.replace(/\/+$/, '')}/api/v1/pki/root.crl`,
  issuerCertificateUrl: `${publicBaseUrl.replace(/\/+$/, '')}/api/v1/pki/root.crt`,
});

export interface ProvisionRootCaRequest extends KeyProvisioning {
  /** e.g. 出生医学证明电子证照根CA (the demo: 出生医学证明电子证照演示根CA). */
  commonName: string;
  /** e.g. 国家卫生健康委员会. */
  organization: string;
  now: Date;
  validityYears?: number;
}

/** Certificate times have whole seconds; starting at the current second keeps "now" inside. */
export const wholeSecond = (date: Date): Date => new Date(Math.floor(date.getTime() / 1000) * 1000);

/** The health-commission root CA (key, self-signed certificate, record), not yet in the register. */
export async function certifyRootCa(request: ProvisionRootCaRequest): Promise<SigningKeyRecord> {
  const { keyStore, register, x509 } = request;
  if (register.active('root')) throw new DomainError('ROOT_CA_EXISTS', 'This trust domain already has a root CA');
  const pending = keyStore.generateKey();
  const x509Pem = await x509.createRoot({
    commonName: request.commonName,
    organization: request.organization,
    publicJwk: pending.publicJwk,
    notBefore: wholeSecond(request.now),
    validityYears: request.validityYears ?? 25,
    sign: (tbs) => pending.sign(tbs),
  });
  const { notBefore, notAfter } = x509.describe(x509Pem);
  return {
    kid: pending.kid,
    purpose: 'root',
    institutionCreditCode: null,
    institutionName: null,
    publicJwk: pending.publicJwk,
    x509Pem,
    issuerKid: null,
    notBefore,
    notAfter,
    status: 'active',
    createdAt: request.now.toISOString(),
    retiredAt: null,
    revokedAt: null,
    revocationReason: null,
  };
}

/** Creates the health-commission root CA (key, self-signed certificate, metadata). One per domain. */
export async function provisionRootCa(request: ProvisionRootCaRequest): Promise<SigningKeyRecord> {
  const record = await certifyRootCa(request);
  request.register.insert(record);
  return record;
}
