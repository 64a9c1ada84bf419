import type { Child } from 'hono/jsx';
import { birthTimeText } from '../../domain/codes/display-text.ts';
import { type ConsoleUser, Csrf, Items } from '../console-layout.tsx';
import { type ConsoleKey, consoleT as t } from '../console-messages.ts';
import { Alert, Field, Select } from '../layout.tsx';
import { translator } from '../messages.ts';
import { type VerifyOutcome, verdictOf } from '../pages/verify.tsx';

/** What the console's pages share: form values and errors, select options, a certificate's summary. */

export type FormValues = Record<string, string>;
export type FieldErrors = Map<string, string[]>;
export const noErrors: FieldErrors = new Map();

export const options = (table: Readonly<Record<string, string>>) =>
  Object.entries(table).map(([value, text]) => ({ value, text }));

export interface CertificateSummary {
  certificateNo: string;
  status: string;
  newbornName: string;
  sex: string;
  birthTime: string;
  motherName: string;
  issuerName: string;
  issueDate: string;
  householdRegistration: {
    registeredOn: string;
    policeUnit: string;
    certificateNo: string;
    registeredName?: string;
    nameDiffers?: boolean;
    householdPlace?: { divisionCode: string; address: string };
  } | null;
  supersededBy: string | null;
}

export const statusText = (s: string) => t(`status.${s}` as ConsoleKey);

export function SummaryItems({ c }: { c: CertificateSummary }) {
  return (
    <Items
      rows={[
        [t('item.certificateNo'), c.certificateNo],
        [t('item.status'), c.supersededBy ? `${statusText(c.status)}（${c.supersededBy}）` : statusText(c.status)],
        [t('item.newbornName'), c.newbornName],
        [t('item.sex'), t(`midwife.sex.${c.sex}` as ConsoleKey)],
        [t('item.birthTime'), birthTimeText(c.birthTime)],
        [t('item.motherName'), c.motherName],
        [t('item.issuer'), c.issuerName],
        [t('item.issueDate'), c.issueDate],
        ...(c.householdRegistration
          ? [
              [
                t('police.household.title'),
                t('police.household.registered', {
                  date: c.householdRegistration.registeredOn,
                  unit: c.householdRegistration.policeUnit,
                }),
              ] as [string, string],
              ...householdFeedbackRows(c.householdRegistration),
            ]
          : []),
      ]}
    />
  );
}

/** The registered name (marked when it differs from the certificate's) and 户籍地, when fed back. */
function householdFeedbackRows(h: NonNullable<CertificateSummary['householdRegistration']>): [string, string][] {
  const rows: [string, string][] = [];
  if (h.registeredName !== undefined) {
    rows.push([
      t('police.household.nameItem'),
      h.nameDiffers ? t('police.household.nameDiffers', { name: h.registeredName }) : h.registeredName,
    ]);
  }
  if (h.householdPlace) {
    rows.push([
      t('police.household.placeItem'),
      t('police.household.place', { code: h.householdPlace.divisionCode, address: h.householdPlace.address }),
    ]);
  }
  return rows;
}
// ---- verifying and looking up with a purpose: the police's and the agencies' counters

export const lookupPurposes = ['household', 'verify', 'case'] as const;

export interface VerifyView {
  values: FormValues;
  error?: string | undefined;
  outcome?: VerifyOutcome | undefined;
}

export interface LookupView {
  values: FormValues;
  errors: FieldErrors;
  alert?: string | undefined;
}

/** Paste or scan a QR, or upload a PDF, and the verdict with what a verification shows. */
export function VerifyCard({
  user,
  base,
  verify,
  action,
}: {
  user: ConsoleUser;
  base: string;
  verify?: VerifyView | undefined;
  /** What the counter may do with a verified certificate (the police's 归档), under its items. */
  action?: ((certificateNo: string) => Child) | undefined;
}) {
  const zh = translator('zh-CN');
  const outcome = verify?.outcome;
  const verdict = outcome ? verdictOf(outcome.result) : null;
  return (
    <section class="card" aria-labelledby="verify-h">
      <h2 id="verify-h">{t('police.verify.title')}</h2>
      <form method="post" action={`${base}/verify`}>
        <Csrf user={user} />
        <Field
          name="qr"
          label={t('police.verify.qr')}
          value={verify?.values.qr}
          errors={verify?.error ? [verify.error] : undefined}
        />
        <button type="submit">{t('police.verify.submit')}</button>
      </form>
      <form method="post" action={`${base}/verify/file`} enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value={user.csrf} />
        <div class="field">
          <label for="f-file">{t('police.verify.file')}</label>
          <input id="f-file" name="file" type="file" accept="application/pdf,.pdf,.json,image/*" />
        </div>
        <button type="submit" class="secondary">
          {t('police.verify.fileSubmit')}
        </button>
      </form>
      {outcome && verdict && (
        <div class={`verdict ${verdict.tone}`} role="status">
          <h3>{zh(verdict.key, { no: outcome.result.supersededBy ?? '' })}</h3>
          <p>{zh(verdict.body, { no: outcome.result.supersededBy ?? '' })}</p>
          {outcome.result.certificate && (
            <Items
              rows={[
                [t('item.certificateNo'), outcome.result.certificate.certificateNo],
                [t('item.newbornName'), outcome.result.certificate.newborn.name],
                [t('item.birthTime'), birthTimeText(outcome.result.certificate.newborn.birthTime)],
                [t('item.motherName'), outcome.result.certificate.mother.name],
                [t('item.issuer'), outcome.result.certificate.issuer.name],
              ]}
            />
          )}
          {action && outcome.result.certificate && action(outcome.result.certificate.certificateNo)}
        </div>
      )}
    </section>
  );
}

/** Look up by certificate number or mother's ID, with a purpose from the common list or typed. */
export function LookupCard({
  user,
  base,
  lookup,
}: {
  user: ConsoleUser;
  base: string;
  lookup?: LookupView | undefined;
}) {
  const view = lookup ?? { values: {}, errors: noErrors };
  const purposeOptions = [
    { value: '', text: '—' },
    ...lookupPurposes.map((p) => ({ value: t(`police.purpose.${p}`), text: t(`police.purpose.${p}`) })),
    { value: 'other', text: t('police.purpose.other') },
  ];
  return (
    <section class="card" aria-labelledby="lookup-h">
      <h2 id="lookup-h">{t('police.lookup.title')}</h2>
      <form method="post" action={`${base}/lookup`}>
        <Csrf user={user} />
        <Alert text={view.alert} />
        <Field
          name="certificateNo"
          label={t('police.lookup.certificateNo')}
          value={view.values.certificateNo}
          errors={view.errors.get('certificateNo')}
        />
        <Field
          name="motherIdNumber"
          label={t('police.lookup.motherIdNumber')}
          value={view.values.motherIdNumber}
          errors={view.errors.get('motherIdNumber')}
        />
        <Select
          name="purpose"
          label={t('police.lookup.purpose')}
          value={view.values.purpose ?? ''}
          options={purposeOptions}
          errors={view.errors.get('purpose')}
        />
        <Field
          name="purposeOther"
          label={t('police.lookup.purposeOther')}
          value={view.values.purposeOther}
          errors={view.errors.get('purposeOther')}
        />
        <button type="submit">{t('police.lookup.submit')}</button>
      </form>
    </section>
  );
}

/** The purpose a look-up form states: the chosen common one, or the typed text for 其他. */
export const purposeOf = (v: FormValues) => (v.purpose === 'other' ? (v.purposeOther ?? '') : (v.purpose ?? ''));
