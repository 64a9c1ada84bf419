import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { TimestampQuery, TimestampTokens } from '../../domain/trust/ports.ts';
import { CMS_OID, createSignedData, sha256 } from './cms-signed-data.ts';
import { algorithm, generalizedTime, oid, smallInteger, TAG, tlv } from './der.ts';
import { LEGACY_PROJECT_ARC } from './oids.ts';
import { pemToDer } from './pem.ts';

/**
 * The policy under which the TSA issues tokens (RFC 3161 TSTInfo.policy). It appears only inside
 * timestamp tokens — which OpenSSL reads whatever the arc — never in a certificate.
 */
export const TSA_POLICY = `${LEGACY_PROJECT_ARC}.3.1`;

const DIGEST_LENGTH: Record<string, number> = { [CMS_OID.sha256]: 32, [CMS_OID.sha384]: 48, [CMS_OID.sha512]: 64 };

type Parsed = { ok: true; query: TimestampQuery } | { ok: false; field: string; message: string };

/** Reads an RFC 3161 TimeStampReq (DER); refuses what this TSA does not do, naming the field. */
export function parseTimestampQuery(der: Uint8Array): Parsed {
  let request: pkijs.TimeStampReq;
  try {
    const asn1 = asn1js.fromBER(der);
    if (asn1.offset === -1 || asn1.offset !== der.length) throw new Error('not DER');
    request = new pkijs.TimeStampReq({ schema: asn1.result });
  } catch {
    return { ok: false, field: 'body', message: 'is not a DER TimeStampReq (RFC 3161)' };
  }
  if (request.version !== 1) return { ok: false, field: 'version', message: 'must be 1' };
  const algorithm = request.messageImprint.hashAlgorithm.algorithmId;
  const length = DIGEST_LENGTH[algorithm];
  if (!length) {
    return { ok: false, field: 'messageImprint.hashAlgorithm', message: 'must be SHA-256, SHA-384 or SHA-512' };
  }
  const hashed = new Uint8Array(request.messageImprint.hashedMessage.valueBlock.valueHexView);
  if (hashed.length !== length) {
    return { ok: false, field: 'messageImprint.hashedMessage', message: `must be ${length} bytes` };
  }
  if (request.reqPolicy !== undefined && request.reqPolicy !== TSA_POLICY) {
    return { ok: false, field: 'reqPolicy', message: `this TSA issues under ${TSA_POLICY} only` };
  }
  if (request.extensions?.length) return { ok: false, field: 'extensions', message: 'are not supported' };
  const nonce = request.nonce ? new Uint8Array(request.nonce.valueBlock.valueHexView) : null;
  if (nonce && nonce.length > 32) return { ok: false, field: 'nonce', message: 'must be at most 32 bytes' };
  return {
    ok: true,
    query: { hashAlgorithm: algorithm, hashedMessage: hashed, nonce, certReq: request.certReq ?? false },
  };
}

/** A positive 127-bit random serial: unique without a counter shared between processes. */
function serialNumber(): Uint8Array {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return tlv(TAG.integer, bytes);
}

/**
 * TSTInfo (RFC 3161 §2.4.2) as DER, written directly: version 1, policy, messageImprint, serial,
 * genTime, accuracy of one second, nonce when asked — the encoding pkijs gives it.
 */
export function encodeTstInfo(query: TimestampQuery, genTime: Date, serial = serialNumber()): Uint8Array {
  return tlv(
    TAG.sequence,
    smallInteger(1),
    oid(TSA_POLICY),
    tlv(TAG.sequence, algorithm(query.hashAlgorithm), tlv(TAG.octetString, query.hashedMessage)),
    serial,
    // Whole seconds: a GeneralizedTime fraction with trailing zeros is not DER (RFC 3161 §2.4.2).
    generalizedTime(new Date(Math.floor(genTime.getTime() / 1000) * 1000)),
    tlv(TAG.sequence, smallInteger(1)),
    ...(query.nonce ? [tlv(TAG.integer, query.nonce)] : []),
  );
}

export const nodeTimestampTokens: TimestampTokens = {
  parseQuery: parseTimestampQuery,

  async createToken({ query, genTime, tsaChainPem, sign }) {
    const content = encodeTstInfo(query, genTime);
    return createSignedData({
      contentType: CMS_OID.tstInfo,
      content,
      contentDigest: sha256(content),
      chainDer: tsaChainPem.map(pemToDer),
      includeCertificates: query.certReq,
      sign,
    });
  },

  reply(token) {
    const response = new pkijs.TimeStampResp({
      status: new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.granted }),
      timeStampToken: new pkijs.ContentInfo({ schema: asn1js.fromBER(token).result }),
    });
    return new Uint8Array(response.toSchema().toBER(false));
  },
};
