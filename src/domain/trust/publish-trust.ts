import { DomainError } from '../errors.ts';
import type { Clock, KeyStore } from '../ports.ts';
import type { StatusListPublisher } from '../status-lists/publish-status-lists.ts';
import { buildJwks, type TrustJwk } from './build-jwks.ts';
import { buildOfflineBundle, type FlattenedJws } from './build-offline-bundle.ts';
import { buildTrustList, type TrustList } from './build-trust-list.ts';
import type { KeyRegister, X509Checker } from './ports.ts';

/** What the published trust material (trust list, JWKS, status lists, offline bundle) is made from. */
export interface TrustPublication {
  register: KeyRegister;
  keyStore: KeyStore;
  x509: X509Checker;
  statusLists: StatusListPublisher;
  clock: Clock;
  licenceTypeCode: string;
}

/** The root certificate and every institution with all its signing certificates, as of now. */
export function currentTrustList(
  ports: Pick<TrustPublication, 'register' | 'clock' | 'licenceTypeCode'> & {
    statusLists?: Pick<StatusListPublisher, 'uris'>;
  },
): TrustList {
  const root = ports.register.active('root');
  if (!root) throw new DomainError('SERVICE_UNAVAILABLE', 'The trust domain has no root CA yet');
  return buildTrustList({
    rootX509Pem: root.x509Pem,
    keys: [...ports.register.list('licence'), ...ports.register.list('status-list')],
    licenceTypeCode: ports.licenceTypeCode,
    issuedAt: ports.clock.now(),
    ...(ports.statusLists && { statusListUris: ports.statusLists.uris() }),
  });
}

/** Every institution signing key ever trusted. */
export const currentJwks = (ports: Pick<TrustPublication, 'register' | 'x509'>): { keys: TrustJwk[] } =>
  buildJwks(ports.register.list('licence'), ports.x509);

/** A bundle is rebuilt at least this often, so the status list tokens in it stay far from `exp`. */
const BUNDLE_REFRESH_MS = 3_600_000;

/**
 * The signed offline bundle — trust list + every current status list + asOf — built once and
 * served until the key register or a status list changes (or an hour passes), not per request.
 */
export function createOfflineBundlePublisher(ports: TrustPublication): { current(): Promise<FlattenedJws> } {
  let cached: { mark: string; builtAtMs: number; bundle: FlattenedJws } | null = null;
  return {
    async current() {
      const signer = ports.register.active('trust-list');
      if (!signer) throw new DomainError('SERVICE_UNAVAILABLE', 'No trust-list signing key is provisioned');
      const now = ports.clock.now();
      const mark = `${ports.register.changeMark()}|${ports.statusLists.changeMark()}|${signer.kid}`;
      const age = now.getTime() - (cached?.builtAtMs ?? 0);
      if (cached && cached.mark === mark && age >= 0 && age < BUNDLE_REFRESH_MS) return cached.bundle;
      const bundle = await buildOfflineBundle({
        trustList: currentTrustList(ports),
        statusLists: await ports.statusLists.all(),
        asOf: now,
        signer,
        keyStore: ports.keyStore,
        x509: ports.x509,
      });
      cached = { mark, builtAtMs: now.getTime(), bundle };
      return bundle;
    },
  };
}
