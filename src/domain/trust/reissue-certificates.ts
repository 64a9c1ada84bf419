import { eventBy } from '../audit/audit-event.ts';
import { DomainError } from '../errors.ts';
import type { KeyAdministration, KeyAdministrator } from './key-administration.ts';
import type { KeyPurpose, SigningKeyRecord } from './ports.ts';
import { pkiUrlsOf } from './provision-root-ca.ts';
import { COMMON_NAME, PROFILE } from './provision-signing-key.ts';

export interface ReissuedCertificate {
  kid: string;
  purpose: KeyPurpose;
}

/**
 * Re-issues, under the current profile, the certificate of every unrevoked key the active root
 * certified whose certificate names the old private `2.25` arc or lacks the CRL distribution
 * point (when a public address is configured). Same key, same kid, same validity: what each key
 * signed keeps verifying, and relying parties fetch a certificate their parsers read. The root
 * key must be in this key store. Each re-issue and its audit event land together.
 */
export async function reissueCertificates(
  ports: KeyAdministration,
  actor: KeyAdministrator,
): Promise<ReissuedCertificate[]> {
  const { register, x509, keyStore } = ports;
  const root = register.active('root');
  if (!root) throw new DomainError('NO_ROOT_CA', 'Create the root CA first');
  const publication = ports.publicBaseUrl ? pkiUrlsOf(ports.publicBaseUrl) : undefined;
  const stale = (key: SigningKeyRecord) => {
    const described = x509.describe(key.x509Pem);
    return described.privateArc === true || (publication !== undefined && described.crlUrl !== publication.crlUrl);
  };
  const done: ReissuedCertificate[] = [];
  for (const key of register.list()) {
    if (key.purpose === 'root' || key.status === 'revoked' || key.issuerKid !== root.kid || !stale(key)) continue;
    const described = x509.describe(key.x509Pem);
    const subject =
      key.purpose === 'licence'
        ? {
            commonName: key.institutionName!,
            organization: key.institutionName!,
            creditCode: key.institutionCreditCode!,
          }
        : {
            commonName: described.commonName ?? COMMON_NAME[key.purpose],
            organization: described.organization ?? x509.describe(root.x509Pem).organization ?? '卫生健康委员会',
          };
    const x509Pem = await x509.issueLeaf({
      profile: PROFILE[key.purpose],
      subject,
      publicJwk: key.publicJwk,
      notBefore: new Date(key.notBefore),
      notAfter: new Date(key.notAfter),
      issuerX509Pem: root.x509Pem,
      sign: (tbs) => keyStore.sign(root.kid, tbs),
      ...(publication ? { publication } : {}),
    });
    register.transaction(() => {
      register.replaceCertificate(key.kid, x509Pem);
      ports.audit.record(
        eventBy(actor, 'key.certificate-reissued', key.kid, { purpose: key.purpose }),
        ports.clock.now(),
      );
    });
    done.push({ kid: key.kid, purpose: key.purpose });
  }
  return done;
}
