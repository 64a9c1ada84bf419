import { ConsoleLayout, type ConsoleUser, Csrf } from '../console-layout.tsx';
import { consoleT as t } from '../console-messages.ts';
import { Alert, Field, FieldError, fieldErrorId } from '../layout.tsx';
import { ArchiveForm } from './archive-pages.tsx';
import {
  type CertificateSummary,
  type FieldErrors,
  type FormValues,
  LookupCard,
  type LookupView,
  noErrors,
  SummaryItems,
  VerifyCard,
  type VerifyView,
} from './components.tsx';

// ---- police

export interface PoliceView {
  verify?: VerifyView;
  lookup?: LookupView;
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
      {/* What the as-you-type check compares the ID number with (the page shows both already). */}
      <input type="hidden" name="_birthTime" value={c.birthTime} />
      <input type="hidden" name="_sex" value={c.sex} />
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

export function PolicePage(props: { user: ConsoleUser; view: PoliceView }) {
  const { user, view } = props;
  const base = '/console/police';
  return (
    <ConsoleLayout title={t('police.title')} user={user}>
      <h1>{t('police.title')}</h1>
      <div class="grid2">
        <VerifyCard
          user={user}
          base={base}
          verify={view.verify}
          action={(no) => <ArchiveForm user={user} certificateNo={no} />}
        />
        <LookupCard user={user} base={base} lookup={view.lookup} />
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
              {c.householdRegistration && (
                <p class="reason">
                  {t('police.household.already', {
                    date: c.householdRegistration.registeredOn,
                    unit: c.householdRegistration.policeUnit,
                    no: c.householdRegistration.certificateNo,
                  })}
                </p>
              )}
              {!c.householdRegistration && c.status === 'valid' && (
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
