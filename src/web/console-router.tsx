import express, { type NextFunction, type Request, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Role, StaffPrincipal, TokenStore } from '../domain/accounts/account.ts';
import { type SignInPorts, signIn } from '../domain/accounts/sign-in.ts';
import { DomainError, type ErrorDetail } from '../domain/errors.ts';
import { reissueCertificate, replaceCertificate } from '../domain/lifecycle/amend.ts';
import { applicationQueue, returnApplication } from '../domain/lifecycle/application-review.ts';
import { newClaimCode } from '../domain/lifecycle/claims.ts';
import { crossCheck } from '../domain/lifecycle/cross-check.ts';
import { deliveryEntryWindowMs, recentDeliveries } from '../domain/lifecycle/deliveries.ts';
import { ownApplication, ownCertificate } from '../domain/lifecycle/guards.ts';
import { householdProblems, recordHouseholdRegistration } from '../domain/lifecycle/household.ts';
import { issueCertificate } from '../domain/lifecycle/issue.ts';
import type { QueueStatus } from '../domain/lifecycle/online-application-ports.ts';
import { type OnlinePorts, recordDeliveryWithCode } from '../domain/lifecycle/online-applications.ts';
import type { Issuer, LifecyclePorts, Midwife, PoliceOfficer } from '../domain/lifecycle/ports.ts';
import { readCertificate, readPdf, searchByMother } from '../domain/lifecycle/reads.ts';
import { voidCertificate } from '../domain/lifecycle/void.ts';
import type { PdfInspector, VerificationPorts } from '../domain/verification/ports.ts';
import type { Validate } from '../http/validate.ts';
import type { ConsoleUser } from './console-layout.tsx';
import { type ConsoleKey, isConsoleKey, consoleT as t } from './console-messages.ts';
import {
  CertificatePage,
  type CertificateSummary,
  DeliveryCheck,
  type DeliveryFormView,
  DischargeSlipPage,
  ForbiddenPage,
  type FormValues,
  HouseholdCheck,
  IssuerSearchPage,
  MessagePage,
  MidwifePage,
  PolicePage,
  type PoliceView,
  QueuePage,
  ReviewPage,
  type ReviewRow,
  SignInPage,
} from './console-pages.tsx';
import { type ConsoleSessions, crossOrigin } from './console-session.ts';
import { errorsByField } from './field-errors.ts';
import { formValues } from './forms.ts';
import { renderPage } from './layout.tsx';
import { readUpload, uploadLimitBytes } from './upload.ts';
import { isPdf, verifyQrText, verifyUpload } from './verify-input.ts';

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
}

/** Same origin, no inline script; the certificate PDF may be framed by the console's own pages. */
const csp = [
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
const locals = (res: Response) => res.locals as Locals;

const send = (res: Response, status: number, node: { toString(): string }) => {
  res.status(status).type('html').setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', csp);
  res.send(renderPage(node));
};

function redirectAfterPost(req: Request, res: Response, to: string) {
  if (req.headers['hx-request'] === 'true') {
    res.setHeader('HX-Redirect', to);
    res.status(204).end();
    return;
  }
  res.redirect(303, to);
}

const homeOf: Record<Role, string> = {
  midwife: '/console/midwife',
  issuer: '/console/issuer',
  police: '/console/police',
  agency: '/console/home',
  admin: '/console/home',
  auditor: '/console/home',
  statistician: '/console/home',
};

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
function refusalOf(error: unknown, rename: Record<string, string> = {}) {
  if (!(error instanceof DomainError) || !(error.code in statusOf)) throw error;
  const fieldDetails: ErrorDetail[] =
    error.code === 'INVALID_REQUEST' || error.code === 'PURPOSE_REQUIRED'
      ? error.details.map((d) => ({ ...d, path: rename[d.path] ?? d.path }))
      : [];
  const usedForHousehold = error.details.some((d) => d.message.includes('household registration'));
  const key = usedForHousehold ? 'refusal.usedForHousehold' : `refusal.${error.code}`;
  return {
    code: error.code,
    status: statusOf[error.code]!,
    errors: errorsByField(fieldDetails, 'zh-CN'),
    alert:
      fieldDetails.length > 0
        ? t('console.form.errors', { n: fieldDetails.length })
        : isConsoleKey(key)
          ? t(key as ConsoleKey)
          : t('console.error.generic'),
  };
}

const digits = (text: string | undefined) => (text !== undefined && /^[0-9]{1,6}$/.test(text) ? Number(text) : text);
const decimal = (text: string | undefined) =>
  text !== undefined && /^[0-9]{1,3}(\.[0-9])?$/.test(text) ? Number(text) : text;
/** datetime-local (no zone) is Beijing time at a Chinese ward. */
const beijing = (text: string | undefined) =>
  text && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text) ? `${text}+08:00` : (text ?? '');

