import type { KeyStore } from '../ports.ts';
import type { SigningKeyRecord, X509Checker } from '../trust/ports.ts';
import { decodeBase64url, decodeJsonSegment, encodeBase64url } from '../verification/base64url.ts';
import { isStatusUri } from '../verification/status-reference.ts';
import type { StatusListCompression } from './ports.ts';
import { STATUS_BITS } from './status-values.ts';

/** `typ` of a status list token (IETF OAuth Token Status List §5.1). */
export const STATUS_LIST_TYP = 'statuslist+jwt';
/** `ttl`: a verifier may keep a fetched list this long (s) before fetching again. */
export const STATUS_LIST_TTL_SECONDS = 60;
/** `exp` − `iat` (s): a list not re-signed for a day is no longer believed. */
export const STATUS_LIST_LIFETIME_SECONDS = 86_400;
/** The largest list a reader inflates: 2^24 entries (4 MB of bits). */
const MAX_LIST_BYTES = 4 * 1024 * 1024;

const utf8 = new TextEncoder();

export interface StatusListTokenRequest {
  uri: string;
  /** The packed 2-bit entries. */
  bits: Uint8Array;
  issuedAt: Date;
  signer: SigningKeyRecord;
  keyStore: KeyStore;
  x509: Pick<X509Checker, 'x5cOf'>;
  compression: StatusListCompression;
}

/**
 * A status list token: a compact JWS (`typ` statuslist+jwt) with `sub` = the list's URI, `iat`,
 * `exp`, `ttl` and `status_list: {bits: 2, lst}`, signed by the status-list key whose
 * certificate (x5c) chains to the root. The key store signs; no library sees the key.
 */
export async function signStatusListToken(request: StatusListTokenRequest): Promise<string> {
  if (request.signer.purpose !== 'status-list') throw new TypeError('Status lists are signed by a status-list key');
  const iat = Math.floor(request.issuedAt.getTime() / 1000);
  const header = {
    alg: 'ES256',
    typ: STATUS_LIST_TYP,
    kid: request.signer.kid,
    x5c: [request.x509.x5cOf(request.signer.x509Pem)],
  };
  const payload = {
    sub: request.uri,
    iat,
    exp: iat + STATUS_LIST_LIFETIME_SECONDS,
    ttl: STATUS_LIST_TTL_SECONDS,
    status_list: { bits: STATUS_BITS, lst: request.compression.toBase64url(request.compression.deflate(request.bits)) },
  };
  const encode = (value: unknown) => request.compression.toBase64url(utf8.encode(JSON.stringify(value)));
  const signingInput = `${encode(header)}.${encode(payload)}`;
  const signature = await request.keyStore.sign(request.signer.kid, utf8.encode(signingInput));
  if (signature.length !== 64) throw new TypeError('The key store returned a signature that is not ES256 P1363');
  return `${signingInput}.${encodeBase64url(signature)}`;
}

export interface OpenedStatusList {
  uri: string;
  issuedAt: number;
  expiresAt: number;
  ttl: number;
  bits: Uint8Array;
}

const isSeconds = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/**
 * Checks a status list token against the root (base64 DER): its signer certificate chains to it
 * as a status-list signer, the signature holds, and the payload is a 2-bit list. Null otherwise.
 * Expiry is the caller's to judge, at the time it verifies.
 */
export function openStatusListToken(
  token: unknown,
  rootX5c: string,
  x509: X509Checker,
  compression: StatusListCompression,
): OpenedStatusList | null {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJsonSegment(headerPart) as Record<string, unknown> | null;
  const payload = decodeJsonSegment(payloadPart) as Record<string, unknown> | null;
  const signature = decodeBase64url(signaturePart);
  if (!header || !payload || !signature || header.alg !== 'ES256' || header.typ !== STATUS_LIST_TYP) return null;
  if ('crit' in header || !Array.isArray(header.x5c)) return null;
  const signer = x509.checkChain(header.x5c as string[], rootX5c, 'status-list-signing');
  if (!signer.ok || signer.leaf.kid !== header.kid) return null;
  if (!x509.verifyEs256(signer.leaf.publicJwk, utf8.encode(`${headerPart}.${payloadPart}`), signature)) return null;
  const { sub, iat, exp, ttl } = payload;
  const list = payload.status_list as Record<string, unknown> | undefined;
  if (!isStatusUri(sub) || !isSeconds(iat) || !isSeconds(exp) || exp <= iat) return null;
  if (!list || list.bits !== STATUS_BITS || typeof list.lst !== 'string') return null;
  if (iat * 1000 < signer.leaf.notBefore.getTime() || iat * 1000 > signer.leaf.notAfter.getTime()) return null;
  const compressed = decodeBase64url(list.lst);
  const bits = compressed && compression.inflate(compressed, MAX_LIST_BYTES);
  if (!bits) return null;
  return { uri: sub, issuedAt: iat, expiresAt: exp, ttl: isSeconds(ttl) ? ttl : 0, bits };
}
