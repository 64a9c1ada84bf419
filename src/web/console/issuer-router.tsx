import type { Request, Response } from 'express';
import { ID_TYPES } from '../../domain/codes/id-types.ts';
import { DomainError } from '../../domain/errors.ts';
import { reissueCertificate } from '../../domain/lifecycle/amend.ts';
import { applicationQueue, returnApplication } from '../../domain/lifecycle/application-review.ts';
import { newClaimCode } from '../../domain/lifecycle/claims.ts';
import { crossCheck } from '../../domain/lifecycle/cross-check.ts';
import { ownApplication, ownCertificate } from '../../domain/lifecycle/guards.ts';
import { issueCertificate } from '../../domain/lifecycle/issue.ts';
import type { QueueStatus } from '../../domain/lifecycle/online-application-ports.ts';
import type { Issuer } from '../../domain/lifecycle/ports.ts';
import { readCertificate, readPdf, searchByMother } from '../../domain/lifecycle/reads.ts';
import { voidCertificate } from '../../domain/lifecycle/void.ts';
import { type ConsoleKey, consoleT as t } from '../console-messages.ts';
import { formValues } from '../forms.ts';
import type { CertificateSummary, FormValues } from './components.tsx';
import { CertificatePage, IssuerSearchPage, QueuePage, ReviewPage, type ReviewRow } from './issuer-pages.tsx';
import { replacementRoutes } from './issuer-replace-router.tsx';
import { walkInRoutes } from './issuer-walk-in-router.tsx';
import {
  type ConsoleRoutes,
  guarded,
  locals,
  param,
  type RecordView,
  redirectAfterPost,
  refusalOf,
  send,
  summaryOf,
} from './routes.tsx';

/** The issuer's pages: the queue, review, issuing, a certificate and its actions, search. */
export function issuerRoutes(routes: ConsoleRoutes) {
  const { router, deps, post } = routes;
  const { online: ports, validate } = deps;
  replacementRoutes(routes);
  walkInRoutes(routes);
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
      // The document's name, as the certificate prints it; a code outside the table as it is.
      const idTypeName = (code: string) =>
        Object.hasOwn(ID_TYPES, code) ? ID_TYPES[code as keyof typeof ID_TYPES] : code;
      rows = [
        { item: '母亲姓名', path: 'mother.name', a: application.input.mother.name, d: delivery.mother.name },
        {
          item: '母亲证件类别',
          path: 'mother.idType',
          a: idTypeName(application.input.mother.idType),
          d: idTypeName(delivery.mother.idType),
        },
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
}

function birthText(iso: string) {
  const at = new Date(Date.parse(iso) + 8 * 3600_000);
  return `${at.toISOString().slice(0, 16).replace('T', ' ')}`;
}
