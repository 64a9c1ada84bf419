import { birthTimeText } from '../../domain/codes/display-text.ts';
import { ConsoleLayout, type ConsoleUser, Csrf, Items, roleName } from '../console-layout.tsx';
import { consoleT as t } from '../console-messages.ts';
import { Alert, Field, FieldError, fieldErrorId, Select } from '../layout.tsx';
import { translator } from '../messages.ts';
import { type VerifyOutcome, verdictOf } from '../pages/verify.tsx';
import { ArchiveForm } from './archive-pages.tsx';
import { type CertificateSummary, type FieldErrors, type FormValues, noErrors, SummaryItems } from './components.tsx';

// ---- police

export const policePurposes = ['household', 'verify', 'case'] as const;

export interface PoliceView {
  verify?: { values: FormValues; error?: string | undefined; outcome?: VerifyOutcome | undefined };
  lookup?: { values: FormValues; errors: FieldErrors; alert?: string | undefined };
  records?: CertificateSummary[];
  household?: { values: FormValues; errors: FieldErrors; alert?: string | undefined; notice?: string | undefined };
}

export function HouseholdForm(props: {
  user: ConsoleUser;
  c: CertificateSummary;
  values: FormValues;
  errors: FieldErrors;
  alert?: string | undefined;
}) {
  const { c } = props;
  const action = `/console/police/certificates/${c.certificateNo}/household`;
  return (
    <form
      method="post"
      action={action}
      class="household"
      id={`household-${c.certificateNo}`}
      hx-post={`${action}/validate`}
      // `input`, not `keyup`: a pasted or scanned number is checked too.
      hx-trigger="change, input changed delay:400ms from:input[name=childIdNumber], input changed delay:400ms from:input[name='householdPlace.divisionCode']"
      hx-swap="none"
      hx-sync="this:replace"
    >
      <h3>{t('police.household.title')}</h3>
      <Csrf user={props.user} />
      <Alert text={props.alert} />
      <Field
        name="childIdNumber"
        label={t('police.household.childIdNumber')}
        value={props.values.childIdNumber}
        errors={props.errors.get('childIdNumber')}
        errorSlot
      />
      <Field
        name="registeredOn"
        type="date"
        label={t('police.household.registeredOn')}
        value={props.values.registeredOn}
        errors={props.errors.get('registeredOn')}
        errorSlot
      />
      <Field
        name="policeUnit"
        label={t('police.household.policeUnit')}
        value={props.values.policeUnit}
        errors={props.errors.get('policeUnit')}
        errorSlot
      />
      <Field
        name="registeredName"
        label={t('police.household.registeredName')}
        value={props.values.registeredName}
        errors={props.errors.get('registeredName')}
        errorSlot
      />
      <fieldset class="household-place">
        <legend>{t('police.household.placeHint')}</legend>
        <Field
          name="householdPlace.divisionCode"
          label={t('police.household.divisionCode')}
          value={props.values['householdPlace.divisionCode']}
          errors={props.errors.get('householdPlace.divisionCode') ?? props.errors.get('householdPlace')}
          inputmode="numeric"
          errorSlot
        />
        <Field
          name="householdPlace.address"
          label={t('police.household.address')}
          value={props.values['householdPlace.address']}
          errors={props.errors.get('householdPlace.address')}
          errorSlot
        />
      </fieldset>
      <button type="submit">{t('police.household.submit')}</button>
    </form>
  );
}

const HOUSEHOLD_FIELDS = [
  'childIdNumber',
  'registeredOn',
  'policeUnit',
  'registeredName',
  'householdPlace.divisionCode',
  'householdPlace.address',
] as const;

/** The 落户 form's as-you-type answer: the error paragraphs only, never the boxes being typed into. */
export function HouseholdCheck({ certificateNo, errors }: { certificateNo: string; errors: FieldErrors }) {
  return (
    <>
      {HOUSEHOLD_FIELDS.map((name) => (
        <FieldError
          key={name}
          id={fieldErrorId(name)}
          errors={errors.get(name) ?? []}
          oob={`#household-${certificateNo} #${fieldErrorId(name)}`}
        />
      ))}
    </>
  );
}

