import { DomainError } from '../../domain/errors.ts';
import {
  createOfflineBundlePublisher,
  currentJwks,
  currentTrustList,
  type TrustPublication,
} from '../../domain/trust/publish-trust.ts';
import { defineRoute, type Route } from '../route.ts';

/** Verifiers may cache a status list this long; with the token's `ttl` a change shows within 60 s. */
const STATUS_LIST_MAX_AGE_SECONDS = 30;

export function trustRoutes(deps: TrustPublication): Route[] {
  const bundles = createOfflineBundlePublisher(deps);
  return [
    defineRoute({
      method: 'get',
      path: '/.well-known/jwks.json',
      summary: 'Every institution signing key ever trusted (kid = RFC 7638 thumbprint, kid8 = the QR kid, with x5c)',
      tag: 'trust',
      access: 'public',
      responses: { 200: 'JWK Set' },
      handle: () => ({ status: 200, body: currentJwks(deps) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/trust-list',
      summary: 'The root certificate and every issuing institution with all its signing certificates',
      tag: 'trust',
      access: 'public',
      responses: { 200: 'The trust list', 503: 'No root CA yet' },
      handle: () => ({ status: 200, body: currentTrustList(deps) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/status-lists/:id',
      summary: 'A token status list (IETF OAuth Token Status List, 2 bits per certificate), signed by the status key',
      tag: 'trust',
      access: 'public',
      responses: {
        200: 'application/statuslist+jwt: a compact JWS with sub, iat, exp, ttl and status_list {bits, lst}',
        404: 'No such status list',
        503: 'No status-list key',
      },
      responseMediaType: 'application/statuslist+jwt',
      async handle({ params }) {
        const found = await deps.statusLists.token(String(params.id));
        if (!found) throw new DomainError('NOT_FOUND', 'No such status list');
        return {
          status: 200,
          body: new TextEncoder().encode(found.token),
          contentType: 'application/statuslist+jwt',
          headers: {
            'Cache-Control': `public, max-age=${STATUS_LIST_MAX_AGE_SECONDS}`,
          },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/trust-bundle',
      summary: 'Offline bundle: trust list + every current status list, signed, with the time it is valid as of',
      tag: 'trust',
      access: ['police', 'agency', 'admin', 'auditor'],
      responses: {
        200: 'A flattened JWS whose payload is {version, asOf, trustList, statusLists}',
        503: 'No trust-list key',
      },
      async handle() {
        return { status: 200, body: await bundles.current(), headers: { 'Cache-Control': 'no-store' } };
      },
    }),
  ];
}
