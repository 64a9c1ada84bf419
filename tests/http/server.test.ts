import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../src/http/server.ts';

/**
 * An app using what the service uses of express: a trusted proxy's address, the query, path
 * parameters, locals, status and JSON answers, the error handler and the 404.
 */
function appUnderTest() {
  const app = express();
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple');
  app.use((_req, res, next) => {
    res.locals.seen = 'locals';
    next();
  });
  app.get('/things/:id', (req, res) => {
    res.status(201).json({ id: req.params.id, q: req.query.q ?? null, ip: req.ip, locals: res.locals.seen });
  });
  app.post('/things', express.json(), (req, res) => {
    res.json({ body: req.body as unknown });
  });
  app.get('/failing', () => {
    throw new Error('the handler failed');
  });
  app.use((_req, res) => {
    res.status(404).json({ error: 'none' });
  });
  app.use((_error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: 'handled' });
  });
  return app;
}

/** Whether each request's objects had the app's prototypes before express saw them. */
async function serve(make: (app: express.Express) => http.Server) {
  const app = appUnderTest();
  const server = make(app);
  const prototypesOnArrival: boolean[] = [];
  server.prependListener('request', (req, res) => {
    prototypesOnArrival.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, prototypesOnArrival };
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('createHttpServer', () => {
  it('makes each request and response with the app’s prototypes before express sees them', async () => {
    const made = await serve(createHttpServer);
    const plain = await serve((app) => http.createServer(app));
    for (const { base } of [made, plain]) {
      expect((await fetch(`${base}/things/7`)).status).toBe(201);
      expect((await fetch(`${base}/things/8`)).status).toBe(201);
    }
    expect(made.prototypesOnArrival).toEqual([true, true]);
    // Node's own objects, as `app.listen` makes the server: express changes their prototypes.
    expect(plain.prototypesOnArrival).toEqual([false, false]);
  });

  it('answers as express does on node’s own objects', async () => {
    const made = await serve(createHttpServer);
    const plain = await serve((app) => http.createServer(app));
    const exchange = async (base: string) => {
      const answers = [];
      const requests: [string, RequestInit?][] = [
        ['/things/a%20b?q=x&q2=y', { headers: { 'x-forwarded-for': '203.0.113.9' } }],
        ['/things', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1}' }],
        ['/things', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":' }],
        ['/failing'],
        ['/nowhere'],
        ['/things/1', { method: 'HEAD' }],
      ];
      for (const [path, init] of requests) {
        const res = await fetch(`${base}${path}`, init);
        answers.push({ status: res.status, type: res.headers.get('content-type'), body: await res.text() });
      }
      return answers;
    };
    const answers = await exchange(made.base);
    expect(answers).toEqual(await exchange(plain.base));
    expect(answers.slice(0, 2)).toEqual([
      {
        status: 201,
        type: 'application/json; charset=utf-8',
        body: '{"id":"a b","q":"x","ip":"203.0.113.9","locals":"locals"}',
      },
      { status: 200, type: 'application/json; charset=utf-8', body: '{"body":{"n":1}}' },
    ]);
    expect(answers.slice(2).map((a) => a.status)).toEqual([500, 500, 404, 201]);
  });
});
