import type { Response } from 'express';
import type { Actor } from '../../domain/lifecycle/ports.ts';
import { lookUpCertificate, searchByMother } from '../../domain/lifecycle/reads.ts';
import { formValues } from '../forms.ts';
import { AgencyPage, type AgencyView, type VerificationFields } from './agency-pages.tsx';
import { purposeOf } from './components.tsx';
import { type ConsoleRoutes, locals, refusalOf, send } from './routes.tsx';
import { verifyRoutes } from './verify-routes.tsx';

/** An agency's answer is a verification's fields; a full record here would be a fault, not a page. */
const fieldsOf = (view: ReturnType<typeof lookUpCertificate>): VerificationFields => {
  if (!('newborn' in view)) throw new Error('An agency look-up returned more than the verification fields');
  return view;
};

/** The agency's page: verify, and look up with a purpose, through the API's use cases. */
export function agencyRoutes(routes: ConsoleRoutes) {
  const { router, deps, post } = routes;
  const ports = deps.online;
  const agencyPage = (res: Response, status: number, view: AgencyView) =>
    send(res, status, <AgencyPage user={locals(res).user} view={view} />);
  router.get('/console/agency', (_req, res) => agencyPage(res, 200, {}));
  verifyRoutes(routes, '/console/agency', (res, status, verify) => agencyPage(res, status, { verify }));
  router.post('/console/agency/lookup', ...post, (req, res) => {
    const values = formValues(req.body);
    const actor = locals(res).principal as Actor;
    try {
      const purpose = purposeOf(values);
      const records = values.certificateNo
        ? [fieldsOf(lookUpCertificate(ports, actor, values.certificateNo.toUpperCase(), purpose))]
        : searchByMother(ports, actor, (values.motherIdNumber ?? '').toUpperCase(), purpose).results.map(fieldsOf);
      // The mother's ID number is not shown back once it has found what it was for.
      const { motherIdNumber: _shown, ...kept } = values;
      agencyPage(res, 200, { lookup: { values: kept, errors: new Map() }, records });
    } catch (error) {
      const refusal = refusalOf(error, { purpose: values.purpose === 'other' ? 'purposeOther' : 'purpose' });
      agencyPage(res, refusal.status, { lookup: { values, errors: refusal.errors, alert: refusal.alert } });
    }
  });
}
