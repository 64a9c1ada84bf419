import { ConsoleLayout, type ConsoleUser, Csrf } from '../console-layout.tsx';
import { consoleT as t } from '../console-messages.ts';
import { Alert, Field } from '../layout.tsx';
import { BirthPlaceFields, FatherFields, MotherFields, NewbornFields } from './certificate-item-fields.tsx';
import type { FieldErrors, FormValues } from './components.tsx';

/** 换发: every surface item, pre-filled with the certificate's current values. */
export function ReplacementPage(props: {
  user: ConsoleUser;
  no: string;
  values: FormValues;
  errors: FieldErrors;
  alert?: string | undefined;
}) {
  const { user, no, values, errors } = props;
  const action = `/console/issuer/certificates/${no}/replace`;
  return (
    <ConsoleLayout title={t('issuer.replace.title')} user={user}>
      <h1>
        {t('issuer.replace.title')}：{no}
      </h1>
      <p class="lead">{t('issuer.replace.intro')}</p>
      <form
        method="post"
        action={action}
        class="card"
        id="replace-form"
        hx-post={`${action}/validate`}
        hx-trigger="change"
        hx-swap="none"
        hx-sync="this:replace"
      >
        <Csrf user={user} />
        <Alert text={props.alert} />
        <Field
          name="reason"
          label={t('issuer.replace.reason')}
          value={values.reason}
          errors={errors.get('reason')}
          errorSlot
        />
        <div class="fieldsets">
          <NewbornFields values={values} errors={errors} />
          <BirthPlaceFields values={values} errors={errors} categories={['1', '2', '3', '9']} withInstitution />
          <MotherFields values={values} errors={errors} />
          <FatherFields values={values} errors={errors} />
        </div>
        <Field
          name="paternityReportNo"
          label={`${t('items.paternityReportNo')}${t('issuer.replace.paternityHint')}`}
          value={values.paternityReportNo}
          errors={errors.get('paternityReportNo')}
          errorSlot
        />
        <p class="actions">
          <button type="submit" name="step" value="review">
            {t('issuer.replace.review')}
          </button>
          <a class="button secondary" href={`/console/issuer/certificates/${no}`}>
            {t('issuer.replace.cancel')}
          </a>
        </p>
      </form>
    </ConsoleLayout>
  );
}

export interface ChangeRow {
  item: string;
  before: string;
  after: string;
}

/** What will change, before the new certificate is signed; the form's values travel along hidden. */
export function ReplacementSummaryPage(props: {
  user: ConsoleUser;
  no: string;
  rows: ChangeRow[];
  values: FormValues;
}) {
  const { user, no, rows, values } = props;
  return (
    <ConsoleLayout title={t('issuer.replace.summary.title', { no })} user={user}>
      <h1>{t('issuer.replace.summary.title', { no })}</h1>
      <p class="lead">{t('issuer.replace.summary.intro', { no })}</p>
      <form method="post" action={`/console/issuer/certificates/${no}/replace`} class="card">
        <Csrf user={user} />
        {Object.entries(values)
          .filter(([name]) => name !== '_csrf' && name !== 'step')
          .map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
        <div class="table-wrap">
          <table class="compare">
            <caption>
              {t('issuer.replace.summary.reason')}：{values.reason}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('issuer.replace.summary.item')}</th>
                <th scope="col">{t('issuer.replace.summary.before')}</th>
                <th scope="col">{t('issuer.replace.summary.after')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.item}>
                  <th scope="row">{r.item}</th>
                  <td data-label={t('issuer.replace.summary.before')}>{r.before}</td>
                  <td data-label={t('issuer.replace.summary.after')}>
                    <strong>{r.after}</strong>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="actions">
          <button type="submit" name="step" value="confirm">
            {t('issuer.replace.confirm')}
          </button>
          <button type="submit" name="step" value="edit" class="secondary">
            {t('issuer.replace.edit')}
          </button>
        </p>
      </form>
    </ConsoleLayout>
  );
}
