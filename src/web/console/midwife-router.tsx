import type { Response } from 'express';
import { DomainError } from '../../domain/errors.ts';
import { deliveryEntryWindowMs, recentDeliveries } from '../../domain/lifecycle/deliveries.ts';
import { recordDeliveryWithCode } from '../../domain/lifecycle/online-applications.ts';
import type { Midwife } from '../../domain/lifecycle/ports.ts';
import type { Validate } from '../../http/validate.ts';
import { consoleT as t } from '../console-messages.ts';
import { errorsByField } from '../field-errors.ts';
import { formValues } from '../forms.ts';
import type { FormValues } from './components.tsx';
import { DeliveryCheck, type DeliveryFormView, DischargeSlipPage, MidwifePage } from './midwife-pages.tsx';
import { fieldsAlert } from './page-errors.ts';
import { type ConsoleRoutes, csp, locals, refusalOf, send } from './routes.tsx';

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

/** The midwife's pages: the delivery form, its as-you-type check, the discharge slip. */
export function midwifeRoutes({ router, deps, post, now }: ConsoleRoutes) {
  const { online: ports, validate } = deps;
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
        // A refusal of fields counts what is marked: its fields and the filled boxes judged besides.
        alert: refusal.errors.size > 0 ? fieldsAlert(errors) : refusal.alert,
        late: late || errors.has('lateEntryReason'),
      });
    }
  });
}
