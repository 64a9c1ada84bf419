import type { Request, Response } from 'express';
import type { Certificate } from '../../domain/certificate.ts';
import { BIRTH_PLACE_CATEGORIES } from '../../domain/codes/birth-place-category.ts';
import { birthTimeText } from '../../domain/codes/display-text.ts';
import { ETHNIC_GROUPS } from '../../domain/codes/ethnicity.ts';
import { HEALTH_CODES } from '../../domain/codes/health.ts';
import { ID_TYPES } from '../../domain/codes/id-types.ts';
import { DomainError } from '../../domain/errors.ts';
import { replaceCertificate } from '../../domain/lifecycle/amend.ts';
import { ownCertificate } from '../../domain/lifecycle/guards.ts';
import type { Issuer } from '../../domain/lifecycle/ports.ts';
import { readCertificate } from '../../domain/lifecycle/reads.ts';
import { type ConsoleKey, consoleT as t } from '../console-messages.ts';
import { errorsByField } from '../field-errors.ts';
import { formValues } from '../forms.ts';
import { BoxErrors } from './certificate-item-fields.tsx';
import {
  BIRTH_PLACE_BOXES,
  beijing,
  boxesOf,
  changesOf,
  FATHER_BOXES,
  formOfCertificate,
  NEWBORN_BOXES,
  parentBoxes,
  wholeItemsOf,
} from './certificate-items.ts';
import type { FieldErrors, FormValues } from './components.tsx';
import { CertificatePage } from './issuer-pages.tsx';
import { type ChangeRow, ReplacementPage, ReplacementSummaryPage } from './issuer-replace-pages.tsx';
import { fieldsAlert } from './page-errors.ts';
import { type ConsoleRoutes, csp, guarded, locals, param, refusalOf, send, summaryOf } from './routes.tsx';

/** Every box of the 换发 form, in page order. */
const BOXES = [
  'reason',
  ...NEWBORN_BOXES,
  ...BIRTH_PLACE_BOXES,
  ...parentBoxes('mother'),
  'fatherAbsent',
  ...FATHER_BOXES,
  'paternityReportNo',
];
/** The validator names `changes.mother.age`; the box is `mother.age`. */
const rename: Record<string, string> = Object.fromEntries(BOXES.map((box) => [`changes.${box}`, box]));

const labelOf = (box: string): string => {
  const [group, ...rest] = box.split('.');
  const item = rest.join('.');
  const labels: Record<string, ConsoleKey> = {
    'newborn.name': 'items.newbornName',
    'newborn.sex': 'midwife.sex',
    'newborn.birthTime': 'midwife.birthTime',
    'newborn.gestation.weeks': 'midwife.gestationWeeks',
    'newborn.gestation.days': 'midwife.gestationDays',
    'newborn.weightGrams': 'midwife.weightGrams',
    'newborn.lengthCm': 'midwife.lengthCm',
    'newborn.health': 'midwife.health',
    birthPlaceCategory: 'midwife.birthPlaceCategory',
    'birthPlace.divisionCode': 'midwife.divisionCode',
    birthPlaceOther: 'items.birthPlaceOther',
    'deliveryInstitution.name': 'items.deliveryInstitution.name',
    'deliveryInstitution.creditCode': 'items.deliveryInstitution.creditCode',
    fatherAbsentReason: 'items.fatherAbsentReason',
  };
  const key = labels[box];
  if (key) return t(key).replace(/（.*）$/, '');
  const parentItem: Record<string, ConsoleKey> = {
    name: 'midwife.name',
    age: 'midwife.age',
    nationality: 'midwife.nationality',
    ethnicity: 'midwife.ethnicity',
    address: 'midwife.address',
    idType: 'midwife.idType',
    idNumber: 'midwife.idNumber',
  };
  const who = group === 'mother' ? t('items.mother') : t('items.father');
  return `${who}${t(parentItem[item] ?? 'midwife.name').replace(/（.*）$/, '')}`;
};

/** A box's value as a person reads it: code names, the birth time in Chinese, — for nothing. */
function shown(box: string, value: string | undefined): string {
  if (value === undefined || value === '') return '—';
  const table: Record<string, Readonly<Record<string, string>>> = {
    'newborn.sex': { '1': t('midwife.sex.1'), '2': t('midwife.sex.2') },
    'newborn.health': HEALTH_CODES,
    birthPlaceCategory: BIRTH_PLACE_CATEGORIES,
    'mother.ethnicity': ETHNIC_GROUPS,
    'father.ethnicity': ETHNIC_GROUPS,
    'mother.idType': ID_TYPES,
    'father.idType': ID_TYPES,
  };
  const names = table[box];
  if (names) return names[value] ?? value;
  if (box === 'newborn.birthTime') {
    try {
      return birthTimeText(beijing(value));
    } catch {
      return value;
    }
  }
  return value;
}

/** The rows of the summary: each box the changes touch whose shown value differs. */
function changeRows(current: FormValues, next: FormValues, changes: Record<string, unknown>): ChangeRow[] {
  const touched = boxesOf(changes);
  const absentBefore = current.fatherAbsent === 'yes';
  const absentAfter = next.fatherAbsent === 'yes';
  return BOXES.filter((box) => touched.has(box))
    .map((box) => {
      const fatherBox = box.startsWith('father.');
      const before = fatherBox && absentBefore ? '—' : shown(box, current[box]);
      const after = fatherBox && absentAfter ? '—' : shown(box, next[box]);
      return { item: labelOf(box), before, after };
    })
    .filter((row) => row.before !== row.after);
}

