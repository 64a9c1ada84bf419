import type { Response } from 'express';
import { DomainError } from '../../domain/errors.ts';
import { submitApplication } from '../../domain/lifecycle/applications.ts';
import { deliveriesAwaitingCertificate } from '../../domain/lifecycle/deliveries.ts';
import { ownDelivery } from '../../domain/lifecycle/guards.ts';
import type { Issuer } from '../../domain/lifecycle/ports.ts';
import type { DeliveryRecord } from '../../domain/lifecycle/records.ts';
import type { Validate } from '../../http/validate.ts';
import { consoleT as t } from '../console-messages.ts';
import { errorsByField } from '../field-errors.ts';
import { formValues } from '../forms.ts';
import { APPLICANT_BOXES, BoxErrors } from './certificate-item-fields.tsx';
import {
  BIRTH_PLACE_BOXES,
  FATHER_BOXES,
  fatherItemsOf,
  motherFormOf,
  NEWBORN_BOXES,
  newbornOf,
  parentBoxes,
  parentOf,
} from './certificate-items.ts';
import type { FieldErrors, FormValues } from './components.tsx';
import { WalkInFormPage, WalkInStartPage } from './issuer-walk-in-pages.tsx';
import { fieldsAlert } from './page-errors.ts';
import { type ConsoleRoutes, csp, guarded, locals, param, redirectAfterPost, refusalOf, send } from './routes.tsx';

const BOXES = [
  ...NEWBORN_BOXES,
  ...BIRTH_PLACE_BOXES,
  'paternityReportNo',
  ...parentBoxes('mother'),
  'fatherAbsent',
  ...FATHER_BOXES,
  ...APPLICANT_BOXES,
  'deliveryId',
];

/** The walk-in form → the body of POST /api/v1/applications; rules stay with the validator. */
function applicationBodyOf(v: FormValues) {
  const items = {
    mother: parentOf(v, 'mother'),
    ...fatherItemsOf(v),
    applicant: {
      name: v['applicant.name'] ?? '',
      relation: v['applicant.relation'] ?? '',
      idType: v['applicant.idType'] ?? '',
      idNumber: (v['applicant.idNumber'] ?? '').toUpperCase(),
    },
  };
  if (v.deliveryId) return { deliveryId: v.deliveryId, newborn: { name: v['newborn.name'] ?? '' }, ...items };
  return {
    newborn: newbornOf(v),
    birthPlaceCategory: v.birthPlaceCategory ?? '',
    birthPlace: { divisionCode: v['birthPlace.divisionCode'] ?? '' },
    ...(v.birthPlaceOther ? { birthPlaceOther: v.birthPlaceOther } : {}),
    paternityReportNo: v.paternityReportNo ?? '',
    ...items,
  };
}

/** Completes a half-filled form for the as-you-type check: a plain sample, judged nowhere. */
const probeValues = (now: Date, division: string): FormValues => ({
  'newborn.name': '某',
  'newborn.sex': '1',
  'newborn.birthTime': new Date(now.getTime() + 6 * 3_600_000).toISOString().slice(0, 16),
  'newborn.gestation.weeks': '39',
  'newborn.gestation.days': '0',
  'newborn.weightGrams': '3300',
  'newborn.lengthCm': '50',
  'newborn.health': '1',
  birthPlaceCategory: '3',
  'birthPlace.divisionCode': division,
  paternityReportNo: 'JD-0',
  'mother.name': '王某',
  'mother.age': '30',
  'mother.nationality': 'CHN',
  'mother.ethnicity': '01',
  'mother.address': '某地',
  'mother.idType': '99',
  'mother.idNumber': 'M0',
  'father.name': '李某',
  'father.age': '30',
  'father.nationality': 'CHN',
  'father.ethnicity': '01',
  'father.address': '某地',
  'father.idType': '99',
  'father.idNumber': 'F0',
  fatherAbsentReason: '某',
  'applicant.name': '王某',
  'applicant.relation': 'other',
  'applicant.idType': '99',
  'applicant.idNumber': 'A0',
});

