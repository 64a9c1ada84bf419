import express, { type NextFunction, type Request, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Role } from '../domain/accounts/account.ts';
import { signIn } from '../domain/accounts/sign-in.ts';
import { DomainError } from '../domain/errors.ts';
import { sharedRateLimitStore } from '../http/rate-limit-store.ts';
import { adminRoutes } from './console/admin-router.tsx';
import { agencyRoutes } from './console/agency-router.tsx';
import { archiveRoutes } from './console/archive-router.tsx';
import { auditorRoutes } from './console/auditor-router.tsx';
import { collectionRoutes } from './console/collection-router.tsx';
import { issuerRoutes } from './console/issuer-router.tsx';
import { midwifeRoutes } from './console/midwife-router.tsx';
import { policeRoutes } from './console/police-router.tsx';
import { type ConsoleDeps, type ConsoleRoutes, locals, notFound, redirectAfterPost, send } from './console/routes.tsx';
import { ForbiddenPage, MessagePage, SignInPage } from './console/shared-pages.tsx';
import { statisticianRoutes } from './console/statistician-router.tsx';
import { consoleT as t } from './console-messages.ts';
import { crossOrigin } from './console-session.ts';
import { formValues } from './forms.ts';

export const homeOf: Record<Role, string> = {
  midwife: '/console/midwife',
  issuer: '/console/issuer',
  police: '/console/police',
  agency: '/console/agency',
  admin: '/console/admin',
  auditor: '/console/auditor',
  statistician: '/console/statistician',
};

/** The staff console: sign-in, then each role's pages, every action through the API's use cases. */
export function createConsoleRouter(deps: ConsoleDeps): express.Router {
  const router = express.Router();
  const { sessions, online: ports } = deps;
  const forms = express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 100 });
  const now = () => ports.clock.now();
  /** The sign-in page, with the identity provider's button where one is configured. */
  const SignIn = (props: Parameters<typeof SignInPage>[0]) => SignInPage({ ...props, oidc: deps.staffOidc });

  // Every POST: from our own origin only (before anything else is read).
  router.post('/console/{*rest}', (req, res, next) => {
    if (!crossOrigin(req)) return next();
    send(res, 403, <MessagePage title={t('console.csrf.title')} body={t('console.csrf.body')} />);
  });

  // ---- sign-in
  const signInLimit = rateLimit({
    windowMs: 60_000,
    limit: deps.signInPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: sharedRateLimitStore(deps.rateLimits, 'console:sign-in', () => now().getTime()),
    keyGenerator: (req) => {
      const body = formValues(req.body);
      return `${(body.username ?? '').slice(0, 64)}:${ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? '')}`;
    },
    handler: (req, res) =>
      send(res, 429, <SignIn values={formValues(req.body)} alert={t('console.signIn.rateLimited')} />),
  });
  router.get('/console/sign-in', (req, res) => {
    if (sessions.current(req)) return res.redirect(303, '/console');
    const expired = sessions.hadCookie(req);
    if (expired) sessions.end(res, undefined);
    send(res, expired ? 401 : 200, <SignIn alert={expired ? t('console.signIn.expired') : undefined} />);
  });
  router.post('/console/sign-in', forms, signInLimit, async (req, res, next) => {
    const values = formValues(req.body);
    const username = values.username ?? '';
    const password = typeof req.body?.password === 'string' ? (req.body.password as string) : '';
    if (!username || !password) {
      return send(res, 400, <SignIn values={{ username }} alert={t('console.signIn.missing')} />);
    }
    try {
      const result = await signIn(
        { ...deps.signIn, tokens: deps.tokens, tokenTtlSeconds: sessions.policy.lifetimeSeconds },
        username,
        password,
        req.ip ?? '',
      );
      sessions.begin(req, res, result.token);
      res.redirect(303, homeOf[result.role]);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'INVALID_CREDENTIALS') {
        return send(res, 401, <SignIn values={{ username }} alert={t('console.signIn.refused')} />);
      }
      next(error);
    }
  });

  // ---- every other console page needs a live session
  router.use('/console', (req, res, next) => {
    const session = sessions.current(req);
    if (!session) {
      if (sessions.hadCookie(req)) sessions.end(res, undefined);
      if (req.method === 'GET' && req.headers['hx-request'] !== 'true') return res.redirect(303, '/console/sign-in');
      return send(res, 401, <SignIn alert={t('console.signIn.expired')} />);
    }
    const { principal, token } = session;
    res.locals.principal = principal;
    res.locals.token = token;
    res.locals.user = { username: principal.username, role: principal.role, csrf: sessions.csrfOf(token) };
    next();
  });
  // Every POST carries the session's synchronizer token (multipart forms are checked where read).
  const csrf = (req: Request, res: Response, next: NextFunction) => {
    if (sessions.checkCsrf(locals(res).token, req.body?._csrf)) return next();
    send(
      res,
      403,
      <MessagePage user={locals(res).user} title={t('console.csrf.title')} body={t('console.csrf.body')} />,
    );
  };
  const post = [forms, csrf];

  router.get('/console', (_req, res) => res.redirect(303, homeOf[locals(res).principal.role]));
  router.get('/console/home', (_req, res) =>
    send(res, 200, <MessagePage user={locals(res).user} title={t('home.title')} body={t('home.body')} />),
  );
  router.post('/console/sign-out', ...post, (req, res) => {
    sessions.end(res, locals(res).token);
    redirectAfterPost(req, res, '/console/sign-in');
  });

  /** A role's part of the console: anyone else gets the 403 page. */
  const only = (role: Role) => (_req: Request, res: Response, next: NextFunction) => {
    if (locals(res).principal.role === role) return next();
    send(res, 403, <ForbiddenPage user={locals(res).user} />);
  };
  router.use('/console/midwife', only('midwife'));
  router.use('/console/issuer', only('issuer'));
  router.use('/console/police', only('police'));
  router.use('/console/admin', only('admin'));
  router.use('/console/agency', only('agency'));
  router.use('/console/auditor', only('auditor'));
  router.use('/console/statistician', only('statistician'));

  // ---- each role's pages, in the order they were added
  const routes: ConsoleRoutes = { router, deps, post, now };
  midwifeRoutes(routes);
  issuerRoutes(routes);
  policeRoutes(routes);
  archiveRoutes(routes);
  collectionRoutes(routes);
  adminRoutes(routes);
  agencyRoutes(routes);
  auditorRoutes(routes);
  statisticianRoutes(routes);

  router.use('/console', (_req, res) => notFound(res));
  return router;
}
