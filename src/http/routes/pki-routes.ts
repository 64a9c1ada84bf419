import { DomainError } from '../../domain/errors.ts';
import type { RateLimitCounter } from '../../domain/rate-limits.ts';
import { type CrlPublication, currentCrl } from '../../domain/trust/publish-crl.ts';
import { answerTimestampQuery, type TimestampAuthority } from '../../domain/trust/timestamp-authority.ts';
import { mediaType, readRawBody } from '../read-body.ts';
import { defineRoute, type Route } from '../route.ts';
import { createPerAddressLimit } from './verification-routes.ts';

/** A TimeStampReq with a SHA-512 imprint and a nonce is about 100 bytes. */
const timestampQueryLimitBytes = 4 * 1024;

export function pkiRoutes(deps: {
  crl: CrlPublication;
  tsa: TimestampAuthority;
  /** The root certificate as published (DER). */
  rootCertificate: () => Uint8Array;
  timestampsPerAddressPerMinute: number;
  rateLimits: RateLimitCounter;
}): Route[] {
  const allowTimestamp = createPerAddressLimit(
    deps.rateLimits,
    'api:timestamps',
    deps.timestampsPerAddressPerMinute,
    () => Date.now(),
  );
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/pki/root.crl',
      summary: "The root's certificate revocation list (DER, RFC 5280; next update within 7 days)",
      tag: 'trust',
      access: 'public',
      responses: { 200: 'application/pkix-crl', 503: 'No root CA, or no CRL signed yet with the root key offline' },
      responseMediaType: 'application/pkix-crl',
      async handle() {
        const crl = await currentCrl(deps.crl);
        return {
          status: 200,
          body: crl.der,
          contentType: 'application/pkix-crl',
          headers: { 'Cache-Control': 'public, max-age=300' },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/pki/root.crt',
      summary: 'The root certificate (DER): the caIssuers pointer of every certificate it issued',
      tag: 'trust',
      access: 'public',
      responses: { 200: 'application/pkix-cert', 503: 'No root CA yet' },
      responseMediaType: 'application/pkix-cert',
      handle: () => ({ status: 200, body: deps.rootCertificate(), contentType: 'application/pkix-cert' }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/timestamps',
      summary: 'RFC 3161 timestamp authority: application/timestamp-query in, application/timestamp-reply out',
      tag: 'trust',
      access: 'public',
      rawBody: true,
      bodyMediaTypes: ['application/timestamp-query'],
      responses: {
        200: 'application/timestamp-reply (status granted)',
        400: 'Not an RFC 3161 TimeStampReq this TSA accepts (the field is named)',
        429: 'Too many timestamp requests from this address',
        503: 'No timestamp authority key',
      },
      responseMediaType: 'application/timestamp-reply',
      async handle({ req }) {
        if (mediaType(req) !== 'application/timestamp-query') {
          throw new DomainError('INVALID_REQUEST', 'Content-Type must be application/timestamp-query', [
            { path: 'Content-Type', message: 'must be application/timestamp-query' },
          ]);
        }
        if (!allowTimestamp(req.ip ?? '')) {
          throw new DomainError('RATE_LIMITED', 'Too many timestamp requests from this address; wait a minute');
        }
        const query = await readRawBody(req, timestampQueryLimitBytes);
        const reply = await answerTimestampQuery(deps.tsa, new Uint8Array(query));
        return {
          status: 200,
          body: reply,
          contentType: 'application/timestamp-reply',
          headers: { 'Cache-Control': 'no-store' },
        };
      },
    }),
  ];
}
