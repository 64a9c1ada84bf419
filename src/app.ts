import express from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { TokenStore } from './domain/accounts/account.ts';
import type { Clock } from './domain/ports.ts';
import type { RateLimitCounter } from './domain/rate-limits.ts';
import { errorBody } from './http/error-status.ts';
import { fixedRoutes } from './http/fixed-routes.ts';
import { sharedRateLimitStore } from './http/rate-limit-store.ts';
import { readJsonBody } from './http/read-body.ts';
import { errorHandler, notFound, requestLog } from './http/request-log.ts';
import { bindRoute, type Route } from './http/route.ts';
import type { Validate } from './http/validate.ts';

/**
 * What a route's rate limit counts by: the client address, or a field of the JSON body (the
 * username for sign-in, the certificate number for claims) together with the address. Keyed so,
 * one stranger behind a hospital's NAT uses up only the allowance of the accounts they try, and a
 * stranger elsewhere cannot use up the owner's. Requests without a usable field are counted per
 * address in a bucket of their own.
 */
export type RateLimitKey = { by: 'address' } | { by: 'body'; field: string };

export interface AppDeps {
  logger: Logger;
  tokens: TokenStore;
  clock: Clock;
  routes: Route[];
  /** Validates the body of every route that declares a schema. */
  validate: Validate;
  /** POST paths with a rate limit per minute. */
  rateLimited: { path: string; perMinute: number; key: RateLimitKey }[];
  /** The counters of those limits, shared by every node (the database). */
  rateLimits: RateLimitCounter;
  /** Express's `trust proxy`: false, a hop count, or the proxies' addresses (config TRUST_PROXY). */
  trustProxy: false | number | readonly string[];
  /** The public and parents' pages (src/web), mounted after the API routes. */
  pages?: express.Router;
}

/**
 * Headers that speak only to HTML: a document's browsing context and DNS prefetching, the old XSS
 * filter, and IE8's opening of a downloaded HTML file in the site's context.
 */
const documentOnlyHeaders = new Set([
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-xss-protection',
]);

/**
 * helmet's headers on every answer. The API's answers (JSON, PDFs, CSV, certificates; never a
 * page) get helmet's values for what protects such a body (CSP, CORP, HSTS, nosniff, framing,
 * referrer, cross-domain policies), read from helmet once and then set from that list: helmet's
 * chain of twelve middlewares and the five document-only headers cost verification, the
 * busiest route, about 4 % of its time. Pages and everything else get helmet itself.
 */
function securityHeaders(): express.RequestHandler {
  const forPages = helmet();
  const forApi: [string, string][] = [];
  const recorder = {
    setHeader(name: string, value: unknown) {
      if (!documentOnlyHeaders.has(name.toLowerCase())) forApi.push([name, String(value)]);
    },
    removeHeader() {},
  };
  forPages({} as express.Request, recorder as unknown as express.Response, () => {});
  return (req, res, next) => {
    if (!req.url.startsWith('/api/')) return forPages(req, res, next);
    for (const [name, value] of forApi) res.setHeader(name, value);
    next();
  };
}

const address = (req: express.Request) => ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? '');

/** The only place where routes meet services. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Responses are per caller and mostly no-store: an ETag would hash every body for nothing.
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.set('trust proxy', Array.isArray(deps.trustProxy) ? [...deps.trustProxy] : deps.trustProxy);
  app.use(securityHeaders());
  app.use(requestLog(deps.logger));

  for (const { path, perMinute, key } of deps.rateLimited) {
    if (key.by === 'body') {
      // The key is in the body: parse it here (same parser and limits as the routes, which get
      // the same parse from readJsonBody). A bad body is the route's usual 400.
      app.post(path, async (req, res, next) => {
        try {
          res.locals.jsonBody = await readJsonBody(req);
          next();
        } catch (error) {
          next(error);
        }
      });
    }
    app.post(
      path,
      rateLimit({
        windowMs: 60_000,
        limit: perMinute,
        standardHeaders: 'draft-7',
        legacyHeaders: false,
        store: sharedRateLimitStore(deps.rateLimits, `api:${path}`, () => deps.clock.now().getTime()),
        keyGenerator: (req, res) => {
          if (key.by === 'address') return `address:${address(req)}`;
          const body = res.locals.jsonBody as Record<string, unknown> | null | undefined;
          const value = body !== null && typeof body === 'object' ? body[key.field] : undefined;
          return typeof value === 'string' && value.length > 0 && value.length <= 64
            ? `${key.field}:${value}:${address(req)}`
            : `no-${key.field}:${address(req)}`;
        },
        handler: (_req, res) => {
          res.status(429).json(errorBody('RATE_LIMITED', 'Too many attempts; wait a minute and try again'));
        },
      }),
    );
  }

  const bound = deps.routes.map((route) => ({ ...route, handler: bindRoute(route, deps) }));
  app.use(fixedRoutes(bound));
  for (const { method, path, handler } of bound) app[method](path, handler);
  if (deps.pages) app.use(deps.pages);

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
