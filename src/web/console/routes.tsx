import type express from 'express';
import type { Request, Response } from 'express';
import type { StaffPrincipal, TokenStore } from '../../domain/accounts/account.ts';
import type { AccountAdministration } from '../../domain/accounts/account-administration.ts';
import type { LinkPorts } from '../../domain/accounts/identity.ts';
import type { SignInPorts } from '../../domain/accounts/sign-in.ts';
import type { AppointmentPorts } from '../../domain/appointments/ports.ts';
import type { AuditEventReader } from '../../domain/audit/audit-browse.ts';
import type { AuditCheckpointer } from '../../domain/audit/audit-checkpoint.ts';
import type { AuditLog } from '../../domain/audit/audit-event.ts';
import { DomainError, type ErrorDetail } from '../../domain/errors.ts';
import type { OnlinePorts } from '../../domain/lifecycle/online-applications.ts';
import type { PoliceArchivePorts } from '../../domain/lifecycle/police-archives.ts';
import type { LifecyclePorts } from '../../domain/lifecycle/ports.ts';
import type { readCertificate } from '../../domain/lifecycle/reads.ts';
import type { StockAdministration } from '../../domain/number-stock-administration.ts';
import type { DivisionDirectory } from '../../domain/ports.ts';
import type { RateLimitCounter } from '../../domain/rate-limits.ts';
import type { ReportPorts, ReportsStore } from '../../domain/reports/reports.ts';
import type { KeyAdministration } from '../../domain/trust/key-administration.ts';
import type { PdfInspector, VerificationPorts } from '../../domain/verification/ports.ts';
import type { Validate } from '../../http/validate.ts';
import type { ConsoleUser } from '../console-layout.tsx';
import { type ConsoleKey, isConsoleKey, consoleT as t } from '../console-messages.ts';
import type { ConsoleSessions } from '../console-session.ts';
import { errorsByField } from '../field-errors.ts';
import { renderPage } from '../layout.tsx';
import type { CertificateSummary } from './components.tsx';
import { fieldsAlert } from './page-errors.ts';
import { ForbiddenPage, MessagePage } from './shared-pages.tsx';

export interface ConsoleDeps {
  sessions: ConsoleSessions;
  signIn: Omit<SignInPorts, 'tokenTtlSeconds' | 'tokens'>;
  tokens: TokenStore;
  online: OnlinePorts & LifecyclePorts;
  verification: VerificationPorts;
  pdf: PdfInspector;
  validate: Validate;
  decodeQrImage: (image: Uint8Array) => Promise<string | null>;
  qrSvg: (text: string) => Promise<string>;
  /** Sign-in attempts per username and address per minute, as for POST /api/v1/auth/token. */
  signInPerMinute: number;
  /** The counters of the per-minute limits, shared by every node (the database). */
  rateLimits: RateLimitCounter;
  /** The police archive (留档). */
  archives: PoliceArchivePorts;
  /** GB/T 2260 divisions, for codes checked as they are typed. */
  divisions: DivisionDirectory;
  /** 预约取证: the issuer's day list, handover and slots. */
  appointments: AppointmentPorts;
  /** The administrator's ports: keys and institutions, accounts, number stock and its use. */
  admin: {
    keys: KeyAdministration;
    accounts: AccountAdministration;
    stock: StockAdministration;
    usage: ReportsStore['usage'];
  };
  /** A strong random password for a new or reset account, shown once to the admin. */
  newPassword: () => string;
  /** The sign-in page offers the health commission's identity provider (configured). */
  staffOidc?: boolean;
  /** The auditor's: the log's filtered reads, the log itself (exports are recorded) and its checkpoints. */
  audit: { events: AuditEventReader; log: AuditLog; checkpoints: AuditCheckpointer };
  /** The statistician's reports, and county names for them. */
  reports: ReportPorts;
  /** Staff accounts' links to identity-provider subjects (the administrator's account page). */
  identityLinks: LinkPorts;
  /** The health commission's provider's issuer, when configured: the link form starts with it. */
  staffIssuer?: string | undefined;
}

