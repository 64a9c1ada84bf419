import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import { sharedRateLimitStore } from '../http/rate-limit-store.ts';
import { renderPage } from './layout.tsx';
import { pickLang } from './locale.ts';
import { translator } from './messages.ts';
import { applyRoutes } from './pages/apply-router.tsx';
import { appointmentPageRoutes } from './pages/appointment-router.tsx';
import { HomePage } from './pages/home.tsx';
import { ClaimPage } from './pages/my.tsx';
import { myRoutes } from './pages/my-router.tsx';
import { context, type PageRoutes, type PagesDeps, send } from './pages/routes.tsx';
import { verifyRoutes } from './pages/verify-router.tsx';

/** The project's root: two levels up from src/web, three from the compiled dist/src/web (npm start). */
const root = ['../..', '../../..']
  .map((up) => path.resolve(path.dirname(fileURLToPath(import.meta.url)), up))
  .find((dir) => existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'public')))!;
const publicDir = path.join(root, 'public');
const nodeModules = path.join(root, 'node_modules');

/** The public and parents' pages: load (use case) → render (template) → respond. */
export function createPagesRouter(deps: PagesDeps): express.Router {
  const router = express.Router();
  const forms = express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 100 });

  /** A page of wrong tries, per client address, with a page (not JSON) for the refusal. */
  const limitAttempts = rateLimit({
    windowMs: 60_000,
    limit: deps.attemptsPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: sharedRateLimitStore(deps.rateLimits, 'pages:attempts', () => deps.online.clock.now().getTime()),
    handler: (req, res) => {
      const ctx = context(req, res);
      send(
        res,
        429,
        renderPage(
          <ClaimPage ctx={ctx} view={{ values: {}, errors: new Map(), alert: ctx.t('my.claim.rateLimited') }} />,
        ),
      );
    },
  });

  router.use('/static', express.static(publicDir, { index: false, maxAge: '1h' }));
  router.get('/static/vendor/htmx.min.js', (_req, res) =>
    res.sendFile(path.join(nodeModules, 'htmx.org/dist/htmx.min.js'), { maxAge: '1d' }),
  );
  router.get('/static/vendor/barcode-detector.js', (_req, res) =>
    res.sendFile(path.join(nodeModules, 'barcode-detector/dist/iife/ponyfill.js'), { maxAge: '1d' }),
  );
  router.get('/static/vendor/zxing_reader.wasm', (_req, res) =>
    res.sendFile(path.join(nodeModules, 'zxing-wasm/dist/reader/zxing_reader.wasm'), {
      maxAge: '1d',
      headers: { 'Content-Type': 'application/wasm' },
    }),
  );

  // The offline verifier: its service worker from the origin's root (so it may control /verify)
  // and the manifest that makes the verifier installable.
  router.get('/verify-sw.js', (_req, res) =>
    res.sendFile(path.join(publicDir, 'verify-sw.js'), {
      headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' },
    }),
  );
  router.get('/verify.webmanifest', (req, res) => {
    const t = translator(pickLang(req));
    res.type('application/manifest+json').setHeader('Cache-Control', 'no-cache');
    res.send(verifierManifest(t));
  });

  router.get('/', (req, res) => {
    const ctx = context(req, res);
    send(res, 200, renderPage(<HomePage ctx={ctx} />));
  });

  // ---- /verify, /my, /apply, in the order they were added
  const routes: PageRoutes = { router, deps, forms, limitAttempts };
  verifyRoutes(routes);
  myRoutes(routes);
  applyRoutes(routes);
  appointmentPageRoutes(routes);

  return router;
}

/** The web app manifest of the verifier: opens /verify standalone, works offline once installed. */
function verifierManifest(t: ReturnType<typeof translator>) {
  return JSON.stringify({
    name: t('verify.title'),
    short_name: t('verify.qr.submit'),
    start_url: '/verify',
    scope: '/verify',
    display: 'standalone',
    background_color: '#f3f6f9',
    theme_color: '#0b5cab',
    icons: [
      { src: '/static/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: '/static/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: '/static/icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    ],
  });
}
