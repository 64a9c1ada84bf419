import type { AppointmentView } from '../../domain/appointments/bookings.ts';
import type { SlotView } from '../../domain/appointments/slots.ts';
import { Alert, FieldError, Layout, type PageContext } from '../layout.tsx';
import type { MessageKey, Translate } from '../messages.ts';
import { chinaDateTime } from '../time.ts';

/** 预约取证 on the parents' pages: a summary on /my and /apply/status, the booking page under each. */

export type AppointmentBase = '/my' | '/apply';

export interface AppointmentPageView {
  base: AppointmentBase;
  certificateNo: string;
  institutionName: string;
  appointments: AppointmentView[];
  slots: SlotView[];
  errors: Map<string, string[]>;
  alert?: string | undefined;
}

/** `2026-12-01 09:00 至 10:00（北京时间）`: a slot as the parents read it. */
export const slotText = (t: Translate, slot: { startsAt: string; endsAt: string }) => {
  const start = chinaDateTime(slot.startsAt);
  const end = chinaDateTime(slot.endsAt);
  return t('appt.when', { start, end: end.slice(0, 10) === start.slice(0, 10) ? end.slice(11) : end });
};

const statusKey = (status: AppointmentView['status']) => `appt.status.${status}` as MessageKey;

/** The line /my and /apply/status show, with the way to the booking page. */
export function AppointmentSummary(props: {
  ctx: PageContext;
  base: AppointmentBase;
  appointments: AppointmentView[];
}) {
  const { t } = props.ctx;
  const collected = props.appointments.find((a) => a.status === 'handed-over');
  const booked = props.appointments.find((a) => a.status === 'booked');
  return (
    <section class="card" aria-labelledby="appointment-heading">
      <h2 id="appointment-heading">{t('appt.title')}</h2>
      {collected ? (
        <p class="status ok">{t('appt.collected', { at: chinaDateTime(collected.handedOverAt ?? '') })}</p>
      ) : (
        <>
          <p class={booked ? 'status ok' : undefined}>
            {booked ? t('appt.booked', { when: slotText(t, booked.slot) }) : t('appt.none')}
          </p>
          <p>
            <a class="button" href={`${props.base}/appointment`}>
              {t('appt.open')}
            </a>
          </p>
        </>
      )}
    </section>
  );
}

export function AppointmentPage({ ctx, view }: { ctx: PageContext; view: AppointmentPageView }) {
  const { t } = ctx;
  const action = `${view.base}/appointment`;
  const collected = view.appointments.find((a) => a.status === 'handed-over');
  const booked = view.appointments.find((a) => a.status === 'booked');
  const choices = view.slots.filter((s) => s.id !== booked?.slot.id);
  const slotErrors = view.errors.get('slotId') ?? [];
  const back = view.base === '/my' ? '/my' : '/apply/status';
  return (
    <Layout ctx={ctx} title={t('appt.title')}>
      <h1>{t('appt.title')}</h1>
      <p class="lead">{t('appt.intro')}</p>
      <p>
        {t('appt.where', { name: view.institutionName })}
        <br />
        {t('appt.certificateNo', { no: view.certificateNo })}
      </p>
      <Alert text={view.alert} />
      <section class="card" aria-labelledby="current-heading">
        <h2 id="current-heading">{t('appt.current')}</h2>
        {collected ? (
          <p class="status ok">{t('appt.collected', { at: chinaDateTime(collected.handedOverAt ?? '') })}</p>
        ) : booked ? (
          <>
            <p class="status ok">{t('appt.booked', { when: slotText(t, booked.slot) })}</p>
            <form method="post" action={action}>
              <input type="hidden" name="action" value="cancel" />
              <input type="hidden" name="appointmentId" value={booked.id} />
              <button type="submit" class="secondary">
                {t('appt.cancel')}
              </button>
            </form>
          </>
        ) : (
          <p>{t('appt.none')}</p>
        )}
      </section>
      {!collected && (
        <form method="post" action={action} class="card">
          <input type="hidden" name="action" value={booked ? 'move' : 'book'} />
          {booked && <input type="hidden" name="appointmentId" value={booked.id} />}
          <fieldset
            class={slotErrors.length > 0 ? 'slots invalid' : 'slots'}
            aria-describedby={slotErrors.length > 0 ? 'f-slotId-error' : undefined}
          >
            <legend>{t('appt.slots')}</legend>
            {slotErrors.length > 0 && <FieldError id="f-slotId-error" errors={slotErrors} />}
            {choices.length === 0 ? (
              <p>{t('appt.noSlots')}</p>
            ) : (
              choices.map((slot, i) => (
                <div class="slot" key={slot.id}>
                  <input type="radio" id={`slot-${i}`} name="slotId" value={slot.id} />
                  <label for={`slot-${i}`}>
                    {slotText(t, slot)} <span class="hint">{t('appt.seats', { n: slot.remaining })}</span>
                  </label>
                </div>
              ))
            )}
          </fieldset>
          {choices.length > 0 && <button type="submit">{booked ? t('appt.move') : t('appt.book')}</button>}
        </form>
      )}
      {view.appointments.length > 0 && (
        <section class="card" aria-labelledby="appointments-heading">
          <h2 id="appointments-heading">{t('appt.history')}</h2>
          <ul class="history">
            {view.appointments.map((a) => (
              <li key={a.id}>
                {slotText(t, a.slot)} — {t(statusKey(a.status))}
              </li>
            ))}
          </ul>
        </section>
      )}
      <p>
        <a href={back}>{t('appt.back')}</a>
      </p>
    </Layout>
  );
}
