import express from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { TokenStore } from './domain/accounts/account.ts';
import type { Clock } from './domain/ports.ts';
import { errorBody } from './http/error-status.ts';
import { errorHandler, notFound, requestLog } from './http/request-log.ts';
import { bindRoute, type Route } from './http/route.ts';

export interface AppDeps {
  logger: Logger;
  tokens: TokenStore;
  clock: Clock;
  routes: Route[];
  /** Paths whose POSTs are limited per client address (sign-in, citizen claims). */
  rateLimited: { path: string; perMinute: number }[];
  /** The public and parents' pages (src/web), mounted after the API routes. */
  pages?: express.Router;
}

/** The only place where routes meet services. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Responses are per caller and mostly no-store: an ETag would hash every body for nothing.
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.set('trust proxy', false);
  app.use(helmet());
  app.use(requestLog(deps.logger));

  for (const { path, perMinute } of deps.rateLimited) {
    app.post(
      path,
      rateLimit({
        windowMs: 60_000,
        limit: perMinute,
        standardHeaders: 'draft-7',
        legacyHeaders: false,
        handler: (_req, res) => {
          res.status(429).json(errorBody('RATE_LIMITED', 'Too many attempts; wait a minute and try again'));
        },
      }),
    );
  }

  for (const route of deps.routes) app[route.method](route.path, bindRoute(route, deps));
  if (deps.pages) app.use(deps.pages);

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
