import type { AppointmentView } from '../../domain/appointments/bookings.ts';
import type { ApplicationStatusView } from '../../domain/lifecycle/online-applications.ts';
import { ethnicityOptions, idTypeOptions } from '../code-names.ts';
import { Alert, Field, Layout, type PageContext, Select } from '../layout.tsx';
import { oidcT } from '../oidc-messages.ts';
import { CitizenOidcForm } from '../oidc-pages.tsx';
import { AppointmentSummary } from './appointment.tsx';

export type FormValues = Record<string, string>;

export interface ApplyView {
  values: FormValues;
  errors: Map<string, string[]>;
  alert?: string | undefined;
  openValues?: FormValues;
  openErrors?: Map<string, string[]>;
  openAlert?: string | undefined;
  /** Sign-in through the government platform is offered (configured). */
  oidc?: { value?: string | undefined; error?: string | undefined } | undefined;
  /** The platform verified the parent: the code and ID number are not asked again. */
  verified?: boolean;
}

const enhance = { 'hx-target': '#main', 'hx-select': '#main', 'hx-swap': 'outerHTML' };

/** The parents' items: newborn's name, father (or why absent), applicant. Used to apply and to correct. */
function ItemsFields({ ctx, values, errors }: { ctx: PageContext; values: FormValues; errors: Map<string, string[]> }) {
  const { t } = ctx;
  const idTypes = idTypeOptions(ctx.lang);
  const ethnicities = [{ value: '', text: t('apply.ethnicity.none') }, ...ethnicityOptions(ctx.lang)];
  const field = (name: string, label: string, extra: { inputmode?: 'numeric' } = {}) => (
    <Field name={name} label={label} value={values[name]} errors={errors.get(name)} {...extra} />
  );
  const fatherErrors = errors.get('father');
  return (
    <>
      <fieldset>
        <legend>{t('apply.newborn')}</legend>
        {field('newborn.name', t('apply.newbornName'))}
      </fieldset>
      <fieldset>
        <legend>{t('apply.father')}</legend>
        {fatherErrors && <p class="error">{fatherErrors.join(' ')}</p>}
        <div class="field check">
          <input
            type="checkbox"
            id="f-fatherAbsent"
            name="fatherAbsent"
            value="yes"
            checked={values.fatherAbsent === 'yes'}
          />
          <label for="f-fatherAbsent">{t('apply.fatherAbsent')}</label>
        </div>
        {field('fatherAbsentReason', t('apply.fatherAbsentReason'))}
        {field('father.name', t('apply.name'))}
        {field('father.age', t('apply.age'), { inputmode: 'numeric' })}
        {field('father.nationality', t('apply.nationality'))}
        <Select
          name="father.ethnicity"
          label={t('apply.ethnicity')}
          value={values['father.ethnicity'] ?? '01'}
          options={ethnicities}
          errors={errors.get('father.ethnicity')}
        />
        {field('father.address', t('apply.address'))}
        <Select
          name="father.idType"
          label={t('apply.idType')}
          value={values['father.idType'] ?? '01'}
          options={idTypes}
          errors={errors.get('father.idType')}
        />
        {field('father.idNumber', t('apply.idNumber'))}
      </fieldset>
      <fieldset>
        <legend>{t('apply.applicant')}</legend>
        {field('applicant.name', t('apply.name'))}
        <Select
          name="applicant.relation"
          label={t('apply.relation')}
          value={values['applicant.relation'] ?? 'mother'}
          options={(['mother', 'father', 'other'] as const).map((r) => ({ value: r, text: t(`apply.relation.${r}`) }))}
          errors={errors.get('applicant.relation')}
        />
        <Select
          name="applicant.idType"
          label={t('apply.idType')}
          value={values['applicant.idType'] ?? '01'}
          options={idTypes}
          errors={errors.get('applicant.idType')}
        />
        {field('applicant.idNumber', t('apply.idNumber'))}
      </fieldset>
    </>
  );
}