/** The delivery form → the body of POST /api/v1/deliveries; rules stay with the validator. */
function deliveryBodyOf(v: FormValues) {
  return {
    newborn: {
      sex: v['newborn.sex'] ?? '',
      birthTime: beijing(v['newborn.birthTime']),
      gestation: { weeks: digits(v['newborn.gestation.weeks']), days: digits(v['newborn.gestation.days']) },
      weightGrams: digits(v['newborn.weightGrams']),
      lengthCm: decimal(v['newborn.lengthCm']),
      health: v['newborn.health'] ?? '',
    },
    birthPlaceCategory: v.birthPlaceCategory ?? '',
    birthPlace: { divisionCode: v['birthPlace.divisionCode'] ?? '' },
    mother: {
      name: v['mother.name'] ?? '',
      age: digits(v['mother.age']),
      nationality: (v['mother.nationality'] ?? '').toUpperCase(),
      ethnicity: v['mother.ethnicity'] ? v['mother.ethnicity'] : null,
      address: v['mother.address'] ?? '',
      idType: v['mother.idType'] ?? '',
      idNumber: (v['mother.idNumber'] ?? '').toUpperCase(),
    },
    hospitalRecordNo: v.hospitalRecordNo ?? '',
    midwifeName: v.midwifeName ?? '',
    ...(v.lateEntryReason ? { lateEntryReason: v.lateEntryReason } : {}),
  };
}

/** Completes a half-filled delivery form for the as-you-type check (see the validate route). */
const probeValues = (now: Date): FormValues => ({
  'newborn.sex': '1',
  'newborn.birthTime': new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 16),
  'newborn.gestation.weeks': '39',
  'newborn.gestation.days': '0',
  'newborn.weightGrams': '3300',
  'newborn.lengthCm': '50',
  'newborn.health': '1',
  birthPlaceCategory: '1',
  'mother.name': '王某',
  'mother.age': '30',
  'mother.nationality': 'CHN',
  'mother.ethnicity': '01',
  'mother.address': '某地',
  'mother.idType': '01',
  hospitalRecordNo: 'ZY0',
  midwifeName: '某',
});

/**
 * The errors of the boxes filled in so far. The schema stops at the first missing box, before the
 * rules: the empty boxes are completed with a plain sample for this check only, and only the
 * filled boxes are judged (empty ones wait for "save").
 */
function filledErrorsOf(validate: Validate, values: FormValues, now: Date): Map<string, string[]> {
  const probe: FormValues = { ...probeValues(now) };
  for (const [name, value] of Object.entries(values)) if (value !== '') probe[name] = value;
  try {
    validate('delivery', deliveryBodyOf(probe));
    return new Map();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return errorsByField(
      error.details.filter((d) => (values[d.path] ?? '') !== ''),
      'zh-CN',
    );
  }
}

