import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { TokenStore } from '../domain/accounts/account.ts';
import { signOut } from '../domain/accounts/account-administration.ts';
import { DomainError, type ErrorDetail } from '../domain/errors.ts';
import { readCitizenCertificate } from '../domain/lifecycle/citizen-reads.ts';
import { claimCertificate } from '../domain/lifecycle/claims.ts';
import {
  type ApplicationValidator,
  applicationOfToken,
  applicationStatus,
  applyOnline,
  correctApplication,
  downloaderOf,
  type OnlinePorts,
  reopenApplication,
  signOutOfApplication,
} from '../domain/lifecycle/online-applications.ts';
import type { LifecyclePorts } from '../domain/lifecycle/ports.ts';
import { readPdf, readSignedJson } from '../domain/lifecycle/reads.ts';
import type { PdfInspector, VerificationPorts } from '../domain/verification/ports.ts';
import { createPerAddressLimit } from '../http/routes/verification-routes.ts';
import type { Validate } from '../http/validate.ts';
import { errorsByField } from './field-errors.ts';
import { applicationItemsOf, formOfItems, formValues } from './forms.ts';
import { type PageContext, renderPage } from './layout.tsx';
import { pickLang, readCookie } from './locale.ts';
import { type Lang, translator } from './messages.ts';
import { ApplicationStatusPage, ApplyPage } from './pages/apply.tsx';
import { HomePage } from './pages/home.tsx';
import { CertificatePage, ClaimPage } from './pages/my.tsx';
import { VerifyPage, type VerifyView } from './pages/verify.tsx';
import { readUpload, uploadLimitBytes } from './upload.ts';
import { isPdf, verifyQrText, verifyUpload } from './verify-input.ts';

export interface PagesDeps {
  online: OnlinePorts & Pick<LifecyclePorts, 'claimCodes'>;
  tokens: TokenStore;
  verification: VerificationPorts;
  pdf: PdfInspector;
  validate: Validate;
  /** Wrong claims per client address per minute before the pages answer "too many attempts". */
  attemptsPerMinute: number;
  /** Uploaded PDFs per client address per minute, as for POST /api/v1/verifications. */
  pdfPerAddressPerMinute: number;
  /** QR text → SVG, for the parents' "how others verify it". */
  qrSvg: (text: string) => Promise<string>;
  /** A photo of a QR code → its text, or null when none is found. */
  decodeQrImage: (image: Uint8Array) => Promise<string | null>;
}

/** The project's root: two levels up from src/web, three from the compiled dist/src/web (npm start). */
const root = ['../..', '../../..']
  .map((up) => path.resolve(path.dirname(fileURLToPath(import.meta.url)), up))
  .find((dir) => existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'public')))!;
const publicDir = path.join(root, 'public');
const nodeModules = path.join(root, 'node_modules');

/**
 * Same origin only, no inline script; 'wasm-unsafe-eval' lets the scanner compile its decoder
 * (served from here, never a CDN); blob: for the camera frames.
 */
const csp = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "worker-src 'self'",
  "media-src 'self' blob:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** After a POST: a 303 for a plain form; htmx follows with a full page load of the new address. */
function redirectAfterPost(req: Request, res: Response, to: string) {
  if (req.headers['hx-request'] === 'true') {
    res.setHeader('HX-Redirect', to);
    res.status(204).end();
    return;
  }
  res.redirect(303, to);
}

const MY_COOKIE = 'my_session';
const APPLY_COOKIE = 'apply_session';

function setSession(req: Request, res: Response, name: string, value: string, scope: string, seconds: number) {
  const secure = req.secure ? '; Secure' : '';
  res.append('Set-Cookie', `${name}=${value}; Path=${scope}; Max-Age=${seconds}; HttpOnly; SameSite=Strict${secure}`);
}
const clearSession = (res: Response, name: string, scope: string) =>
  res.append('Set-Cookie', `${name}=; Path=${scope}; Max-Age=0; HttpOnly; SameSite=Strict`);

