import { DomainError } from '../errors.ts';
import type { Clock, KeyStore } from '../ports.ts';
import type { KeyRegister, TimestampQuery, TimestampTokens } from './ports.ts';

/** The trust domain's RFC 3161 timestamp authority: its key in the key store, certified by the root. */
export interface TimestampAuthority {
  register: KeyRegister;
  keyStore: KeyStore;
  tokens: TimestampTokens;
  clock: Clock;
}

/** A timestamp token over a query, signed with the active TSA key at the current time. */
export async function issueTimestamp(ports: TimestampAuthority, query: TimestampQuery): Promise<Uint8Array> {
  const tsa = ports.register.active('tsa');
  if (!tsa) throw new DomainError('SERVICE_UNAVAILABLE', 'No timestamp authority key is provisioned');
  return ports.tokens.createToken({
    query,
    genTime: ports.clock.now(),
    tsaChainPem: [tsa.x509Pem],
    sign: (tbs) => ports.keyStore.sign(tsa.kid, tbs),
  });
}

/** `POST /api/v1/timestamps`: a TimeStampReq in, a TimeStampResp out; a bad query names its field. */
export async function answerTimestampQuery(ports: TimestampAuthority, queryDer: Uint8Array): Promise<Uint8Array> {
  const parsed = ports.tokens.parseQuery(queryDer);
  if (!parsed.ok) {
    throw new DomainError('INVALID_REQUEST', `${parsed.field} ${parsed.message}`, [
      { path: parsed.field, message: parsed.message },
    ]);
  }
  return ports.tokens.reply(await issueTimestamp(ports, parsed.query));
}

/** For the service's own signatures: a token (with the TSA certificate) over a SHA-256 digest. */
export function timestampDigest(ports: TimestampAuthority, sha256: Uint8Array): Promise<Uint8Array> {
  return issueTimestamp(ports, { hashAlgorithm: SHA256_OID, hashedMessage: sha256, nonce: null, certReq: true });
}

const SHA256_OID = '2.16.840.1.101.3.4.2.1';
