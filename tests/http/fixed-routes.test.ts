import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BoundRoute, fixedRoutes } from '../../src/http/fixed-routes.ts';
import { notFound, requestLog } from '../../src/http/request-log.ts';

/** Each handler answers with its own name and the path parameters express gave it. */
const answer =
  (name: string, path: string): RequestHandler =>
  (req, res) => {
    res.locals.route = path;
    res.json({ name, params: req.params });
  };

const table: [BoundRoute['method'], string, string][] = [
  ['get', '/api/v1/things/:id', 'one thing'],
  // Registered after the template above, which takes this path first in express: the map must not.
  ['get', '/api/v1/things/latest', 'latest'],
  ['get', '/api/v1/things', 'list'],
  ['post', '/api/v1/things', 'create'],
  ['get', '/api/v1/things', 'second list'],
  ['get', '/api/v1/other/latest', 'other latest'],
  ['get', '/api/v1/other/:id', 'other one'],
];
const routes: BoundRoute[] = table.map(([method, path, name]) => ({ method, path, handler: answer(name, path) }));

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
  return { status: res.status, body: text ? (JSON.parse(text) as { name?: string; params?: unknown }) : null };
}

describe('fixed routes answered from a map', () => {
  it('answers a fixed path with its route, a query string or not, and the log names the route', async () => {
    expect(await call('GET', '/api/v1/things')).toEqual({ status: 200, body: { name: 'list', params: {} } });
    expect(await call('GET', '/api/v1/things?page=2')).toEqual({ status: 200, body: { name: 'list', params: {} } });
    expect(await call('POST', '/api/v1/things')).toEqual({ status: 200, body: { name: 'create', params: {} } });
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
      body: { name: 'one thing', params: { id: 'latest' } },
    });
    // A fixed path registered before a template that would match it keeps it.
    expect(await call('GET', '/api/v1/other/latest')).toEqual({
      status: 200,
      body: { name: 'other latest', params: {} },
    });
    expect(await call('GET', '/api/v1/other/7')).toEqual({
      status: 200,
      body: { name: 'other one', params: { id: '7' } },
    });
  });

  it('leaves to express what it does not hold exactly: slash, letter case, HEAD, parameters', async () => {
    expect(await call('GET', '/api/v1/things/')).toEqual({ status: 200, body: { name: 'list', params: {} } });
    expect(await call('GET', '/API/V1/Things')).toEqual({ status: 200, body: { name: 'list', params: {} } });
    expect(await call('HEAD', '/api/v1/things')).toEqual({ status: 200, body: null });
    expect(await call('GET', '/api/v1/things/42')).toEqual({
      status: 200,
      body: { name: 'one thing', params: { id: '42' } },
    });
    expect(logged.at(-1)?.route).toBe('/api/v1/things/:id');
  });

  it('passes on what no route answers', async () => {
    expect((await call('DELETE', '/api/v1/things')).status).toBe(404);
    expect((await call('GET', '/api/v1/thing')).status).toBe(404);
    expect(logged.map((line) => line.route)).toEqual(['(unmatched)', '(unmatched)']);
  });
});
