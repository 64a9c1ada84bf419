import type { Response } from 'express';
import { DomainError, type ErrorDetail } from '../../domain/errors.ts';
import {
  householdDivisionProblems,
  householdProblems,
  recordHouseholdRegistration,
} from '../../domain/lifecycle/household.ts';
import type { PoliceOfficer } from '../../domain/lifecycle/ports.ts';
import { readCertificate, searchByMother } from '../../domain/lifecycle/reads.ts';
import { consoleT as t } from '../console-messages.ts';
import { errorsByField } from '../field-errors.ts';
import { formValues } from '../forms.ts';
import { type FormValues, purposeOf } from './components.tsx';
import { HouseholdCheck, PolicePage, type PoliceView } from './police-pages.tsx';
import {
  type ConsoleRoutes,
  csp,
  guarded,
  locals,
  param,
  type RecordView,
  refusalOf,
  send,
  summaryOf,
} from './routes.tsx';
import { verifyRoutes } from './verify-routes.tsx';

/** The police pages: verifying, looking up with a purpose, recording the household registration. */
export function policeRoutes(routes: ConsoleRoutes) {
  const { router, deps, post, now } = routes;
  const { online: ports, validate } = deps;
  const police = (res: Response) => locals(res).principal as PoliceOfficer;
  const policePage = (res: Response, status: number, view: PoliceView) =>
    send(res, status, <PolicePage user={locals(res).user} view={view} />);
  router.get('/console/police', (_req, res) => policePage(res, 200, {}));
  verifyRoutes(routes, '/console/police', (res, status, verify) => policePage(res, status, { verify }));
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
  /** The optional name and place go in only when typed; the place's code and address together. */
  const householdValues = (v: FormValues) => {
    const registeredName = v.registeredName ?? '';
    const divisionCode = (v['householdPlace.divisionCode'] ?? '').trim();
    const address = v['householdPlace.address'] ?? '';
    return {
      childIdNumber: (v.childIdNumber ?? '').toUpperCase(),
      registeredOn: v.registeredOn ?? '',
      policeUnit: v.policeUnit ?? '',
      ...(registeredName !== '' && { registeredName }),
      ...((divisionCode !== '' || address !== '') && { householdPlace: { divisionCode, address } }),
    };
  };
  router.post('/console/police/certificates/:no/household/validate', ...post, (req, res) => {
    const values = formValues(req.body);
    // The check reads nothing: it compares the typed number with the newborn's birth time and sex
    // the form carries from the page the officer opened (that read was audited with its purpose);
    // the registration itself checks against the register. So typing is not a stream of reads.
    const newborn = { birthTime: values._birthTime ?? '', sex: values._sex ?? '' };
    const againstNewborn = (body: Parameters<typeof householdProblems>[1]) =>
      Number.isNaN(Date.parse(newborn.birthTime)) ? [] : householdProblems(newborn, body, now());
    try {
      const body = householdValues(values);
      let details: ErrorDetail[] = [];
      try {
        const checked = validate('household-registration', body);
        details = againstNewborn(checked);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        details = error.details;
      }
      const typedCode = (values['householdPlace.divisionCode'] ?? '').trim();
      if (typedCode !== '' && !details.some((d) => d.path === 'householdPlace.divisionCode')) {
        details = [...details, ...householdDivisionProblems(typedCode, deps.divisions)];
      }
      const filled = details.filter((d) => (values[d.path] ?? '') !== '');
      if (filled.length === 0 && body.childIdNumber.length === 18) {
        details = againstNewborn({ ...body, registeredOn: body.registeredOn || '9999' }).filter(
          (d) => d.path === 'childIdNumber',
        );
      }
      res.status(200).type('html').setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Security-Policy', csp);
      res.send(
        String(
          <HouseholdCheck
            certificateNo={param(req, 'no')}
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
}
