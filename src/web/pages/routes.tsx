import type express from 'express';
import type { Request, Response } from 'express';
import type { TokenStore } from '../../domain/accounts/account.ts';
import type { IdentityPorts, IdentityProvider, IdentityRequirements } from '../../domain/accounts/identity.ts';
import type { AppointmentPorts } from '../../domain/appointments/ports.ts';
import { DomainError, type ErrorDetail } from '../../domain/errors.ts';
import type { OnlinePorts } from '../../domain/lifecycle/online-applications.ts';
import type { LifecyclePorts } from '../../domain/lifecycle/ports.ts';
import type { RateLimitCounter } from '../../domain/rate-limits.ts';
import type { PdfInspector, VerificationPorts } from '../../domain/verification/ports.ts';
import type { Validate } from '../../http/validate.ts';
import { withFormTarget } from '../console/routes.tsx';
import { errorsByField } from '../field-errors.ts';
import type { PageContext } from '../layout.tsx';
import { pickLang } from '../locale.ts';
import { type Lang, translator } from '../messages.ts';

/** One identity provider as the pages use it: the client and what its answers must show. */
export interface OidcSide {
  provider: IdentityProvider;
  requirements: IdentityRequirements;
}

export interface PagesDeps {
  online: OnlinePorts & Pick<LifecyclePorts, 'claimCodes'>;
  tokens: TokenStore;
  verification: VerificationPorts;
  pdf: PdfInspector;
  validate: Validate;
  /** Wrong claims per client address per minute before the pages answer "too many attempts". */
  attemptsPerMinute: number;
  /** The counters of the per-minute limits, shared by every node (the database). */
  rateLimits: RateLimitCounter;
  /** Uploaded PDFs per client address per minute, as for POST /api/v1/verifications. */
  pdfPerAddressPerMinute: number;
  /** QR text → SVG, for the parents' "how others verify it". */
  qrSvg: (text: string) => Promise<string>;
  /** A photo of a QR code → its text, or null when none is found. */
  decodeQrImage: (image: Uint8Array) => Promise<string | null>;
  /** 预约取证: collection slots and the parents' appointments. */
  appointments: AppointmentPorts;
  /** Sign-in through the government platform on /apply and /my; absent when not configured. */
  oidc?: { identity: IdentityPorts; side: OidcSide } | undefined;
}

/**
 * Same origin only, no inline script; 'wasm-unsafe-eval' lets the scanner compile its decoder
 * (served from here, never a CDN); blob: for the camera frames.
 */
export const csp = [
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
export function redirectAfterPost(req: Request, res: Response, to: string) {
  if (req.headers['hx-request'] === 'true') {
    res.setHeader('HX-Redirect', to);
    res.status(204).end();
    return;
  }
  res.redirect(303, to);
}

export function setSession(req: Request, res: Response, name: string, value: string, scope: string, seconds: number) {
  const secure = req.secure ? '; Secure' : '';
  res.append('Set-Cookie', `${name}=${value}; Path=${scope}; Max-Age=${seconds}; HttpOnly; SameSite=Strict${secure}`);
}
export const clearSession = (res: Response, name: string, scope: string) =>
  res.append('Set-Cookie', `${name}=; Path=${scope}; Max-Age=0; HttpOnly; SameSite=Strict`);

export const context = (req: Request, res: Response): PageContext => {
  const lang = pickLang(req);
  if (req.query.lang === lang) res.append('Set-Cookie', `lang=${lang}; Path=/; Max-Age=31536000; SameSite=Lax`);
  return { lang, t: translator(lang), path: req.path === '/' ? req.baseUrl || '/' : `${req.baseUrl}${req.path}` };
};
export const send = (res: Response, status: number, html: string) => {
  res.status(status).type('html').setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', withFormTarget(csp, res.locals.formTarget));
  res.setHeader('Vary', 'Accept-Language, Cookie');
  res.send(html);
};

const statusOf: Record<string, number> = {
  INVALID_REQUEST: 400,
  INVALID_CLAIM: 401,
  NOT_FOUND: 404,
  INVALID_STATE: 409,
  ALREADY_ISSUED: 409,
};

/** A refusal as a page shows it: field errors beside their fields, or one alert. Faults go on. */
export function pageRefusal(error: unknown, lang: Lang) {
  if (!(error instanceof DomainError) || !(error.code in statusOf)) throw error;
  const t = translator(lang);
  const fieldDetails: ErrorDetail[] = error.code === 'INVALID_REQUEST' ? error.details : [];
  const errors = errorsByField(fieldDetails, lang);
  return {
    code: error.code,
    status: statusOf[error.code]!,
    errors,
    // Counted by field: one field can have two messages.
    alert: error.code === 'INVALID_REQUEST' ? t('form.errors', { n: errors.size }) : t('error.generic'),
  };
}

/** What a page's routes are added with: the router, its dependencies, the form parser, the wrong-try limit. */
export interface PageRoutes {
  router: express.Router;
  deps: PagesDeps;
  forms: express.RequestHandler;
  limitAttempts: express.RequestHandler;
}