/** The public and parents' pages: load (use case) → render (template) → respond. */
export function createPagesRouter(deps: PagesDeps): express.Router {
  const router = express.Router();
  const { online: ports, validate } = deps;
  const validateApplication: ApplicationValidator = (body) => validate('application', body);
  const forms = express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 100 });

  const context = (req: Request, res: Response): PageContext => {
    const lang = pickLang(req);
    if (req.query.lang === lang) res.append('Set-Cookie', `lang=${lang}; Path=/; Max-Age=31536000; SameSite=Lax`);
    return { lang, t: translator(lang), path: req.path === '/' ? req.baseUrl || '/' : `${req.baseUrl}${req.path}` };
  };
  const send = (res: Response, status: number, html: string) => {
    res.status(status).type('html').setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('Vary', 'Accept-Language, Cookie');
    res.send(html);
  };

  /** A page of wrong tries, per client address, with a page (not JSON) for the refusal. */
  const limitAttempts = rateLimit({
    windowMs: 60_000,
    limit: deps.attemptsPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
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

  // ---- /verify
  const verifyPage = (req: Request, res: Response, status: number, view: VerifyView) => {
    const ctx = context(req, res);
    send(res, status, renderPage(<VerifyPage ctx={ctx} view={view} />));
  };
  router.get('/verify', (req, res) => verifyPage(req, res, 200, {}));
  router.post('/verify', forms, async (req, res, next) => {
    try {
      const ctx = context(req, res);
      const qr = formValues(req.body).qr ?? '';
      if (qr === '') return verifyPage(req, res, 400, { qrError: ctx.t('verify.qr.missing') });
      const outcome = await verifyQrText(deps.verification, validate, qr);
      verifyPage(req, res, 200, { outcome });
    } catch (error) {
      next(error);
    }
  });
  const allowPdf = createPerAddressLimit(deps.pdfPerAddressPerMinute, () => Date.now());
  router.post('/verify/file', async (req, res, next) => {
    try {
      const ctx = context(req, res);
      const upload = await readUpload(req, uploadLimitBytes);
      if (upload.kind === 'too-large') return verifyPage(req, res, 413, { fileError: ctx.t('verify.file.tooLarge') });
      if (upload.kind === 'none') return verifyPage(req, res, 400, { fileError: ctx.t('verify.file.missing') });
      // A PDF costs the workers far more than a QR text: the same per-address allowance as the API's.
      if (isPdf(upload.bytes) && !allowPdf(req.ip ?? '')) {
        return verifyPage(req, res, 429, { fileError: ctx.t('verify.file.tooMany') });
      }
      const verified = await verifyUpload(deps, validate, upload.bytes).catch((error: unknown) => {
        if (error instanceof DomainError && error.code === 'SERVICE_UNAVAILABLE') return { kind: 'busy' as const };
        throw error;
      });
      if (verified.kind === 'busy') return verifyPage(req, res, 503, { fileError: ctx.t('verify.file.busy') });
      if (verified.kind === 'unknown') return verifyPage(req, res, 400, { fileError: ctx.t('verify.file.unknown') });
      if (verified.kind === 'no-qr') return verifyPage(req, res, 400, { fileError: ctx.t('verify.file.noQr') });
      verifyPage(req, res, 200, { outcome: verified.outcome });
    } catch (error) {
      next(error);
    }
  });

  // ---- /my
  const claimPage = (req: Request, res: Response, status: number, view: Parameters<typeof ClaimPage>[0]['view']) => {
    const ctx = context(req, res);
    send(res, status, renderPage(<ClaimPage ctx={ctx} view={view} />));
  };
  const citizenOf = (req: Request) => {
    const token = readCookie(req, MY_COOKIE);
    return token ? deps.tokens.resolve(token, ports.clock.now()) : null;
  };
  router.get('/my', async (req, res) => {
    const principal = citizenOf(req);
    if (!principal) {
      const expired = readCookie(req, MY_COOKIE) !== undefined;
      if (expired) clearSession(res, MY_COOKIE, '/my');
      const t = translator(pickLang(req));
      return claimPage(req, res, 200, { values: {}, errors: new Map(), alert: expired ? t('my.expired') : undefined });
    }
    const { view } = readCitizenCertificate(ports, principal);
    const ctx = context(req, res);
    send(
      res,
      200,
      renderPage(
        <CertificatePage
          ctx={ctx}
          view={{
            certificate: view.certificate,
            status: view.status,
            supersededBy: view.supersededBy,
            history: view.history,
          }}
        />,
      ),
    );
  });
  router.post('/my', limitAttempts, forms, (req, res) => {
    const lang = pickLang(req);
    const t = translator(lang);
    const values = formValues(req.body);
    const body = {
      certificateNo: (values.certificateNo ?? '').toUpperCase(),
      motherIdNumber: values.motherIdNumber ?? '',
      claimCode: values.claimCode ?? '',
    };
    try {
      const claimed = claimCertificate(ports, deps.tokens, validate('citizen-claim', body));
      setSession(req, res, MY_COOKIE, claimed.accessToken, '/my', claimed.expiresIn);
      redirectAfterPost(req, res, '/my');
    } catch (error) {
      const refusal = pageRefusal(error, lang);
      const alert = refusal.code === 'INVALID_CLAIM' ? t('my.claim.refused') : refusal.alert;
      claimPage(req, res, refusal.status, { values, errors: refusal.errors, alert });
    }
  });
  const myDocument = (kind: 'pdf' | 'signed.json') => async (req: Request, res: Response) => {
    const principal = citizenOf(req);
    if (!principal?.certificateNo) return res.redirect(303, '/my');
    const no = principal.certificateNo;
    res.setHeader('Cache-Control', 'no-store');
    if (kind === 'pdf') {
      res.type('application/pdf').setHeader('Content-Disposition', `attachment; filename="${no}.pdf"`);
      return res.send(Buffer.from(await readPdf(ports, principal, no, undefined)));
    }
    res.type('application/json').setHeader('Content-Disposition', `attachment; filename="${no}.signed.json"`);
    res.send(readSignedJson(ports, principal, no, undefined));
  };
  router.get('/my/pdf', myDocument('pdf'));
  router.get('/my/signed.json', myDocument('signed.json'));
  router.get('/my/qr.svg', async (req, res) => {
    const principal = citizenOf(req);
    if (!principal) return res.status(404).end();
    const { qrText } = readCitizenCertificate(ports, principal);
    res.type('image/svg+xml').setHeader('Cache-Control', 'no-store');
    res.send(await deps.qrSvg(qrText));
  });
  router.post('/my/sign-out', (req, res) => {
    // The claim token ends on the server too: a copy of the cookie opens nothing afterwards.
    const token = readCookie(req, MY_COOKIE);
    const principal = citizenOf(req);
    if (token && principal) signOut({ tokens: deps.tokens, audit: ports.audit, clock: ports.clock }, principal, token);
    clearSession(res, MY_COOKIE, '/my');
    redirectAfterPost(req, res, '/my');
  });

  // ---- /apply
  /** The apply cookie is `<application id>.<its token>`. */
  const applyCookie = (req: Request) => {
    const cookie = readCookie(req, APPLY_COOKIE);
    const dot = cookie?.indexOf('.') ?? -1;
    if (!cookie || dot < 1) return null;
    return { id: cookie.slice(0, dot), token: cookie.slice(dot + 1) };
  };
  const applySession = (req: Request) => {
    const session = applyCookie(req);
    if (!session) return null;
    try {
      return applicationOfToken(ports, session.token, session.id);
    } catch {
      return null;
    }
  };
  const applyPage = (req: Request, res: Response, status: number, view: Parameters<typeof ApplyPage>[0]['view']) => {
    const ctx = context(req, res);
    send(res, status, renderPage(<ApplyPage ctx={ctx} view={view} />));
  };
  const statusPage = (
    req: Request,
    res: Response,
    status: number,
    view: Parameters<typeof ApplicationStatusPage>[0]['view'],
  ) => {
    const ctx = context(req, res);
    send(res, status, renderPage(<ApplicationStatusPage ctx={ctx} view={view} />));
  };
  router.get('/apply', (req, res) => {
    if (applySession(req)) return res.redirect(303, '/apply/status');
    applyPage(req, res, 200, { values: {}, errors: new Map() });
  });
  router.post('/apply', limitAttempts, forms, (req, res) => {
    const lang = pickLang(req);
    const t = translator(lang);
    const values = formValues(req.body);
    const body = {
      applicationCode: values.applicationCode ?? '',
      motherIdNumber: values.motherIdNumber ?? '',
      ...applicationItemsOf(values),
    };
    try {
      const applied = applyOnline(ports, validateApplication, validate('citizen-application', body));
      setSession(req, res, APPLY_COOKIE, `${applied.id}.${applied.accessToken}`, '/apply', applied.expiresIn);
      redirectAfterPost(req, res, '/apply/status');
    } catch (error) {
      const refusal = pageRefusal(error, lang);
      const alert =
        refusal.code === 'INVALID_CLAIM'
          ? t('apply.refused')
          : refusal.code === 'INVALID_STATE'
            ? t('apply.used')
            : refusal.code === 'ALREADY_ISSUED'
              ? t('apply.issuedAlready')
              : refusal.alert;
      applyPage(req, res, refusal.status, { values, errors: refusal.errors, alert });
    }
  });
  router.post('/apply/open', limitAttempts, forms, (req, res) => {
    const lang = pickLang(req);
    const t = translator(lang);
    const values = formValues(req.body);
    try {
      const body = validate('citizen-application-session', {
        applicationCode: values['open.applicationCode'] ?? '',
        motherIdNumber: values['open.motherIdNumber'] ?? '',
      });
      const opened = reopenApplication(ports, body);
      setSession(req, res, APPLY_COOKIE, `${opened.id}.${opened.accessToken}`, '/apply', opened.expiresIn);
      redirectAfterPost(req, res, '/apply/status');
    } catch (error) {
      const refusal = pageRefusal(error, lang);
      const openAlert =
        refusal.code === 'INVALID_CLAIM'
          ? t('apply.refused')
          : refusal.code === 'NOT_FOUND'
            ? t('apply.notYet')
            : refusal.alert;
      applyPage(req, res, refusal.status, {
        values: {},
        errors: new Map(),
        openValues: values,
        openErrors: refusal.errors,
        openAlert,
      });
    }
  });
  router.get('/apply/status', (req, res) => {
    const application = applySession(req);
    if (!application) return res.redirect(303, '/apply');
    const status = applicationStatus(ports, application);
    statusPage(req, res, 200, { status, values: formOfItems(application.input), errors: new Map() });
  });
  router.post('/apply/status', forms, (req, res) => {
    const application = applySession(req);
    if (!application) return res.redirect(303, '/apply');
    const lang = pickLang(req);
    const values = formValues(req.body);
    try {
      const items = validate('citizen-application-correction', applicationItemsOf(values));
      correctApplication(ports, validateApplication, application, items);
      redirectAfterPost(req, res, '/apply/status');
    } catch (error) {
      const refusal = pageRefusal(error, lang);
      statusPage(req, res, refusal.status, {
        status: applicationStatus(ports, application),
        values,
        errors: refusal.errors,
        alert: refusal.alert,
      });
    }
  });
  const applyDocument = (kind: 'pdf' | 'signed.json') => async (req: Request, res: Response) => {
    const application = applySession(req);
    if (!application) return res.redirect(303, '/apply');
    const actor = downloaderOf(application);
    const no = actor.certificateNo!;
    res.setHeader('Cache-Control', 'no-store');
    if (kind === 'pdf') {
      res.type('application/pdf').setHeader('Content-Disposition', `attachment; filename="${no}.pdf"`);
      return res.send(Buffer.from(await readPdf(ports, actor, no, undefined)));
    }
    res.type('application/json').setHeader('Content-Disposition', `attachment; filename="${no}.signed.json"`);
    res.send(readSignedJson(ports, actor, no, undefined));
  };
  router.get('/apply/pdf', applyDocument('pdf'));
  router.get('/apply/signed.json', applyDocument('signed.json'));
  router.post('/apply/sign-out', (req, res) => {
    const session = applyCookie(req);
    if (session) signOutOfApplication(ports, session.token, session.id);
    clearSession(res, APPLY_COOKIE, '/apply');
    redirectAfterPost(req, res, '/apply');
  });

  return router;
}

const statusOf: Record<string, number> = {
  INVALID_REQUEST: 400,
  INVALID_CLAIM: 401,
  NOT_FOUND: 404,
  INVALID_STATE: 409,
  ALREADY_ISSUED: 409,
};

/** A refusal as a page shows it: field errors beside their fields, or one alert. Faults go on. */
function pageRefusal(error: unknown, lang: Lang) {
  if (!(error instanceof DomainError) || !(error.code in statusOf)) throw error;
  const t = translator(lang);
  const fieldDetails: ErrorDetail[] = error.code === 'INVALID_REQUEST' ? error.details : [];
  return {
    code: error.code,
    status: statusOf[error.code]!,
    errors: errorsByField(fieldDetails, lang),
    alert: error.code === 'INVALID_REQUEST' ? t('form.errors', { n: fieldDetails.length }) : t('error.generic'),
  };
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
