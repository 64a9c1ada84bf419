import type { Request, Response } from 'express';
import { SignInRefused } from '../../domain/accounts/identity.ts';
import { appointmentsOf } from '../../domain/appointments/bookings.ts';
import { applyTarget, applyWithGrant, deliveryOfGrant } from '../../domain/lifecycle/citizen-identity.ts';
import {
  type ApplicationValidator,
  applicationOfToken,
  applicationStatus,
  applyOnline,
  correctApplication,
  downloaderOf,
  reopenApplication,
  signOutOfApplication,
} from '../../domain/lifecycle/online-applications.ts';
import { readPdf, readSignedJson } from '../../domain/lifecycle/reads.ts';
import { applicationItemsOf, formOfItems, formValues } from '../forms.ts';
import { renderPage } from '../layout.tsx';
import { pickLang, readCookie } from '../locale.ts';
import { translator } from '../messages.ts';
import { oidcT } from '../oidc-messages.ts';
import { APPLY_GRANT_COOKIE, providerUnavailable, redirectToProvider } from '../oidc-router.tsx';
import { ApplicationStatusPage, ApplyPage } from './apply.tsx';
import { clearSession, context, type PageRoutes, pageRefusal, redirectAfterPost, send, setSession } from './routes.tsx';

export const APPLY_COOKIE = 'apply_session';

/** Applying online: the form, reopening with the code, the status, the documents once issued. */
export function applyRoutes({ router, deps, forms, limitAttempts }: PageRoutes) {
  const { online: ports, validate } = deps;
  const validateApplication: ApplicationValidator = (body) => validate('application', body);
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
    const offered = { ...view, oidc: view.oidc ?? (deps.oidc ? {} : undefined) };
    if (deps.oidc) res.locals.formTarget = new URL(deps.oidc.side.provider.issuer).origin;
    send(res, status, renderPage(<ApplyPage ctx={ctx} view={offered} />));
  };
  /** Parents the government platform verified, with no application yet: the grant's cookie. */
  const grantOf = (req: Request) => (deps.oidc ? readCookie(req, APPLY_GRANT_COOKIE) : undefined);
  const onlineWithIdentity = () => ({ ...ports, identity: deps.oidc!.identity });
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
    const grant = grantOf(req);
    if (grant !== undefined) {
      if (deliveryOfGrant(onlineWithIdentity(), grant) !== null) {
        return applyPage(req, res, 200, { values: {}, errors: new Map(), verified: true });
      }
      clearSession(res, APPLY_GRANT_COOKIE, '/apply');
      const o = oidcT(pickLang(req));
      return applyPage(req, res, 200, { values: {}, errors: new Map(), alert: o('oidc.apply.verifiedExpired') });
    }
    applyPage(req, res, 200, { values: {}, errors: new Map() });
  });
  // Sign-in through the government platform: the code says which birth, the platform who applies.
  router.post('/apply/oidc', limitAttempts, forms, async (req, res) => {
    if (!deps.oidc) return res.status(404).end();
    const values = formValues(req.body);
    const code = (values['oidc.applicationCode'] ?? '').trim();
    if (code === '') {
      const o = oidcT(pickLang(req));
      return applyPage(req, res, 400, { values: {}, errors: new Map(), oidc: { error: o('oidc.code.missing') } });
    }
    const started = await redirectToProvider(
      req,
      res,
      deps.oidc.identity,
      deps.oidc.side,
      'apply',
      applyTarget(ports, code),
    );
    if (!started) providerUnavailable(req, res, 'apply');
  });
  router.post('/apply', limitAttempts, forms, (req, res) => {
    const lang = pickLang(req);
    const t = translator(lang);
    const values = formValues(req.body);
    const grant = grantOf(req);
    if (grant !== undefined) {
      try {
        const items = validate('citizen-application-correction', applicationItemsOf(values));
        const applied = applyWithGrant(onlineWithIdentity(), validateApplication, grant, items);
        clearSession(res, APPLY_GRANT_COOKIE, '/apply');
        setSession(req, res, APPLY_COOKIE, `${applied.id}.${applied.accessToken}`, '/apply', applied.expiresIn);
        return redirectAfterPost(req, res, '/apply/status');
      } catch (error) {
        if (error instanceof SignInRefused) {
          clearSession(res, APPLY_GRANT_COOKIE, '/apply');
          const o = oidcT(lang);
          return applyPage(req, res, 401, { values, errors: new Map(), alert: o('oidc.apply.verifiedExpired') });
        }
        const refusal = pageRefusal(error, lang);
        const alert =
          refusal.code === 'INVALID_STATE'
            ? t('apply.used')
            : refusal.code === 'ALREADY_ISSUED'
              ? t('apply.issuedAlready')
              : refusal.alert;
        return applyPage(req, res, refusal.status, { values, errors: refusal.errors, alert, verified: true });
      }
    }
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
    const appointments =
      status.certificateNo === undefined
        ? undefined
        : appointmentsOf(deps.appointments, { via: 'application', certificateNo: status.certificateNo }).appointments;
    statusPage(req, res, 200, { status, values: formOfItems(application.input), errors: new Map(), appointments });
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
}