const isLate = (v: FormValues, now: Date) => {
  const at = Date.parse(beijing(v['newborn.birthTime']));
  return Number.isFinite(at) && now.getTime() - at > deliveryEntryWindowMs;
};

type RecordView = ReturnType<typeof readCertificate>;
const summaryOf = (view: RecordView): CertificateSummary => ({
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

/** The staff console: sign-in, then each role's pages, every action through the API's use cases. */
export function createConsoleRouter(deps: ConsoleDeps): express.Router {
  const router = express.Router();
  const { sessions, online: ports, validate } = deps;
  const forms = express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 100 });
  const now = () => ports.clock.now();

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
    keyGenerator: (req) => {
      const body = formValues(req.body);
      return `${(body.username ?? '').slice(0, 64)}:${ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? '')}`;
    },
    handler: (req, res) =>
      send(res, 429, <SignInPage values={formValues(req.body)} alert={t('console.signIn.rateLimited')} />),
  });
  router.get('/console/sign-in', (req, res) => {
    if (sessions.current(req)) return res.redirect(303, '/console');
    const expired = sessions.hadCookie(req);
    if (expired) sessions.end(res, undefined);
    send(res, expired ? 401 : 200, <SignInPage alert={expired ? t('console.signIn.expired') : undefined} />);
  });
  router.post('/console/sign-in', forms, signInLimit, async (req, res, next) => {
    const values = formValues(req.body);
    const username = values.username ?? '';
    const password = typeof req.body?.password === 'string' ? (req.body.password as string) : '';
    if (!username || !password) {
      return send(res, 400, <SignInPage values={{ username }} alert={t('console.signIn.missing')} />);
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
        return send(res, 401, <SignInPage values={{ username }} alert={t('console.signIn.refused')} />);
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
      return send(res, 401, <SignInPage alert={t('console.signIn.expired')} />);
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
    send(res, 200, <MessagePage user={locals(res).user} title={t('home.title')} body={t('home.notYet')} />),
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

  // ---- midwife
  const midwife = (res: Response) => locals(res).principal as Midwife;
  const midwifePage = (res: Response, status: number, view: DeliveryFormView) =>
    send(
      res,
      status,
      <MidwifePage user={locals(res).user} view={view} recent={recentDeliveries(ports, midwife(res), 20)} />,
    );
  router.get('/console/midwife', (_req, res) => {
    const own = ports.institutions.find(midwife(res).institution);
    midwifePage(res, 200, {
      values: { 'birthPlace.divisionCode': own?.divisionCode ?? '', 'mother.nationality': 'CHN' },
      errors: new Map(),
      late: false,
    });
  });
  const filledBoxErrors = (values: FormValues) => filledErrorsOf(validate, values, now());
  router.post('/console/midwife/deliveries/validate', ...post, (req, res) => {
    const values = formValues(req.body);
    const late = isLate(values, now());
    const errors = filledBoxErrors(values);
    // A fragment for htmx to swap in, not a page.
    res.status(200).type('html').setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', csp);
    // Whether the page the request came from shows the late-entry box (its value is sent when it does).
    const lateShown = 'lateEntryReason' in values;
    res.send(String(<DeliveryCheck view={{ values, errors, late }} lateShown={lateShown} />));
  });
  router.post('/console/midwife/deliveries', ...post, async (req, res) => {
    const values = formValues(req.body);
    const late = isLate(values, now());
    try {
      const body = validate('delivery', deliveryBodyOf(values));
      const record = recordDeliveryWithCode(ports, midwife(res), body);
      const { applicationCode, ...delivery } = record;
      send(
        res,
        201,
        <DischargeSlipPage
          user={locals(res).user}
          delivery={delivery}
          applicationCode={applicationCode}
          qrSvg={await deps.qrSvg(applicationCode)}
        />,
      );
    } catch (error) {
      const refusal = refusalOf(error);
      // The schema names the first empty required box only; what was filled in is judged as well,
      // so a page without JavaScript shows every mistake at once.
      const errors = new Map<string, string[]>([...filledBoxErrors(values), ...refusal.errors]);
      // A box left empty is named as missing, not as "too short" or "not an integer".
      for (const name of errors.keys()) if ((values[name] ?? '') === '') errors.set(name, [t('console.required')]);
      midwifePage(res, refusal.status, {
        values,
        errors,
        alert: refusal.alert,
        late: late || errors.has('lateEntryReason'),
      });
    }
  });

  // ---- issuer
  const issuer = (res: Response) => locals(res).principal as Issuer;
  router.get('/console/issuer', (req, res) => {
    const status = (['submitted', 'returned', 'issued'] as const).find((s) => s === req.query.status) ?? 'submitted';
    const { applications } = applicationQueue(ports, issuer(res), status);
    send(res, 200, <QueuePage user={locals(res).user} status={status as QueueStatus} entries={applications} />);
  });
  const reviewPage = (
    res: Response,
    id: string,
    status: number,
    extra: { values?: FormValues; errors?: Map<string, string[]>; alert?: string | undefined } = {},
  ) => {
    const actor = issuer(res);
    const application = ownApplication(ports, actor, id);
    const delivery = application.deliveryId ? ports.applications.findDelivery(application.deliveryId) : null;
    const entry = ports.online.find(id);
    let rows: ReviewRow[] | null = null;
    if (delivery) {
      const findings = crossCheck(application.input, delivery, actor.institution);
      const bad = new Set(findings.flatMap((f) => f.items ?? []));
      const stated: { sex?: string; birthTime?: string } =
        application.input.deliveryId === undefined ? {} : application.input.newborn;
      const institutionName = (code: string) => ports.institutions.find(code)?.name ?? code;
      const sexText = (s: string | undefined) => (s ? t(`midwife.sex.${s}` as ConsoleKey) : '—');
      rows = [
        { item: '母亲姓名', path: 'mother.name', a: application.input.mother.name, d: delivery.mother.name },
        { item: '母亲证件类别', path: 'mother.idType', a: application.input.mother.idType, d: delivery.mother.idType },
        {
          item: '母亲证件号码',
          path: 'mother.idNumber',
          a: application.input.mother.idNumber,
          d: delivery.mother.idNumber,
        },
        { item: '新生儿性别', path: 'newborn.sex', a: sexText(stated.sex), d: sexText(delivery.newborn.sex) },
        {
          item: '出生时间',
          path: 'newborn.birthTime',
          a: stated.birthTime ? birthText(stated.birthTime) : '—',
          d: birthText(delivery.newborn.birthTime),
        },
        {
          item: '助产机构',
          path: 'deliveryInstitution',
          a: institutionName(actor.institution),
          d: institutionName(delivery.institution),
        },
      ].map((r) => ({ item: r.item, application: r.a, delivery: r.d, mismatch: bad.has(r.path) }));
    }
    send(
      res,
      status,
      <ReviewPage
        user={locals(res).user}
        id={id}
        newbornName={application.input.newborn.name}
        status={application.status}
        rows={rows}
        returnReason={entry?.returnReason ?? undefined}
        online={entry !== null}
        {...extra}
      />,
    );
  };
  const notFound = (res: Response) =>
    send(res, 404, <MessagePage user={locals(res).user} title={t('console.notFound')} body={t('console.notFound')} />);
  /** NOT_FOUND / FORBIDDEN of a guard as the 404 or 403 page. */
  const guarded = (res: Response, error: unknown) => {
    if (error instanceof DomainError && error.code === 'NOT_FOUND') return notFound(res);
    if (error instanceof DomainError && error.code === 'FORBIDDEN') {
      return send(res, 403, <ForbiddenPage user={locals(res).user} />);
    }
    throw error;
  };
  router.get('/console/issuer/applications/:id', (req, res) => {
    try {
      reviewPage(res, param(req, 'id'), 200);
    } catch (error) {
      guarded(res, error);
    }
  });
  router.post('/console/issuer/applications/:id/return', ...post, (req, res) => {
    const id = param(req, 'id');
    const values = formValues(req.body);
    try {
      const body = validate('application-return', { reason: values.reason ?? '' });
      returnApplication(ports, issuer(res), id, body.reason);
      redirectAfterPost(req, res, `/console/issuer/applications/${id}`);
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN')) {
        return guarded(res, error);
      }
      const refusal = refusalOf(error);
      reviewPage(res, id, refusal.status, { values, errors: refusal.errors, alert: refusal.alert });
    }
  });
  const certificatePage = (
    res: Response,
    no: string,
    status: number,
    extra: Omit<Parameters<typeof CertificatePage>[0], 'user' | 'c'> = {},
  ) => {
    const view = readCertificate(ports, issuer(res), no, undefined);
    send(res, status, <CertificatePage user={locals(res).user} c={summaryOf(view)} {...extra} />);
  };
  router.post('/console/issuer/applications/:id/issue', ...post, async (req, res) => {
    const id = param(req, 'id');
    try {
      const outcome = await issueCertificate(ports, issuer(res), id);
      const claimCode = outcome.created ? outcome.result.claimCode : undefined;
      certificatePage(res, outcome.result.certificateNo, outcome.created ? 201 : 200, { claimCode });
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN')) {
        return guarded(res, error);
      }
      const refusal = refusalOf(error);
      reviewPage(res, id, refusal.status, { alert: refusal.alert });
    }
  });
  router.get('/console/issuer/certificates/:no', (req, res) => {
    try {
      certificatePage(res, param(req, 'no'), 200);
    } catch (error) {
      guarded(res, error);
    }
  });
  router.get('/console/issuer/certificates/:no/pdf', async (req, res) => {
    const no = param(req, 'no');
    try {
      const pdf = await readPdf(ports, issuer(res), no, undefined);
      const disposition = req.query.download === '1' ? 'attachment' : 'inline';
      res.status(200).type('application/pdf').setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Disposition', `${disposition}; filename="${no}.pdf"`);
      // Framed by the certificate page of this console only.
      res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'self'");
      res.setHeader('X-Frame-Options', 'SAMEORIGIN');
      res.send(Buffer.from(pdf));
    } catch (error) {
      guarded(res, error);
    }
  });
  /** An issuer's action on a certificate: the use case, then its page or the refusal beside the form. */
  const certificateAction =
    (
      run: (actor: Issuer, no: string, v: FormValues) => Promise<{ no: string; claimCode?: string; notice?: string }>,
      rename: Record<string, string>,
    ) =>
    async (req: Request, res: Response) => {
      const no = param(req, 'no');
      const values = formValues(req.body);
      try {
        const done = await run(issuer(res), no, values);
        certificatePage(res, done.no, 200, { claimCode: done.claimCode, notice: done.notice });
      } catch (error) {
        if (error instanceof DomainError && (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN')) {
          return guarded(res, error);
        }
        const refusal = refusalOf(error, rename);
        certificatePage(res, no, refusal.status, { values, errors: refusal.errors, alert: refusal.alert });
      }
    };
  router.post(
    '/console/issuer/certificates/:no/void',
    ...post,
    certificateAction(
      async (actor, no, v) => {
        const body = validate('void', {
          reason: v['void.reason'] ?? '',
          ...(v['void.note'] ? { note: v['void.note'] } : {}),
        });
        voidCertificate(ports, actor, no, body);
        return { no, notice: t('issuer.void.done') };
      },
      { reason: 'void.reason', note: 'void.note' },
    ),
  );
  router.post(
    '/console/issuer/certificates/:no/reissue',
    ...post,
    certificateAction(
      async (actor, no, v) => {
        const body = validate('reissue', { reason: v['reissue.reason'] ?? '' });
        const result = await reissueCertificate(ports, actor, no, body);
        return { no: result.certificateNo, claimCode: result.claimCode };
      },
      { reason: 'reissue.reason' },
    ),
  );
  router.post(
    '/console/issuer/certificates/:no/replace',
    ...post,
    certificateAction(
      async (actor, no, v) => {
        const body = validate('replacement', {
          reason: v['replace.reason'] ?? '',
          changes: { newborn: { name: v['replace.newbornName'] ?? '' } },
        });
        const result = await replaceCertificate(ports, actor, no, body);
        return { no: result.certificateNo, claimCode: result.claimCode };
      },
      { reason: 'replace.reason' },
    ),
  );
  router.post(
    '/console/issuer/certificates/:no/claim-code',
    ...post,
    certificateAction(async (actor, no) => {
      const record = ownCertificate(ports, actor, no);
      return { no, claimCode: newClaimCode(ports, actor, record.certificateNo) };
    }, {}),
  );
  router.get('/console/issuer/search', (_req, res) => send(res, 200, <IssuerSearchPage user={locals(res).user} />));
  router.post('/console/issuer/search', ...post, (req, res) => {
    const values = formValues(req.body);
    const actor = issuer(res);
    try {
      let results: CertificateSummary[];
      if (values.certificateNo) {
        try {
          results = [summaryOf(readCertificate(ports, actor, values.certificateNo.toUpperCase(), undefined))];
        } catch (error) {
          if (!(error instanceof DomainError && (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN')))
            throw error;
          results = [];
        }
      } else {
        // The institution's own certificates of that mother (searchByMother has the issuer's view).
        const found = searchByMother(ports, actor, (values.motherIdNumber ?? '').toUpperCase(), undefined);
        results = found.results
          .filter((r): r is RecordView => 'certificate' in r)
          .filter((r) => {
            try {
              ownCertificate(ports, actor, r.certificate.certificateNo);
              return true;
            } catch {
              return false;
            }
          })
          .map(summaryOf);
      }
      send(res, 200, <IssuerSearchPage user={locals(res).user} values={values} results={results} />);
    } catch (error) {
      const refusal = refusalOf(error);
      send(
        res,
        refusal.status,
        <IssuerSearchPage user={locals(res).user} values={values} errors={refusal.errors} alert={refusal.alert} />,
      );
    }
  });

  // ---- police
  const police = (res: Response) => locals(res).principal as PoliceOfficer;
  const policePage = (res: Response, status: number, view: PoliceView) =>
    send(res, status, <PolicePage user={locals(res).user} view={view} />);
  router.get('/console/police', (_req, res) => policePage(res, 200, {}));
  router.post('/console/police/verify', ...post, async (req, res) => {
    const values = formValues(req.body);
    if (!values.qr) return policePage(res, 400, { verify: { values, error: '请输入或扫描二维码文字。' } });
    const outcome = await verifyQrText(deps.verification, validate, values.qr);
    policePage(res, 200, { verify: { values, outcome } });
  });
  router.post('/console/police/verify/file', async (req, res) => {
    const upload = await readUpload(req, uploadLimitBytes);
    // A multipart form: its CSRF field is read with the upload.
    if (!sessions.checkCsrf(locals(res).token, upload.kind === 'file' ? upload.fields._csrf : undefined)) {
      return send(
        res,
        403,
        <MessagePage user={locals(res).user} title={t('console.csrf.title')} body={t('console.csrf.body')} />,
      );
    }
    if (upload.kind !== 'file') return policePage(res, 400, { verify: { values: {}, error: '请选择要上传的文件。' } });
    const verified = await verifyUpload(deps, validate, upload.bytes);
    if (verified.kind !== 'verified') {
      return policePage(res, 400, {
        verify: { values: {}, error: isPdf(upload.bytes) ? 'PDF 无法核验。' : '无法识别该文件。' },
      });
    }
    policePage(res, 200, { verify: { values: {}, outcome: verified.outcome } });
  });
  const purposeOf = (v: FormValues) => (v.purpose === 'other' ? (v.purposeOther ?? '') : (v.purpose ?? ''));
  router.post('/console/police/lookup', ...post, (req, res) => {
    const values = formValues(req.body);
    const actor = police(res);
    try {
      const purpose = purposeOf(values);
      const records = values.certificateNo
        ? [summaryOf(readCertificate(ports, actor, values.certificateNo.toUpperCase(), purpose))]
        : searchByMother(ports, actor, (values.motherIdNumber ?? '').toUpperCase(), purpose)
            .results.filter((r): r is RecordView => 'certificate' in r)
            .map(summaryOf);
      policePage(res, 200, { lookup: { values, errors: new Map() }, records });
    } catch (error) {
      const refusal = refusalOf(error, { purpose: values.purpose === 'other' ? 'purposeOther' : 'purpose' });
      if (refusal.code === 'NOT_FOUND') {
        return policePage(res, 404, { lookup: { values, errors: new Map(), alert: refusal.alert } });
      }
      policePage(res, refusal.status, { lookup: { values, errors: refusal.errors, alert: refusal.alert } });
    }
  });
  const householdValues = (v: FormValues) => ({
    childIdNumber: (v.childIdNumber ?? '').toUpperCase(),
    registeredOn: v.registeredOn ?? '',
    policeUnit: v.policeUnit ?? '',
  });
  router.post('/console/police/certificates/:no/household/validate', ...post, (req, res) => {
    const values = formValues(req.body);
    const actor = police(res);
    try {
      const view = readCertificate(ports, actor, param(req, 'no'), t('police.purpose.household'));
      const body = householdValues(values);
      let details: ErrorDetail[] = [];
      try {
        const checked = validate('household-registration', body);
        details = householdProblems(view.certificate.newborn, checked, now());
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        details = error.details;
      }
      const filled = details.filter((d) => (values[d.path] ?? '') !== '');
      if (filled.length === 0 && body.childIdNumber.length === 18) {
        details = householdProblems(
          view.certificate.newborn,
          { ...body, registeredOn: body.registeredOn || '9999' },
          now(),
        ).filter((d) => d.path === 'childIdNumber');
      }
      res.status(200).type('html').setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Security-Policy', csp);
      res.send(
        String(
          <HouseholdCheck
            certificateNo={view.certificate.certificateNo}
            errors={errorsByField(filled.length > 0 ? filled : details, 'zh-CN')}
          />,
        ),
      );
    } catch (error) {
      guarded(res, error);
    }
  });
  router.post('/console/police/certificates/:no/household', ...post, (req, res) => {
    const no = param(req, 'no');
    const values = formValues(req.body);
    const actor = police(res);
    const purpose = t('police.purpose.household');
    try {
      const body = validate('household-registration', householdValues(values));
      recordHouseholdRegistration(ports, actor, no, body);
      const view = readCertificate(ports, actor, no, purpose);
      policePage(res, 201, {
        records: [summaryOf(view)],
        household: { values: {}, errors: new Map(), notice: t('police.household.done') },
      });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'NOT_FOUND') return guarded(res, error);
      const refusal = refusalOf(error);
      const view = readCertificate(ports, actor, no, purpose);
      policePage(res, refusal.status, {
        records: [summaryOf(view)],
        household: { values, errors: refusal.errors, alert: refusal.alert },
      });
    }
  });

  router.use('/console', (_req, res) => notFound(res));
  return router;
}

const param = (req: Request, name: string) => {
  const value = (req.params as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
};

function birthText(iso: string) {
  const at = new Date(Date.parse(iso) + 8 * 3600_000);
  return `${at.toISOString().slice(0, 16).replace('T', ' ')}`;
}
