import { DomainError } from '../errors.ts';
import type { Clock, KeyStore } from '../ports.ts';
import type { CrlStore, KeyRegister, StoredCrl, X509Issuer } from './ports.ts';

/** RFC 5280 lets a CRL say when the next one comes; relying parties refuse it after that. */
export const CRL_VALIDITY_DAYS = 7;
/** A CRL is re-signed when less than this is left of it, so a served CRL always has days to run. */
const RESIGN_WHEN_LEFT_MS = 3.5 * 24 * 3600 * 1000;

export interface CrlPublication {
  register: KeyRegister;
  keyStore: KeyStore;
  x509: Pick<X509Issuer, 'createCrl'>;
  crls: CrlStore;
  clock: Clock;
  /** Whether the root's private key is here to sign with (it may be kept offline). */
  rootKeyHere: (kid: string) => boolean;
}

/** The certificates the root revoked, each with the instant it is revoked from. */
function revokedUnder(register: KeyRegister, rootKid: string) {
  return register
    .list()
    .filter((key) => key.issuerKid === rootKid && key.status === 'revoked' && key.revokedAt)
    .sort((a, b) => a.kid.localeCompare(b.kid));
}

/** Names the set of revocations a CRL lists: any new revocation (or a changed date) changes it. */
export function revocationsFingerprint(register: KeyRegister, rootKid: string): string {
  return revokedUnder(register, rootKid)
    .map((key) => `${key.kid}@${key.revokedAt}`)
    .join(',');
}

/** Signs a new CRL with the root now: every revocation, next update in CRL_VALIDITY_DAYS. */
export async function signCrl(ports: Omit<CrlPublication, 'rootKeyHere'>): Promise<StoredCrl> {
  const root = ports.register.active('root');
  if (!root) throw new DomainError('SERVICE_UNAVAILABLE', 'The trust domain has no root CA yet');
  const now = ports.clock.now();
  const thisUpdate = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const nextUpdate = new Date(thisUpdate.getTime() + CRL_VALIDITY_DAYS * 24 * 3600 * 1000);
  const revoked = revokedUnder(ports.register, root.kid);
  const number = (ports.crls.latest()?.number ?? 0) + 1;
  const der = await ports.x509.createCrl({
    issuerX509Pem: root.x509Pem,
    number,
    thisUpdate,
    nextUpdate,
    revoked: revoked.map((key) => ({ x509Pem: key.x509Pem, revokedAt: new Date(key.revokedAt!) })),
    sign: (tbs) => ports.keyStore.sign(root.kid, tbs),
  });
  const crl: StoredCrl = {
    number,
    der,
    thisUpdate: thisUpdate.toISOString(),
    nextUpdate: nextUpdate.toISOString(),
    revocations: revocationsFingerprint(ports.register, root.kid),
  };
  ports.crls.insert(crl);
  return crl;
}

/**
 * The CRL to publish: the newest one, re-signed first when it misses a revocation or has less
 * than half its life left — if the root key is here. With the root offline the newest signed
 * CRL is served as it is (the operator's `publish-crl` re-signs it where the root key lives).
 */
export async function currentCrl(ports: CrlPublication): Promise<StoredCrl> {
  const root = ports.register.active('root');
  if (!root) throw new DomainError('SERVICE_UNAVAILABLE', 'The trust domain has no root CA yet');
  const latest = ports.crls.latest();
  const stale =
    !latest ||
    latest.revocations !== revocationsFingerprint(ports.register, root.kid) ||
    new Date(latest.nextUpdate).getTime() - ports.clock.now().getTime() < RESIGN_WHEN_LEFT_MS;
  if (stale && ports.rootKeyHere(root.kid)) return signCrl(ports);
  if (!latest) throw new DomainError('SERVICE_UNAVAILABLE', 'No CRL has been signed yet (the root key is offline)');
  return latest;
}