/** 换发 in the console: the form of every item, its as-you-type check, the summary, the new certificate. */
export function replacementRoutes({ router, deps, post }: ConsoleRoutes) {
  const { online: ports, validate } = deps;
  const issuer = (res: Response) => locals(res).principal as Issuer;
  const currentOf = (res: Response, no: string): Omit<Certificate, 'certificateNo'> =>
    ownCertificate(ports, issuer(res), no).certificate;

  const bodyOf = (current: Omit<Certificate, 'certificateNo'>, v: FormValues) => ({
    reason: v.reason ?? '',
    changes: changesOf(current, v),
    ...(v.paternityReportNo ? { paternityReportNo: v.paternityReportNo } : {}),
  });

  /** The validator's findings by box, once; `typing` judges only what was typed (the reason may still be empty). */
  function findingsOf(
    current: Omit<Certificate, 'certificateNo'>,
    v: FormValues,
    typing: boolean,
    whole: boolean,
  ): FieldErrors {
    const body = whole ? { ...bodyOf(current, v), changes: wholeItemsOf(v) } : bodyOf(current, v);
    if (typing && body.reason === '') body.reason = '换发';
    try {
      validate('replacement', body);
      return new Map();
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'INVALID_REQUEST') throw error;
      const details = error.details
        .map((d) => ({ ...d, path: rename[d.path] ?? d.path }))
        .filter((d) => d.path !== 'changes');
      return errorsByField(details, 'zh-CN');
    }
  }

  /**
   * Every box's findings at once. The schema's findings stop the rules (a check character is only
   * judged once the body has its shape): the boxes it names are put back as they stand and the rest
   * judged again, so one submit shows every mistake.
   */
  function checkedErrors(current: Omit<Certificate, 'certificateNo'>, values: FormValues, typing: boolean) {
    const standing = formOfCertificate(current);
    const all: FieldErrors = new Map();
    for (const whole of [false, true]) {
      let v = values;
      for (let pass = 0; pass < 3; pass++) {
        const found = findingsOf(current, v, typing, whole);
        if (found.size === 0) break;
        v = { ...v };
        for (const [box, messages] of found) {
          if (!all.has(box)) all.set(box, messages);
          v[box] = box === 'reason' ? '换发' : (standing[box] ?? '');
        }
      }
    }
    return all;
  }

  const formPage = (
    res: Response,
    no: string,
    status: number,
    values: FormValues,
    errors: FieldErrors = new Map(),
    alert?: string,
  ) =>
    send(
      res,
      status,
      <ReplacementPage user={locals(res).user} no={no} values={values} errors={errors} alert={alert} />,
    );

  router.get('/console/issuer/certificates/:no/replace', (req, res) => {
    const no = param(req, 'no');
    try {
      const view = readCertificate(ports, issuer(res), no, undefined);
      if (view.status !== 'valid') return res.redirect(303, `/console/issuer/certificates/${no}`);
      formPage(res, no, 200, formOfCertificate(currentOf(res, no)));
    } catch (error) {
      guarded(res, error);
    }
  });

  router.post('/console/issuer/certificates/:no/replace/validate', ...post, (req, res) => {
    const no = param(req, 'no');
    try {
      const errors = checkedErrors(currentOf(res, no), formValues(req.body), true);
      // A fragment for htmx to swap in, not a page.
      res.status(200).type('html').setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Security-Policy', csp);
      res.send(String(<BoxErrors names={BOXES} errors={errors} />));
    } catch (error) {
      guarded(res, error);
    }
  });

  router.post('/console/issuer/certificates/:no/replace', ...post, async (req: Request, res: Response) => {
    const no = param(req, 'no');
    const values = formValues(req.body);
    try {
      const current = currentOf(res, no);
      if (values.step === 'edit') return formPage(res, no, 200, values);
      const changes = changesOf(current, values);
      if (Object.keys(changes).length === 0) {
        return formPage(res, no, 400, values, new Map(), t('issuer.replace.unchanged'));
      }
      const errors = checkedErrors(current, values, false);
      if (errors.size > 0) {
        return formPage(res, no, 400, values, errors, fieldsAlert(errors));
      }
      if (values.step !== 'confirm') {
        const rows = changeRows(formOfCertificate(current), values, changes);
        return send(res, 200, <ReplacementSummaryPage user={locals(res).user} no={no} rows={rows} values={values} />);
      }
      const result = await replaceCertificate(ports, issuer(res), no, validate('replacement', bodyOf(current, values)));
      const view = readCertificate(ports, issuer(res), result.certificateNo, undefined);
      send(
        res,
        201,
        <CertificatePage
          user={locals(res).user}
          c={summaryOf(view)}
          claimCode={result.claimCode}
          notice={t('issuer.replace.done', { no })}
        />,
      );
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN')) {
        return guarded(res, error);
      }
      if (error instanceof DomainError && error.code === 'CROSS_CHECK_FAILED') {
        const errors: FieldErrors = new Map(
          error.details.map((d) => [rename[d.path] ?? d.path, [t('issuer.replace.departs')]]),
        );
        return formPage(res, no, 409, values, errors, fieldsAlert(errors));
      }
      const refusal = refusalOf(error, rename);
      if (refusal.errors.has('paternityReportNo') && !values.paternityReportNo) {
        refusal.errors.set('paternityReportNo', [t('issuer.replace.paternityRequired')]);
      }
      formPage(res, no, refusal.status, values, refusal.errors, refusal.alert);
    }
  });
}
