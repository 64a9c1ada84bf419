import type { Institution } from '../certificate.ts';
import type { SigningKey } from '../ports.ts';
import type { KeyProvisioning } from './provision-root-ca.ts';
import { provisionRootCa } from './provision-root-ca.ts';
import {
  provisionAuditSigner,
  provisionInstitutionKey,
  provisionStatusListSigner,
  provisionTimestampAuthority,
  provisionTrustListSigner,
} from './provision-signing-key.ts';

/**
 * The demo trust domain of a first non-production start: a demo root CA (its name says 演示 so
 * no one mistakes it for a real one), the trust-list, audit-checkpoint and status-list signers,
 * the timestamp authority, and one signing key per institution.
 */
export async function provisionDemoTrustDomain(
  request: KeyProvisioning & { institutions: readonly Institution[]; now: Date },
): Promise<SigningKey[]> {
  const { keyStore, register, x509, now, publicBaseUrl } = request;
  const ports = { keyStore, register, x509, now, ...(publicBaseUrl ? { publicBaseUrl } : {}) };
  await provisionRootCa({
    ...ports,
    commonName: '出生医学证明电子证照演示根CA（仅供演示）',
    organization: '演示卫生健康委员会',
  });
  await provisionTrustListSigner(ports);
  await provisionAuditSigner(ports);
  await provisionStatusListSigner(ports);
  await provisionTimestampAuthority(ports);
  const keys: SigningKey[] = [];
  for (const institution of request.institutions) {
    keys.push(await provisionInstitutionKey({ ...ports, institution }));
  }
  return keys;
}
