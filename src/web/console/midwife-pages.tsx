import { raw } from 'hono/html';
import { BIRTH_PLACE_CATEGORIES } from '../../domain/codes/birth-place-category.ts';
import { birthTimeText } from '../../domain/codes/display-text.ts';
import { ETHNIC_GROUP_LIST } from '../../domain/codes/ethnicity.ts';
import { HEALTH_CODES } from '../../domain/codes/health.ts';
import { ID_TYPES } from '../../domain/codes/id-types.ts';
import type { DeliveryRecord } from '../../domain/lifecycle/records.ts';
import { ConsoleLayout, type ConsoleUser, Csrf, Items } from '../console-layout.tsx';
import { type ConsoleKey, consoleT as t } from '../console-messages.ts';
import { Alert, Field, FieldError, fieldErrorId, Select } from '../layout.tsx';
import { chinaDateTime } from '../time.ts';
import { type FieldErrors, type FormValues, options } from './components.tsx';

// ---- midwife

export interface DeliveryFormView {
  values: FormValues;
  errors: FieldErrors;
  alert?: string | undefined;
  /** The birth is more than 24 h ago: the late-entry reason is asked for. */
  late: boolean;
}

/** The boxes of the delivery form, in order; each has an error paragraph the as-you-type check replaces. */
const DELIVERY_FIELDS = [
  'newborn.sex',
  'newborn.birthTime',
  'newborn.gestation.weeks',
  'newborn.gestation.days',
  'newborn.weightGrams',
  'newborn.lengthCm',
  'newborn.health',
  'birthPlaceCategory',
  'birthPlace.divisionCode',
  'mother.name',
  'mother.age',
  'mother.nationality',
  'mother.ethnicity',
  'mother.address',
  'mother.idType',
  'mother.idNumber',
  'hospitalRecordNo',
  'midwifeName',
] as const;

function LateEntrySlot(props: { view: DeliveryFormView; oob?: boolean }) {
  const { view } = props;
  return (
    <div id="late-entry-slot" hx-swap-oob={props.oob ? 'true' : undefined}>
      {view.late && (
        <Field
          name="lateEntryReason"
          label={t('midwife.lateEntryReason')}
          value={view.values.lateEntryReason}
          errors={view.errors.get('lateEntryReason')}
          errorSlot
        />
      )}
    </div>
  );
}

/**
 * The as-you-type check's answer: only the error paragraphs and, when it appears or goes, the
 * late-entry box — never the boxes being typed into, so nothing typed while the answer travels is lost.
 */
export function DeliveryCheck(props: { view: DeliveryFormView; lateShown: boolean }) {
  const { view } = props;
  const slotChanges = view.late !== props.lateShown;
  return (
    <>
      {DELIVERY_FIELDS.map((name) => (
        <FieldError key={name} id={fieldErrorId(name)} errors={view.errors.get(name) ?? []} oob />
      ))}
      {slotChanges && <LateEntrySlot view={view} oob />}
      {!slotChanges && view.late && (
        <FieldError id={fieldErrorId('lateEntryReason')} errors={view.errors.get('lateEntryReason') ?? []} oob />
      )}
    </>
  );
}

export function DeliveryForm({ user, view }: { user: ConsoleUser; view: DeliveryFormView }) {
  const { values, errors } = view;
  const field = (name: string, key: ConsoleKey, extra: { inputmode?: 'numeric'; type?: string } = {}) => (
    <Field name={name} label={t(key)} value={values[name]} errors={errors.get(name)} errorSlot {...extra} />
  );
  const select = (name: string, key: ConsoleKey, opts: { value: string; text: string }[], fallback: string) => (
    <Select
      name={name}
      label={t(key)}
      value={values[name] ?? fallback}
      options={opts}
      errors={errors.get(name)}
      errorSlot
    />
  );
  return (
    <form
      method="post"
      action="/console/midwife/deliveries"
      class="card"
      id="delivery-form"
      hx-post="/console/midwife/deliveries/validate"
      hx-trigger="change"
      hx-swap="none"
      hx-sync="this:replace"
    >
      <Csrf user={user} />
      <Alert text={view.alert} />
      <fieldset>
        <legend>{t('midwife.newborn')}</legend>
        {select(
          'newborn.sex',
          'midwife.sex',
          [
            { value: '', text: '—' },
            { value: '1', text: t('midwife.sex.1') },
            { value: '2', text: t('midwife.sex.2') },
          ],
          '',
        )}
        {field('newborn.birthTime', 'midwife.birthTime', { type: 'datetime-local' })}
        <LateEntrySlot view={view} />
        <div class="pair">
          {field('newborn.gestation.weeks', 'midwife.gestationWeeks', { inputmode: 'numeric' })}
          {field('newborn.gestation.days', 'midwife.gestationDays', { inputmode: 'numeric' })}
        </div>
        <div class="pair">
          {field('newborn.weightGrams', 'midwife.weightGrams', { inputmode: 'numeric' })}
          {field('newborn.lengthCm', 'midwife.lengthCm')}
        </div>
        {select('newborn.health', 'midwife.health', options(HEALTH_CODES), '1')}
        {select(
          'birthPlaceCategory',
          'midwife.birthPlaceCategory',
          options(BIRTH_PLACE_CATEGORIES).filter((o) => o.value === '1' || o.value === '2'),
          '1',
        )}
        {field('birthPlace.divisionCode', 'midwife.divisionCode', { inputmode: 'numeric' })}
      </fieldset>
      <fieldset>
        <legend>{t('midwife.mother')}</legend>
        {field('mother.name', 'midwife.name')}
        {field('mother.age', 'midwife.age', { inputmode: 'numeric' })}
        {field('mother.nationality', 'midwife.nationality')}
        {select(
          'mother.ethnicity',
          'midwife.ethnicity',
          ETHNIC_GROUP_LIST.map((e) => ({ value: e.code, text: e.name })),
          '01',
        )}
        {field('mother.address', 'midwife.address')}
        {select('mother.idType', 'midwife.idType', options(ID_TYPES), '01')}
        {field('mother.idNumber', 'midwife.idNumber')}
      </fieldset>
      <fieldset>
        <legend>{t('midwife.record')}</legend>
        {field('hospitalRecordNo', 'midwife.hospitalRecordNo')}
        {field('midwifeName', 'midwife.midwifeName')}
      </fieldset>
      <button type="submit">{t('midwife.submit')}</button>
    </form>
  );
}