export function PolicePage(props: { user: ConsoleUser; view: PoliceView; agency?: boolean }) {
  const { user, view } = props;
  const zh = translator('zh-CN');
  const outcome = view.verify?.outcome;
  const verdict = outcome ? verdictOf(outcome.result) : null;
  const lookup = view.lookup ?? { values: {}, errors: noErrors };
  const base = props.agency ? '/console/agency' : '/console/police';
  const purposeOptions = [
    { value: '', text: '—' },
    ...policePurposes.map((p) => ({ value: t(`police.purpose.${p}`), text: t(`police.purpose.${p}`) })),
    { value: 'other', text: t('police.purpose.other') },
  ];
  return (
    <ConsoleLayout title={props.agency ? roleName('agency') : t('police.title')} user={user}>
      <h1>{props.agency ? roleName('agency') : t('police.title')}</h1>
      <div class="grid2">
        <section class="card" aria-labelledby="verify-h">
          <h2 id="verify-h">{t('police.verify.title')}</h2>
          <form method="post" action={`${base}/verify`}>
            <Csrf user={user} />
            <Field
              name="qr"
              label={t('police.verify.qr')}
              value={view.verify?.values.qr}
              errors={view.verify?.error ? [view.verify.error] : undefined}
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
              <h3>
                {zh(verdict.key, {
                  no: outcome.result.supersededBy ?? '',
                })}
              </h3>
              <p>{zh(verdict.body, { no: outcome.result.supersededBy ?? '' })}</p>
              {!props.agency && outcome.result.certificate && (
                <ArchiveForm user={user} certificateNo={outcome.result.certificate.certificateNo} />
              )}
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
            </div>
          )}
        </section>
        <section class="card" aria-labelledby="lookup-h">
          <h2 id="lookup-h">{t('police.lookup.title')}</h2>
          <form method="post" action={`${base}/lookup`}>
            <Csrf user={user} />
            <Alert text={lookup.alert} />
            <Field
              name="certificateNo"
              label={t('police.lookup.certificateNo')}
              value={lookup.values.certificateNo}
              errors={lookup.errors.get('certificateNo')}
            />
            <Field
              name="motherIdNumber"
              label={t('police.lookup.motherIdNumber')}
              value={lookup.values.motherIdNumber}
              errors={lookup.errors.get('motherIdNumber')}
            />
            <Select
              name="purpose"
              label={t('police.lookup.purpose')}
              value={lookup.values.purpose ?? ''}
              options={purposeOptions}
              errors={lookup.errors.get('purpose')}
            />
            <Field
              name="purposeOther"
              label={t('police.lookup.purposeOther')}
              value={lookup.values.purposeOther}
              errors={lookup.errors.get('purposeOther')}
            />
            <button type="submit">{t('police.lookup.submit')}</button>
          </form>
        </section>
      </div>
      {view.records && (
        <section aria-labelledby="records-h">
          <h2 id="records-h">{t('police.record.title')}</h2>
          {view.records.length === 0 && <p class="card">{t('issuer.search.none')}</p>}
          {view.records.map((c) => (
            <div key={c.certificateNo} class="card">
              {view.household?.notice && (
                <p class="notice" role="status">
                  {view.household.notice}
                </p>
              )}
              <SummaryItems c={c} />
              {!props.agency && c.householdRegistration && (
                <p class="reason">
                  {t('police.household.already', {
                    date: c.householdRegistration.registeredOn,
                    unit: c.householdRegistration.policeUnit,
                    no: c.householdRegistration.certificateNo,
                  })}
                </p>
              )}
              {!props.agency && !c.householdRegistration && c.status === 'valid' && (
                <HouseholdForm
                  user={user}
                  c={c}
                  values={view.household?.values ?? {}}
                  errors={view.household?.errors ?? noErrors}
                  alert={view.household?.alert}
                />
              )}
            </div>
          ))}
        </section>
      )}
    </ConsoleLayout>
  );
}
