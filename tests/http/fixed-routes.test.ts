import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.ts';
import { type BoundRoute, fixedRoutes } from '../../src/http/fixed-routes.ts';
import { errorHandler, notFound, requestLog } from '../../src/http/request-log.ts';
import { bindRoute, defineRoute } from '../../src/http/route.ts';

/**
 * Each route answers with its name, the path parameters express gave it, and whether express
 * routed it (`req.route` set) or the map did. Bound as the service binds its routes (public
 * routes: the token store and validator are never consulted, so there are none).
 */
const routeOf = (method: BoundRoute['method'], path: string, name: string): BoundRoute => ({
  method,
  path,
  handler: bindRoute(
    defineRoute({
      method,
      path,
      summary: name,
      tag: 'test',
      access: 'public',
      responses: { 200: name },
      handle: ({ req }) => {
        if (name === 'failing') throw new DomainError('NOT_FOUND', 'No such thing');
        return { status: 200, body: { name, params: req.params, via: req.route ? 'express' : 'map' } };
      },
    }),
    { tokens: undefined as never, clock: { now: () => new Date() }, validate: undefined as never },
  ),
});

const routes: BoundRoute[] = [
  routeOf('get', '/api/v1/things/:id', 'one thing'),
  // Registered after the template above, which takes this path first in express: the map must not.
  routeOf('get', '/api/v1/things/latest', 'latest'),
  routeOf('get', '/api/v1/things', 'list'),
  routeOf('post', '/api/v1/things', 'create'),
  routeOf('get', '/api/v1/things', 'second list'),
  routeOf('get', '/api/v1/other/latest', 'other latest'),
  routeOf('get', '/api/v1/other/:id', 'other one'),
  routeOf('get', '/api/v1/failing', 'failing'),
  // A wildcard might take any path below it: the fixed path after it stays with express.
  routeOf('get', '/api/v1/files/*rest', 'any file'),
  routeOf('get', '/api/v1/files/latest', 'latest file'),
];

const logged: { route: string; status: number }[] = [];
let server: ReturnType<express.Express['listen']>;
let base = '';

beforeAll(async () => {
  const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  const app = express();
  app.use(requestLog(logger));
  app.use(fixedRoutes(routes));
  for (const { method, path, handler } of routes) app[method](path, handler);
  app.use(notFound);
  app.use(errorHandler(logger));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  logged.length = 0;
});

async function call(method: string, path: string) {
  const res = await fetch(`${base}${path}`, { method });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as { name?: string; params?: unknown; via?: string }) : null,
  };
}

describe('fixed routes answered from a map', () => {
  it('answers a fixed path with its route, a query string or not, and the log names the route', async () => {
    expect(await call('GET', '/api/v1/things')).toEqual({
      status: 200,
      body: { name: 'list', params: {}, via: 'map' },
    });
    expect(await call('GET', '/api/v1/things?page=2')).toEqual({
      status: 200,
      body: { name: 'list', params: {}, via: 'map' },
    });
    expect(await call('POST', '/api/v1/things')).toEqual({
      status: 200,
      body: { name: 'create', params: {}, via: 'map' },
    });
    expect(logged.map(({ route, status }) => ({ route, status }))).toEqual([
      { route: '/api/v1/things', status: 200 },
      { route: '/api/v1/things', status: 200 },
      { route: '/api/v1/things', status: 200 },
    ]);
  });

  it('keeps express order: the first route registered for a path answers it', async () => {
    // `/api/v1/things/:id` came before `/api/v1/things/latest`, so express gives it this path.
    expect(await call('GET', '/api/v1/things/latest')).toEqual({
      status: 200,
      body: { name: 'one thing', params: { id: 'latest' }, via: 'express' },
    });
    // A fixed path registered before a template that would match it keeps it.
    expect(await call('GET', '/api/v1/other/latest')).toEqual({
      status: 200,
      body: { name: 'other latest', params: {}, via: 'map' },
    });
    expect(await call('GET', '/api/v1/other/7')).toEqual({
      status: 200,
      body: { name: 'other one', params: { id: '7' }, via: 'express' },
    });
    // After a wildcard the fixed path is express's to route: here the wildcard takes it.
    expect(await call('GET', '/api/v1/files/latest')).toEqual({
      status: 200,
      body: { name: 'any file', params: { rest: ['latest'] }, via: 'express' },
    });
  });

  it('leaves to express what it does not hold exactly: slash, letter case, HEAD, parameters', async () => {
    const list = { name: 'list', params: {}, via: 'express' };
    expect(await call('GET', '/api/v1/things/')).toEqual({ status: 200, body: list });
    expect(await call('GET', '/API/V1/Things')).toEqual({ status: 200, body: list });
    expect(await call('HEAD', '/api/v1/things')).toEqual({ status: 200, body: null });
    expect(await call('GET', '/api/v1/things/42')).toEqual({
      status: 200,
      body: { name: 'one thing', params: { id: '42' }, via: 'express' },
    });
    expect(logged.at(-1)?.route).toBe('/api/v1/things/:id');
  });

  it("passes a route's error on to the error handler, and the log names the route", async () => {
    expect(await call('GET', '/api/v1/failing')).toEqual({
      status: 404,
      body: expect.objectContaining({ error: expect.objectContaining({ code: 'NOT_FOUND' }) }),
    });
    expect(logged.map(({ route, status }) => ({ route, status }))).toEqual([{ route: '/api/v1/failing', status: 404 }]);
  });

  it('passes on what no route answers', async () => {
    expect((await call('DELETE', '/api/v1/things')).status).toBe(404);
    expect((await call('GET', '/api/v1/thing')).status).toBe(404);
    expect(logged.map((line) => line.route)).toEqual(['(unmatched)', '(unmatched)']);
  });
});
