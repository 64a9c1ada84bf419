import type { KeyStore } from '../ports.ts';
import { encodeBase64url } from '../verification/base64url.ts';
import { TRUST_BUNDLE_TYP } from '../verification/profile.ts';
import type { TrustList } from './build-trust-list.ts';
import type { SigningKeyRecord, X509Checker } from './ports.ts';

export interface OfflineBundlePayload {
  version: 2;
  /** The status lists as of this instant; statuses may have changed since. */
  asOf: string;
  trustList: TrustList;
  /** Every current status list token (statuslist+jwt, each signed by the status-list key). */
  statusLists: string[];
}

/** RFC 7515 §7.2.2 flattened JSON serialization. */
export interface FlattenedJws {
  protected: string;
  payload: string;
  signature: string;
}

export interface OfflineBundleRequest {
  trustList: TrustList;
  statusLists: readonly string[];
  asOf: Date;
  /** The active trust-list signing key (purpose `trust-list`), not the root: the root stays offline. */
  signer: SigningKeyRecord;
  keyStore: KeyStore;
  x509: Pick<X509Checker, 'x5cOf'>;
}

const utf8 = new TextEncoder();

/**
 * The offline bundle: trust list + every status list in one flattened JWS signed by the
 * trust-list key, whose certificate (in x5c) chains to the root the bundle carries. A verifier
 * should pin that root out of band; the signature then proves the whole bundle came from it.
 * The JOSE work is done by hand on purpose: the key store signs, no library sees the key.
 */
export async function buildOfflineBundle(request: OfflineBundleRequest): Promise<FlattenedJws> {
  if (request.signer.purpose !== 'trust-list') throw new TypeError('Offline bundles are signed by a trust-list key');
  const payload: OfflineBundlePayload = {
    version: 2,
    asOf: request.asOf.toISOString(),
    trustList: request.trustList,
    // No certificate numbers: a status list is indexes and bits, so holding the bundle reveals nobody.
    statusLists: [...request.statusLists],
  };
  const header = {
    alg: 'ES256',
    typ: TRUST_BUNDLE_TYP,
    kid: request.signer.kid,
    x5c: [request.x509.x5cOf(request.signer.x509Pem)],
  };
  const protectedPart = encodeBase64url(utf8.encode(JSON.stringify(header)));
  const payloadPart = encodeBase64url(utf8.encode(JSON.stringify(payload)));
  const signature = await request.keyStore.sign(request.signer.kid, utf8.encode(`${protectedPart}.${payloadPart}`));
  if (signature.length !== 64) throw new TypeError('The key store returned a signature that is not ES256 P1363');
  return { protected: protectedPart, payload: payloadPart, signature: encodeBase64url(signature) };
}
