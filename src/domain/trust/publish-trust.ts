import type { CertificateStatus } from '../certificate.ts';
import { DomainError } from '../errors.ts';
import type { Clock, KeyStore } from '../ports.ts';
import { buildJwks, type TrustJwk } from './build-jwks.ts';
import { buildOfflineBundle, type FlattenedJws, type RegisterSnapshotEntry } from './build-offline-bundle.ts';
import { buildTrustList, type TrustList } from './build-trust-list.ts';
import type { KeyRegister, X509Checker } from './ports.ts';

/** Every certificate number with its status, as the register holds it now. */
export interface CertificateStatusSnapshot {
  snapshot(): readonly {
    certificateNo: string;
    status: CertificateStatus;
    supersededBy: string | null;
    licenceDigest: string;
    householdRegistered: boolean;
  }[];
}

/** What the published trust material (trust list, JWKS, offline bundle) is made from. */
export interface TrustPublication {
  register: KeyRegister;
  keyStore: KeyStore;
  x509: X509Checker;
  certificates: CertificateStatusSnapshot;
  clock: Clock;
  licenceTypeCode: string;
}

/** The root certificate and every institution with all its signing certificates, as of now. */
export function currentTrustList(ports: Omit<TrustPublication, 'keyStore' | 'certificates' | 'x509'>): TrustList {
  const root = ports.register.active('root');
  if (!root) throw new DomainError('SERVICE_UNAVAILABLE', 'The trust domain has no root CA yet');
  return buildTrustList({
    rootX509Pem: root.x509Pem,
    keys: ports.register.list('licence'),
    licenceTypeCode: ports.licenceTypeCode,
    issuedAt: ports.clock.now(),
  });
}

/** Every institution signing key ever trusted. */
export const currentJwks = (ports: Pick<TrustPublication, 'register' | 'x509'>): { keys: TrustJwk[] } =>
  buildJwks(ports.register.list('licence'), ports.x509);

function snapshotOf(certificates: CertificateStatusSnapshot): RegisterSnapshotEntry[] {
  return certificates.snapshot().map((entry) => ({
    certificateNo: entry.certificateNo,
    status: entry.status,
    ...(entry.supersededBy ? { supersededBy: entry.supersededBy } : {}),
    ...(entry.householdRegistered ? { householdRegistered: true as const } : {}),
    licenceDigest: entry.licenceDigest,
  }));
}

/** The signed offline bundle as of now: trust list + status snapshot. */
export async function currentOfflineBundle(ports: TrustPublication): Promise<FlattenedJws> {
  const signer = ports.register.active('trust-list');
  if (!signer) throw new DomainError('SERVICE_UNAVAILABLE', 'No trust-list signing key is provisioned');
  return buildOfflineBundle({
    trustList: currentTrustList(ports),
    register: snapshotOf(ports.certificates),
    asOf: ports.clock.now(),
    signer,
    keyStore: ports.keyStore,
    x509: ports.x509,
  });
}