export function MidwifePage(props: { user: ConsoleUser; view: DeliveryFormView; recent: DeliveryRecord[] }) {
  return (
    <ConsoleLayout title={t('midwife.title')} user={props.user}>
      <h1>{t('midwife.title')}</h1>
      <p class="lead">{t('midwife.intro')}</p>
      <DeliveryForm user={props.user} view={props.view} />
      <section class="card" aria-labelledby="recent-h">
        <h2 id="recent-h">{t('midwife.recent')}</h2>
        {props.recent.length === 0 ? (
          <p>{t('midwife.recent.none')}</p>
        ) : (
          <div class="table-wrap">
            <table class="stack">
              <thead>
                <tr>
                  <th scope="col">{t('midwife.recent.mother')}</th>
                  <th scope="col">{t('midwife.recent.birthTime')}</th>
                  <th scope="col">{t('midwife.sex')}</th>
                  <th scope="col">{t('midwife.hospitalRecordNo')}</th>
                  <th scope="col">{t('midwife.recent.recordedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {props.recent.map((d) => (
                  <tr key={d.id}>
                    <th scope="row">{d.mother.name}</th>
                    <td data-label={t('midwife.recent.birthTime')}>{birthTimeText(d.newborn.birthTime)}</td>
                    <td data-label={t('midwife.sex')}>{t(`midwife.sex.${d.newborn.sex}` as ConsoleKey)}</td>
                    <td data-label={t('midwife.hospitalRecordNo')}>{d.hospitalRecordNo}</td>
                    <td data-label={t('midwife.recent.recordedAt')}>{chinaDateTime(d.recordedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </ConsoleLayout>
  );
}

export function DischargeSlipPage(props: {
  user: ConsoleUser;
  delivery: DeliveryRecord;
  applicationCode: string;
  qrSvg: string;
}) {
  const { delivery: d } = props;
  return (
    <ConsoleLayout title={t('slip.title')} user={props.user}>
      <article class="card slip" aria-labelledby="slip-h">
        <h1 id="slip-h">{t('slip.title')}</h1>
        <p>{t('slip.intro')}</p>
        <Items
          rows={[
            [t('midwife.recent.mother'), d.mother.name],
            [t('midwife.sex'), t(`midwife.sex.${d.newborn.sex}` as ConsoleKey)],
            [t('midwife.recent.birthTime'), birthTimeText(d.newborn.birthTime)],
            [t('midwife.hospitalRecordNo'), d.hospitalRecordNo],
          ]}
        />
        <p class="code-label">{t('slip.code')}</p>
        <p class="code">{props.applicationCode}</p>
        <figure class="slip-qr">
          <div class="qr-svg" role="img" aria-label={t('slip.qr')}>
            {raw(props.qrSvg)}
          </div>
          <figcaption>{t('slip.qr')}</figcaption>
        </figure>
        <p>{t('slip.howTo')}</p>
        <p class="note no-print">{t('slip.codeOnce')}</p>
      </article>
      <p class="actions no-print">
        <button type="button" data-print>
          {t('console.print')}
        </button>
        <a class="button secondary" href="/console/midwife">
          {t('slip.another')}
        </a>
      </p>
    </ConsoleLayout>
  );
}
