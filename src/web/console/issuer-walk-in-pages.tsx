import { birthTimeText } from '../../domain/codes/display-text.ts';
import type { DeliveryRecord } from '../../domain/lifecycle/records.ts';
import { ConsoleLayout, type ConsoleUser, Csrf, Items } from '../console-layout.tsx';
import { type ConsoleKey, consoleT as t } from '../console-messages.ts';
import { Alert, Field } from '../layout.tsx';
import { chinaDateTime } from '../time.ts';
import {
  ApplicantFields,
  BirthPlaceFields,
  FatherFields,
  MotherFields,
  NewbornFields,
} from './certificate-item-fields.tsx';
import type { FieldErrors, FormValues } from './components.tsx';

/** 窗口申领: pick the delivery record of a birth in this institution, or enter a birth outside one. */
export function WalkInStartPage(props: { user: ConsoleUser; deliveries: DeliveryRecord[] }) {
  return (
    <ConsoleLayout title={t('issuer.walkIn.title')} user={props.user}>
      <h1>{t('issuer.walkIn.title')}</h1>
      <p class="lead">{t('issuer.walkIn.intro')}</p>
      <section class="card" aria-labelledby="deliveries-h">
        <h2 id="deliveries-h">{t('issuer.walkIn.deliveries')}</h2>
        {props.deliveries.length === 0 ? (
          <p>{t('issuer.walkIn.deliveries.none')}</p>
        ) : (
          <ul class="queue">
            {props.deliveries.map((d) => (
              <li key={d.id} class="delivery-pick">
                <p class="queue-title">
                  {t('midwife.recent.mother')} {d.mother.name} · {t(`midwife.sex.${d.newborn.sex}` as ConsoleKey)}
                </p>
                <p>
                  {t('midwife.recent.birthTime')}：{birthTimeText(d.newborn.birthTime)} ·{' '}
                  {t('midwife.hospitalRecordNo')}：{d.hospitalRecordNo} · {t('midwife.recent.recordedAt')}：
                  {chinaDateTime(d.recordedAt)}
                </p>
                <a
                  class="button secondary"
                  href={`/console/issuer/walk-in/deliveries/${d.id}`}
                  aria-label={`${t('issuer.walkIn.choose')}：${d.mother.name}（${d.hospitalRecordNo}）`}
                >
                  {t('issuer.walkIn.choose')}
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="card" aria-labelledby="outside-h">
        <h2 id="outside-h">{t('issuer.walkIn.outside')}</h2>
        <a class="button secondary" href="/console/issuer/walk-in/outside">
          {t('issuer.walkIn.outside.open')}
        </a>
      </section>
    </ConsoleLayout>
  );
}

/** The walk-in application form; with a delivery record only the newborn's name of the birth items. */
export function WalkInFormPage(props: {
  user: ConsoleUser;
  delivery: DeliveryRecord | null;
  values: FormValues;
  errors: FieldErrors;
  alert?: string | undefined;
}) {
  const { user, delivery, values, errors } = props;
  const title = delivery ? t('issuer.walkIn.withDelivery.title') : t('issuer.walkIn.outside.title');
  return (
    <ConsoleLayout title={title} user={user}>
      <h1>{title}</h1>
      <p class="lead">{delivery ? t('issuer.walkIn.withDelivery.intro') : t('issuer.walkIn.outside.intro')}</p>
      {delivery && (
        <section class="card" aria-labelledby="delivery-h">
          <h2 id="delivery-h">{t('issuer.review.delivery')}</h2>
          <Items
            rows={[
              [t('midwife.recent.birthTime'), birthTimeText(delivery.newborn.birthTime)],
              [t('midwife.sex'), t(`midwife.sex.${delivery.newborn.sex}` as ConsoleKey)],
              [t('midwife.recent.mother'), delivery.mother.name],
              [t('midwife.hospitalRecordNo'), delivery.hospitalRecordNo],
            ]}
          />
        </section>
      )}
      <form
        method="post"
        action="/console/issuer/walk-in"
        class="card"
        id="walk-in-form"
        hx-post="/console/issuer/walk-in/validate"
        hx-trigger="change"
        hx-swap="none"
        hx-sync="this:replace"
      >
        <Csrf user={user} />
        {delivery && <input type="hidden" name="deliveryId" value={delivery.id} />}
        <Alert text={props.alert} />
        <div class="fieldsets">
          <NewbornFields values={values} errors={errors} nameOnly={delivery !== null} />
          {!delivery && (
            <BirthPlaceFields values={values} errors={errors} categories={['3', '9']} withInstitution={false}>
              <Field
                name="paternityReportNo"
                label={t('items.paternityReportNo')}
                value={values.paternityReportNo}
                errors={errors.get('paternityReportNo')}
                errorSlot
              />
            </BirthPlaceFields>
          )}
          <MotherFields values={values} errors={errors} />
          <FatherFields values={values} errors={errors} />
          <ApplicantFields values={values} errors={errors} />
        </div>
        <button type="submit">{t('issuer.walkIn.submit')}</button>
      </form>
    </ConsoleLayout>
  );
}
