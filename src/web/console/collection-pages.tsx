import type { dayList } from '../../domain/appointments/slots.ts';
import { ConsoleLayout, type ConsoleUser, Csrf } from '../console-layout.tsx';
import { consoleT as t } from '../console-messages.ts';
import { Alert, Field } from '../layout.tsx';
import { chinaDateTime } from '../time.ts';
import type { FieldErrors, FormValues } from './components.tsx';

/** 今日取证: the issuer's day of collection appointments, the handover button, a new slot. */

export type CollectionDay = ReturnType<typeof dayList>;

export interface CollectionView {
  date: string;
  day: CollectionDay | null;
  notice?: string | undefined;
  alert?: string | undefined;
  slotForm: { values: FormValues; errors: FieldErrors; alert?: string | undefined };
}

const hhmm = (iso: string) => chinaDateTime(iso).slice(11);

function SlotSection({ user, date, slot }: { user: ConsoleUser; date: string; slot: CollectionDay['slots'][number] }) {
  const headingId = `slot-${slot.id}`;
  return (
    <section class="card" aria-labelledby={headingId}>
      <div class="slot-head">
        <h2 id={headingId}>
          {t('collection.slot', {
            start: hhmm(slot.startsAt),
            end: hhmm(slot.endsAt),
            capacity: slot.capacity,
            remaining: slot.remaining,
          })}
          {slot.closed && t('collection.slot.closed')}
        </h2>
        {!slot.closed && (
          <form method="post" action={`/console/issuer/collection/slots/${slot.id}/close`}>
            <Csrf user={user} />
            <input type="hidden" name="date" value={date} />
            <button type="submit" class="secondary small">
              {t('collection.close')}
            </button>
          </form>
        )}
      </div>
      {slot.appointments.length === 0 ? (
        <p>{t('collection.slot.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table class="collection">
            <thead>
              <tr>
                <th scope="col">{t('collection.col.certificateNo')}</th>
                <th scope="col">{t('collection.col.newborn')}</th>
                <th scope="col">{t('collection.col.mother')}</th>
                <th scope="col">{t('collection.col.status')}</th>
                <th scope="col">{t('collection.col.action')}</th>
              </tr>
            </thead>
            <tbody>
              {slot.appointments.map((a) => (
                <tr key={a.id}>
                  <td data-label={t('collection.col.certificateNo')}>{a.certificateNo}</td>
                  <td data-label={t('collection.col.newborn')}>{a.newbornName}</td>
                  <td data-label={t('collection.col.mother')}>{a.motherName}</td>
                  <td
                    data-label={t('collection.col.status')}
                    class={a.status === 'handed-over' ? 'status ok' : undefined}
                  >
                    {a.status === 'handed-over'
                      ? t('collection.handedOver', {
                          at: chinaDateTime(a.handedOverAt ?? ''),
                          by: a.handedOverBy ?? '',
                        })
                      : t('collection.booked')}
                  </td>
                  <td>
                    {a.status === 'booked' && (
                      <form method="post" action={`/console/issuer/collection/${a.id}/handover`}>
                        <Csrf user={user} />
                        <input type="hidden" name="date" value={date} />
                        <button
                          type="submit"
                          class="small"
                          aria-label={t('collection.handOver.label', { name: a.newbornName, no: a.certificateNo })}
                        >
                          {t('collection.handOver')}
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function CollectionPage({ user, view }: { user: ConsoleUser; view: CollectionView }) {
  const { values, errors } = view.slotForm;
  return (
    <ConsoleLayout title={t('collection.title')} user={user}>
      <h1>{t('collection.title')}</h1>
      <p class="lead">{t('collection.intro')}</p>
      {view.notice && (
        <p class="notice" role="status">
          {view.notice}
        </p>
      )}
      <Alert text={view.alert} />
      <form method="get" action="/console/issuer/collection" class="card actions">
        <Field name="date" type="date" label={t('collection.date')} value={view.date} />
        <button type="submit" class="secondary">
          {t('collection.show')}
        </button>
      </form>
      {view.day && view.day.slots.length === 0 && <p class="card">{t('collection.none')}</p>}
      {view.day?.slots.map((slot) => (
        <SlotSection key={slot.id} user={user} date={view.date} slot={slot} />
      ))}
      <form method="post" action="/console/issuer/collection/slots" class="card narrow">
        <h2>{t('collection.new.title')}</h2>
        <Csrf user={user} />
        <Alert text={view.slotForm.alert} />
        <Field
          name="slotDate"
          type="date"
          label={t('collection.new.date')}
          value={values.slotDate ?? view.date}
          errors={errors.get('slotDate')}
        />
        <div class="pair">
          <Field
            name="start"
            type="time"
            label={t('collection.new.start')}
            value={values.start}
            errors={errors.get('start')}
          />
          <Field name="end" type="time" label={t('collection.new.end')} value={values.end} errors={errors.get('end')} />
        </div>
        <Field
          name="capacity"
          label={t('collection.new.capacity')}
          inputmode="numeric"
          value={values.capacity}
          errors={errors.get('capacity')}
        />
        <button type="submit">{t('collection.new.submit')}</button>
      </form>
    </ConsoleLayout>
  );
}
