import type { Request, Response } from 'express';
import { signOut } from '../../domain/accounts/account-administration.ts';
import { appointmentsOf } from '../../domain/appointments/bookings.ts';
import { readCitizenCertificate } from '../../domain/lifecycle/citizen-reads.ts';
import { claimCertificate } from '../../domain/lifecycle/claims.ts';
import { readPdf, readSignedJson } from '../../domain/lifecycle/reads.ts';
import { formValues } from '../forms.ts';
import { renderPage } from '../layout.tsx';
import { pickLang, readCookie } from '../locale.ts';
import { translator } from '../messages.ts';
import { oidcT } from '../oidc-messages.ts';
import { providerUnavailable, redirectToProvider } from '../oidc-router.tsx';
import { CertificatePage, ClaimPage } from './my.tsx';
import { clearSession, context, type PageRoutes, pageRefusal, redirectAfterPost, send, setSession } from './routes.tsx';

export const MY_COOKIE = 'my_session';

/** The parents' page: claim the certificate, then see, download and share it. */
export function myRoutes({ router, deps, forms, limitAttempts }: PageRoutes) {
  const { online: ports, validate } = deps;
  const claimPage = (req: Request, res: Response, status: number, view: Parameters<typeof ClaimPage>[0]['view']) => {
    const ctx = context(req, res);
    const offered = { ...view, oidc: view.oidc ?? (deps.oidc ? {} : undefined) };
    if (deps.oidc) res.locals.formTarget = new URL(deps.oidc.side.provider.issuer).origin;
    send(res, status, renderPage(<ClaimPage ctx={ctx} view={offered} />));
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
    const { appointments } = appointmentsOf(deps.appointments, {
      via: 'claim',
      certificateNo: view.certificate.certificateNo,
    });
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
          appointments={
            view.status === 'valid' || appointments.some((a) => a.status === 'handed-over') ? appointments : undefined
          }
        />,
      ),
    );
  });
  // Sign-in through the government platform: the number says which certificate, the platform who opens it.
  router.post('/my/oidc', limitAttempts, forms, async (req, res) => {
    if (!deps.oidc) return res.status(404).end();
    const values = formValues(req.body);
    const certificateNo = (values['oidc.certificateNo'] ?? '').trim().toUpperCase().slice(0, 64);
    if (certificateNo === '') {
      const o = oidcT(pickLang(req));
      return claimPage(req, res, 400, {
        values: {},
        errors: new Map(),
        oidc: { error: o('oidc.certificateNo.missing') },
      });
    }
    const started = await redirectToProvider(req, res, deps.oidc.identity, deps.oidc.side, 'my', certificateNo);
    if (!started) providerUnavailable(req, res, 'my');
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
}