/**
 * The errors of the boxes filled in so far (as the midwife's form): the empty boxes are completed
 * with the sample for this check only, and only the filled boxes are judged.
 */
function filledErrorsOf(validate: Validate, values: FormValues, now: Date, division: string): FieldErrors {
  const probe: FormValues = { ...probeValues(now, division) };
  for (const [name, value] of Object.entries(values)) if (value !== '') probe[name] = value;
  if (probe.fatherAbsent !== 'yes') delete probe.fatherAbsentReason;
  try {
    validate('application', applicationBodyOf(probe));
    return new Map();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return errorsByField(
      error.details.filter((d) => (values[d.path] ?? '') !== ''),
      'zh-CN',
    );
  }
}

/** 窗口申领: with a delivery record of this institution, or (家庭/其他) with all the birth items. */
export function walkInRoutes({ router, deps, post, now }: ConsoleRoutes) {
  const { online: ports, validate } = deps;
  const issuer = (res: Response) => locals(res).principal as Issuer;
  const division = (res: Response) => ports.institutions.find(issuer(res).institution)?.divisionCode ?? '';
  const formPage = (
    res: Response,
    status: number,
    delivery: DeliveryRecord | null,
    values: FormValues,
    errors: FieldErrors = new Map(),
    alert?: string,
  ) =>
    send(
      res,
      status,
      <WalkInFormPage user={locals(res).user} delivery={delivery} values={values} errors={errors} alert={alert} />,
    );

  router.get('/console/issuer/walk-in', (_req, res) =>
    send(
      res,
      200,
      <WalkInStartPage user={locals(res).user} deliveries={deliveriesAwaitingCertificate(ports, issuer(res))} />,
    ),
  );
  router.get('/console/issuer/walk-in/outside', (_req, res) =>
    formPage(res, 200, null, {
      'birthPlace.divisionCode': division(res),
      'mother.nationality': 'CHN',
      'father.nationality': 'CHN',
    }),
  );
  router.get('/console/issuer/walk-in/deliveries/:id', (req, res) => {
    try {
      const delivery = ownDelivery(ports, issuer(res), param(req, 'id'));
      formPage(res, 200, delivery, {
        ...motherFormOf(delivery.mother),
        'father.nationality': 'CHN',
        'applicant.name': delivery.mother.name,
        'applicant.idType': delivery.mother.idType,
        'applicant.idNumber': delivery.mother.idNumber,
      });
    } catch (error) {
      guarded(res, error);
    }
  });
  router.post('/console/issuer/walk-in/validate', ...post, (req, res) => {
    const values = formValues(req.body);
    const errors = filledErrorsOf(validate, values, now(), division(res));
    res.status(200).type('html').setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', csp);
    res.send(String(<BoxErrors names={BOXES} errors={errors} />));
  });
  router.post('/console/issuer/walk-in', ...post, (req, res) => {
    const values = formValues(req.body);
    let delivery: DeliveryRecord | null = null;
    try {
      if (values.deliveryId) delivery = ownDelivery(ports, issuer(res), values.deliveryId);
      const body = validate('application', applicationBodyOf(values));
      const submitted = submitApplication(ports, issuer(res), body);
      redirectAfterPost(req, res, `/console/issuer/applications/${submitted.id}`);
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN')) {
        return guarded(res, error);
      }
      const refusal = refusalOf(error);
      // The schema names the first missing box only; what was filled in is judged as well.
      const errors = new Map<string, string[]>([
        ...filledErrorsOf(validate, values, now(), division(res)),
        ...refusal.errors,
      ]);
      for (const name of errors.keys())
        if ((values[name] ?? '') === '' && BOXES.includes(name)) {
          errors.set(name, [t('console.required')]);
        }
      // A refusal of fields counts what is marked: its fields and the filled boxes judged besides.
      const alert = refusal.errors.size > 0 ? fieldsAlert(errors) : refusal.alert;
      formPage(res, refusal.status, delivery, values, errors, alert);
    }
  });
}
