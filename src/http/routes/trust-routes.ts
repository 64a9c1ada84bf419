import {
  currentJwks,
  currentOfflineBundle,
  currentTrustList,
  type TrustPublication,
} from '../../domain/trust/publish-trust.ts';
import { defineRoute, type Route } from '../route.ts';

export function trustRoutes(deps: TrustPublication): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/.well-known/jwks.json',
      summary: 'Every institution signing key ever trusted (kid = RFC 7638 thumbprint, with x5c)',
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
      path: '/api/v1/trust-bundle',
      summary: 'Offline bundle: trust list + register status snapshot, signed, with the time it is valid as of',
      tag: 'trust',
      // The snapshot lists every certificate number with its status and registration: for
      // verifying bodies, not the public.
      access: ['police', 'agency', 'admin', 'auditor'],
      responses: {
        200: 'A flattened JWS whose payload is {version, asOf, trustList, register}',
        503: 'No trust-list key',
      },
      async handle() {
        return { status: 200, body: await currentOfflineBundle(deps), headers: { 'Cache-Control': 'no-store' } };
      },
    }),
  ];
}
