import { DomainError } from '../errors.ts';
import type { Clock } from '../ports.ts';
import type { StatusListCompression } from '../status-lists/ports.ts';
import { statusListRegister } from '../status-lists/status-list-register.ts';
import { type OpenedStatusList, openStatusListToken } from '../status-lists/status-list-token.ts';
import { decodeBase64url, decodeUtf8 } from '../verification/base64url.ts';
import type { CertificateRegister } from '../verification/ports.ts';
import { TRUST_BUNDLE_TYP } from '../verification/profile.ts';
import type { OfflineBundlePayload } from './build-offline-bundle.ts';
import { createTrustStore, type TrustStore } from './create-trust-store.ts';
import type { X509Checker } from './ports.ts';

export interface OpenedBundle {
  trust: TrustStore;
  /** Status by the credentials' status list references, as of `asOf`. */
  register: CertificateRegister;
  statusLists: readonly OpenedStatusList[];
  asOf: string;
  /** SHA-256 of the root certificate (hex): what an operator compares with the published value. */
  rootFingerprint: string;
}

const invalid = (message: string) => new DomainError('BUNDLE_INVALID', message);

function decodeJson(part: unknown): unknown {
  if (typeof part !== 'string' || !/^[A-Za-z0-9_-]*$/.test(part)) throw invalid('Not a bundle JWS');
  const bytes = decodeBase64url(part);
  const text = bytes && decodeUtf8(bytes);
  if (text === null || text === undefined) throw invalid('Not a bundle JWS');
  try {
    return JSON.parse(text);
  } catch {
    throw invalid('Not a bundle JWS');
  }
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

/**
 * Checks and opens an offline bundle: its signature by a trust-list signing certificate that
 * chains to the bundle's root, and — when `pinnedRootPem` is given — that root is the pinned one;
 * then each status list token, signed by a status-list certificate under the same root.
 * Throws `BUNDLE_INVALID` / `BUNDLE_ROOT_MISMATCH`; a bundle that opens is fully checked.
 * Status lists past their `exp` are judged at verification time by `clock`.
 */
export function openOfflineBundle(
  bundle: unknown,
  tools: { x509: X509Checker; compression: StatusListCompression },
  options: { pinnedRootPem?: string | undefined; clock: Clock },
): OpenedBundle {
  const { x509 } = tools;
  if (typeof bundle !== 'object' || bundle === null) throw invalid('Not a bundle JWS');
  const jws = bundle as Record<string, unknown>;
  const header = decodeJson(jws.protected) as Record<string, unknown>;
  const payload = decodeJson(jws.payload) as OfflineBundlePayload;
  if (header?.alg !== 'ES256' || header.typ !== TRUST_BUNDLE_TYP || 'crit' in header) throw invalid('Not a bundle JWS');
  if (
    !Array.isArray(header.x5c) ||
    payload?.version !== 2 ||
    !payload.trustList ||
    !Array.isArray(payload.statusLists)
  ) {
    throw invalid('Not a bundle JWS');
  }
  const rootX5c = x509.x5cOf(payload.trustList.root);
  if (options.pinnedRootPem && x509.x5cOf(options.pinnedRootPem) !== rootX5c) {
    throw new DomainError('BUNDLE_ROOT_MISMATCH', 'The bundle is not from the pinned root');
  }
  const signer = x509.checkChain(header.x5c as string[], rootX5c, 'trust-list-signing');
  if (!signer.ok || signer.leaf.kid !== header.kid) throw invalid('The bundle signer is not certified by its root');
  const signature = decodeBase64url(String(jws.signature));
  const signingInput = new TextEncoder().encode(`${jws.protected}.${jws.payload}`);
  if (!signature || !x509.verifyEs256(signer.leaf.publicJwk, signingInput, signature)) {
    throw invalid('The bundle signature does not verify');
  }
  const asOf = Date.parse(payload.asOf);
  if (asOf < signer.leaf.notBefore.getTime() || asOf > signer.leaf.notAfter.getTime()) {
    throw invalid('The bundle was signed outside its signer certificate validity');
  }
  const statusLists = payload.statusLists.map((token) => {
    const opened = openStatusListToken(token, rootX5c, x509, tools.compression);
    if (!opened) throw invalid('A status list of the bundle is not signed by its root');
    return opened;
  });
  return {
    trust: createTrustStore(payload.trustList, x509),
    register: statusListRegister(statusLists, payload.asOf, options.clock),
    statusLists,
    asOf: payload.asOf,
    rootFingerprint: hex(x509.sha256Of(rootX5c)),
  };
}
