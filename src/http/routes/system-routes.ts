import { defineRoute, type Route } from '../route.ts';

export function systemRoutes(deps: { isReady: () => boolean; openApi: () => unknown }): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/healthz',
      summary: 'Liveness and readiness: 200 once the service can serve',
      tag: 'system',
      access: 'public',
      responses: { 200: 'Ready', 503: 'Starting or shutting down' },
      handle: () =>
        deps.isReady() ? { status: 200, body: { status: 'ok' } } : { status: 503, body: { status: 'unavailable' } },
    }),
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      summary: 'This OpenAPI 3.1 document',
      tag: 'system',
      access: 'public',
      responses: { 200: 'The OpenAPI document' },
      handle: () => ({ status: 200, body: deps.openApi() }),
    }),
  ];
}