/** Same origin, no inline script; the certificate PDF may be framed by the console's own pages. */
export const csp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

type Locals = { principal: StaffPrincipal; user: ConsoleUser; token: string };
export const locals = (res: Response) => res.locals as Locals;

/**
 * A page whose form starts a sign-in at an identity provider (res.locals.formTarget, its origin):
 * CSP's form-action also governs the redirect after the post, so that origin is allowed too.
 */
export const withFormTarget = (policy: string, target: unknown) =>
  typeof target === 'string' ? policy.replace("form-action 'self'", `form-action 'self' ${target}`) : policy;

export const send = (res: Response, status: number, node: { toString(): string }) => {
  res.status(status).type('html').setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', withFormTarget(csp, res.locals.formTarget));
  res.send(renderPage(node));
};

export function redirectAfterPost(req: Request, res: Response, to: string) {
  if (req.headers['hx-request'] === 'true') {
    res.setHeader('HX-Redirect', to);
    res.status(204).end();
    return;
  }
  res.redirect(303, to);
}

const statusOf: Record<string, number> = {
  INVALID_REQUEST: 400,
  PURPOSE_REQUIRED: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_STATE: 409,
  ALREADY_ISSUED: 409,
  ALREADY_REGISTERED: 409,
  CROSS_CHECK_FAILED: 409,
  NUMBERS_EXHAUSTED: 409,
};

/** A refusal as a page shows it: the API's details beside their fields, one alert for the rest. Faults go on. */
export function refusalOf(error: unknown, rename: Record<string, string> = {}) {
  if (!(error instanceof DomainError) || !(error.code in statusOf)) throw error;
  const fieldDetails: ErrorDetail[] =
    error.code === 'INVALID_REQUEST' || error.code === 'PURPOSE_REQUIRED'
      ? error.details.map((d) => ({ ...d, path: rename[d.path] ?? d.path }))
      : [];
  const usedForHousehold = error.details.some((d) => d.message.includes('household registration'));
  const key = usedForHousehold ? 'refusal.usedForHousehold' : `refusal.${error.code}`;
  const errors = errorsByField(fieldDetails, 'zh-CN');
  return {
    code: error.code,
    status: statusOf[error.code]!,
    errors,
    alert:
      fieldDetails.length > 0
        ? fieldsAlert(errors)
        : isConsoleKey(key)
          ? t(key as ConsoleKey)
          : t('console.error.generic'),
  };
}

export type RecordView = ReturnType<typeof readCertificate>;
export const summaryOf = (view: RecordView): CertificateSummary => ({
  certificateNo: view.certificate.certificateNo,
  status: view.status,
  newbornName: view.certificate.newborn.name,
  sex: view.certificate.newborn.sex,
  birthTime: view.certificate.newborn.birthTime,
  motherName: view.certificate.mother.name,
  issuerName: view.certificate.issuer.name,
  issueDate: view.certificate.issueDate,
  householdRegistration: view.householdRegistration,
  supersededBy: view.supersededBy,
});

export const notFound = (res: Response) =>
  send(res, 404, <MessagePage user={locals(res).user} title={t('console.notFound')} body={t('console.notFound')} />);
/** NOT_FOUND / FORBIDDEN of a guard as the 404 or 403 page. */
export const guarded = (res: Response, error: unknown) => {
  if (error instanceof DomainError && error.code === 'NOT_FOUND') return notFound(res);
  if (error instanceof DomainError && error.code === 'FORBIDDEN') {
    return send(res, 403, <ForbiddenPage user={locals(res).user} />);
  }
  throw error;
};

export const param = (req: Request, name: string) => {
  const value = (req.params as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
};

/** What a role's routes are added with: the console's router, its dependencies, the checks every POST passes. */
export interface ConsoleRoutes {
  router: express.Router;
  deps: ConsoleDeps;
  /** Form parsing, then the session's CSRF token. */
  post: express.RequestHandler[];
  now: () => Date;
}
