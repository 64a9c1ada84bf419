import { DomainError } from '../errors.ts';
import type { Clock, KeyStore } from '../ports.ts';
import type { KeyRegister, X509Checker } from '../trust/ports.ts';
import type { StatusListCompression, StatusListRecord, StatusListStore } from './ports.ts';
import { STATUS_LIST_LIFETIME_SECONDS, signStatusListToken } from './status-list-token.ts';
import { packStatuses, STATUS_VALUE } from './status-values.ts';

export interface StatusListPublication {
  store: StatusListStore;
  register: Pick<KeyRegister, 'active'>;
  keyStore: KeyStore;
  x509: Pick<X509Checker, 'x5cOf'>;
  compression: StatusListCompression;
  clock: Clock;
}

/** An unchanged list is still re-signed once half its lifetime has passed, so a fetched one never expires in use. */
const REFRESH_MS = (STATUS_LIST_LIFETIME_SECONDS * 1000) / 2;

export interface StatusListPublisher {
  /** The signed token of list `id`, or null when there is no such list. */
  token(id: string): Promise<{ token: string; list: StatusListRecord } | null>;
  /** Every list's current token. */
  all(): Promise<string[]>;
  /** Every list's URI (the `sub` of its token). */
  uris(): string[];
  /** Changes whenever any list may have changed. */
  changeMark(): string;
}

/**
 * Serves status list tokens: re-signed when the list changed (its revision moves with every new
 * entry and every status change of its certificates, read on each request), when the status
 * key changed, or when the token is half-way to `exp`; the signed token is reused otherwise. A
 * void, revocation or supersession therefore shows in the very next token served.
 */
export function createStatusListPublisher(ports: StatusListPublication): StatusListPublisher {
  const cache = new Map<string, { revision: number; signerKid: string; issuedAtMs: number; token: string }>();

  async function tokenOf(list: StatusListRecord): Promise<string> {
    const signer = ports.register.active('status-list');
    if (!signer) throw new DomainError('SERVICE_UNAVAILABLE', 'No status-list signing key is provisioned');
    const now = ports.clock.now();
    const hit = cache.get(list.id);
    if (
      hit &&
      hit.revision === list.revision &&
      hit.signerKid === signer.kid &&
      now.getTime() - hit.issuedAtMs < REFRESH_MS &&
      now.getTime() >= hit.issuedAtMs
    ) {
      return hit.token;
    }
    const entries = ports.store
      .nonValidEntries(list.id)
      .map((entry) => ({ idx: entry.idx, value: STATUS_VALUE[entry.status] }));
    const token = await signStatusListToken({
      uri: list.uri,
      bits: packStatuses(list.size, entries),
      issuedAt: now,
      signer,
      keyStore: ports.keyStore,
      x509: ports.x509,
      compression: ports.compression,
    });
    cache.set(list.id, { revision: list.revision, signerKid: signer.kid, issuedAtMs: now.getTime(), token });
    return token;
  }

  return {
    async token(id) {
      const list = ports.store.find(id);
      return list ? { token: await tokenOf(list), list } : null;
    },
    async all() {
      const tokens: string[] = [];
      for (const list of ports.store.all()) tokens.push(await tokenOf(list));
      return tokens;
    },
    uris: () => ports.store.all().map((list) => list.uri),
    changeMark: () => ports.store.changeMark(),
  };
}