export function ApplyPage({ ctx, view }: { ctx: PageContext; view: ApplyView }) {
  const { t } = ctx;
  const openValues = view.openValues ?? {};
  const openErrors = view.openErrors ?? new Map();
  return (
    <Layout ctx={ctx} title={t('apply.title')}>
      <h1>{t('apply.title')}</h1>
      <p class="lead">{view.verified ? oidcT(ctx.lang)('oidc.apply.verified') : t('apply.intro')}</p>
      {view.oidc && !view.verified && (
        <CitizenOidcForm ctx={ctx} purpose="apply" value={view.oidc.value} error={view.oidc.error} />
      )}
      <form method="post" action="/apply" class="card" hx-post="/apply" {...enhance}>
        <Alert text={view.alert} />
        {!view.verified && (
          <>
            <Field
              name="applicationCode"
              label={t('apply.code')}
              value={view.values.applicationCode}
              errors={view.errors.get('applicationCode')}
            />
            <Field
              name="motherIdNumber"
              label={t('apply.motherIdNumber')}
              value={view.values.motherIdNumber}
              errors={view.errors.get('motherIdNumber')}
            />
          </>
        )}
        <ItemsFields ctx={ctx} values={view.values} errors={view.errors} />
        <button type="submit">{t('apply.submit')}</button>
      </form>
      {!view.verified && (
        <form method="post" action="/apply/open" class="card" hx-post="/apply/open" {...enhance}>
          <h2>{t('apply.open.title')}</h2>
          <Alert text={view.openAlert} />
          <Field
            name="open.applicationCode"
            label={t('apply.code')}
            value={openValues['open.applicationCode']}
            errors={openErrors.get('applicationCode')}
          />
          <Field
            name="open.motherIdNumber"
            label={t('apply.motherIdNumber')}
            value={openValues['open.motherIdNumber']}
            errors={openErrors.get('motherIdNumber')}
          />
          <button type="submit">{t('apply.open.submit')}</button>
        </form>
      )}
    </Layout>
  );
}

export interface StatusView {
  status: ApplicationStatusView;
  values: FormValues;
  errors: Map<string, string[]>;
  alert?: string | undefined;
  /** 预约取证, once issued. */
  appointments?: AppointmentView[] | undefined;
}

export function ApplicationStatusPage({ ctx, view }: { ctx: PageContext; view: StatusView }) {
  const { t } = ctx;
  const { status } = view;
  const reached = { submitted: 1, returned: 1, issued: 3 }[status.status];
  const steps = [t('apply.step.submitted'), t('apply.step.review'), t('apply.step.issued')];
  return (
    <Layout ctx={ctx} title={t('apply.status.title')}>
      <h1>{t('apply.status.title')}</h1>
      <ol class="steps" aria-label={t('apply.steps')}>
        {steps.map((s, i) => (
          <li key={s} class={i < reached ? 'done' : ''} aria-current={i === reached - 1 ? 'step' : undefined}>
            {s}
          </li>
        ))}
      </ol>
      <section class="card" aria-labelledby="status-heading">
        <h2 id="status-heading" class={status.status === 'returned' ? 'status bad' : 'status ok'}>
          {t(`apply.status.${status.status}`)}
        </h2>
        <p>
          {t('item.newbornName')}: {status.newborn.name}
        </p>
        {status.returnReason && <p class="reason">{t('apply.status.returnReason', { reason: status.returnReason })}</p>}
        {status.certificateNo && (
          <>
            <p>{t('apply.status.issuedBody', { no: status.certificateNo })}</p>
            {status.currentCertificateNo && <p>{t('apply.status.replaced', { no: status.currentCertificateNo })}</p>}
            <p>
              <a class="button" href="/apply/pdf" download>
                {t('my.download.pdf')}
              </a>
            </p>
            <p>
              <a class="button secondary" href="/apply/signed.json" download>
                {t('my.download.signed')}
              </a>
            </p>
          </>
        )}
      </section>
      {view.appointments && <AppointmentSummary ctx={ctx} base="/apply" appointments={view.appointments} />}
      {status.status === 'returned' && (
        <form method="post" action="/apply/status" class="card" hx-post="/apply/status" {...enhance}>
          <Alert text={view.alert} />
          <ItemsFields ctx={ctx} values={view.values} errors={view.errors} />
          <button type="submit">{t('apply.resubmit')}</button>
        </form>
      )}
      <form method="post" action="/apply/sign-out">
        <button type="submit" class="secondary">
          {t('apply.signOut')}
        </button>
      </form>
    </Layout>
  );
}
