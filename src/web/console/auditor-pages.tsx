import type { AuditVerification } from '../../domain/audit/audit-checkpoint.ts';
import type { AuditEvent } from '../../domain/audit/audit-event.ts';
import { ConsoleLayout, type ConsoleUser, Csrf, Items, roleName } from '../console-layout.tsx';
import { type ConsoleKey, consoleT as t } from '../console-messages.ts';
import { Alert, Field } from '../layout.tsx';
import type { FieldErrors, FormValues } from './components.tsx';

// ---- auditor

export type ShownEvent = AuditEvent & { masked?: true };

export interface AuditorView {
  filter: { values: FormValues; errors: FieldErrors; alert?: string | undefined };
  events: ShownEvent[];
  /** The query string of the next (older) page, when there is one. */
  olderHref?: string | undefined;
  /** Whether this page is not the newest. */
  paged: boolean;
  /** The query string of the filter alone (for the export). */
  filterQuery: string;
  verification?: { report: AuditVerification; brokenEvent: ShownEvent | null };
  kept?: { number: number; seq: number; hash: string } | { noKey: true };
  anchor?: {
    values: FormValues;
    errors: FieldErrors;
    result?: { holds: true; seq: number } | { holds: false; seq: number; brokenEvent: ShownEvent | null };
  };
}

/** `2026-11-24 21:05:07` in China time: an auditor needs the seconds. */
export function chinaSeconds(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const s = new Date(ms + 8 * 3_600_000).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 19)}`;
}

const actorText = (e: AuditEvent) =>
  e.actor === null && e.role === null
    ? t('auditor.events.system')
    : `${e.actor ?? '—'}${e.role ? `（${e.role in roleNames ? roleName(e.role) : e.role}）` : ''}`;
const roleNames = {
  midwife: 1,
  issuer: 1,
  police: 1,
  agency: 1,
  admin: 1,
  auditor: 1,
  statistician: 1,
  citizen: 1,
  operator: 1,
};

function EventCard({ e, highlight }: { e: ShownEvent; highlight?: boolean }) {
  const details = Object.keys(e.details).length > 0 ? JSON.stringify(e.details) : null;
  return (
    <li class={highlight ? 'event card broken' : 'event card'} id={`event-${e.seq}`}>
      <p class="event-head">
        <span class="seq">#{e.seq}</span> <span class="action">{e.action}</span>
      </p>
      <Items
        rows={[
          [t('auditor.events.at'), chinaSeconds(e.at)],
          [t('auditor.events.actor'), actorText(e)],
          [t('auditor.events.target'), e.target],
          ...(e.purpose
            ? [[t('auditor.events.details'), t('auditor.events.purpose', { purpose: e.purpose })] as [string, string]]
            : []),
          ...(details ? [[t('auditor.events.details'), details] as [string, string]] : []),
          ...(e.masked ? [[t('auditor.events.details'), t('auditor.events.masked')] as [string, string]] : []),
        ]}
      />
    </li>
  );
}

function VerificationResult({ v }: { v: NonNullable<AuditorView['verification']> }) {
  const { report } = v;
  if (report.intact) {
    return (
      <div class="verdict ok" role="status">
        <p>{t('auditor.verify.intact', { events: report.events, checkpoints: report.checkpoints })}</p>
        {report.pinnedThrough && <p>{t('auditor.verify.pinned', { seq: report.pinnedThrough })}</p>}
      </div>
    );
  }
  const seq = report.firstBrokenAt ?? 0;
  return (
    <div class="verdict bad" role="alert">
      <p>
        <strong>{t('auditor.verify.broken', { seq, events: report.events })}</strong>
      </p>
      {report.checkpoint && (
        <p>
          {t('auditor.verify.checkpoint', {
            number: report.checkpoint.number,
            seq: report.checkpoint.seq,
            at: chinaSeconds(report.checkpoint.at),
            problem: t(`auditor.verify.problem.${report.checkpoint.problem}` as ConsoleKey),
          })}
        </p>
      )}
      {v.brokenEvent && (
        <>
          <h3>{t('auditor.verify.brokenEvent')}</h3>
          <ol class="events">
            <EventCard e={v.brokenEvent} highlight />
          </ol>
        </>
      )}
      <p>
        <a href={`/console/auditor?before=${seq + 3}`}>{t('auditor.verify.show')}</a>
      </p>
    </div>
  );
}

export function AuditorPage({ user, view }: { user: ConsoleUser; view: AuditorView }) {
  const v = view.filter.values;
  const e = view.filter.errors;
  const anchor: NonNullable<AuditorView['anchor']> = view.anchor ?? { values: {}, errors: new Map() };
  return (
    <ConsoleLayout title={t('auditor.title')} user={user}>
      <h1>{t('auditor.title')}</h1>
      <p class="lead">{t('auditor.intro')}</p>
      <div class="grid2">
        <section class="card" aria-labelledby="verify-h">
          <h2 id="verify-h">{t('auditor.verify.title')}</h2>
          <p>{t('auditor.verify.intro')}</p>
          <form method="post" action="/console/auditor/verify">
            <Csrf user={user} />
            <button type="submit">{t('auditor.verify.submit')}</button>
          </form>
          {view.verification && <VerificationResult v={view.verification} />}
        </section>
        <section class="card" aria-labelledby="anchor-h">
          <h2 id="anchor-h">{t('auditor.anchor.title')}</h2>
          <p>{t('auditor.anchor.intro')}</p>
          <form method="post" action="/console/auditor/anchor">
            <Csrf user={user} />
            <button type="submit">{t('auditor.anchor.keep')}</button>
          </form>
          {view.kept &&
            ('noKey' in view.kept ? (
              <p class="alert" role="alert">
                {t('auditor.anchor.noKey')}
              </p>
            ) : (
              <div class="notice kept" role="status">
                <p>{t('auditor.anchor.kept', { number: view.kept.number })}</p>
                <Items
                  rows={[
                    [t('auditor.anchor.seq'), String(view.kept.seq)],
                    [t('auditor.anchor.hash'), view.kept.hash],
                  ]}
                />
              </div>
            ))}
          <form method="post" action="/console/auditor/anchor/check">
            <h3>{t('auditor.anchor.checkTitle')}</h3>
            <Csrf user={user} />
            <Field
              name="seq"
              label={t('auditor.anchor.seq')}
              inputmode="numeric"
              value={anchor.values.seq}
              errors={anchor.errors.get('seq')}
            />
            <Field
              name="hash"
              label={t('auditor.anchor.hash')}
              value={anchor.values.hash}
              errors={anchor.errors.get('hash')}
            />
            <button type="submit" class="secondary">
              {t('auditor.anchor.check')}
            </button>
          </form>
          {anchor.result &&
            (anchor.result.holds ? (
              <p class="verdict ok" role="status">
                {t('auditor.anchor.holds', { seq: anchor.result.seq })}
              </p>
            ) : (
              <div class="verdict bad" role="alert">
                <p>{t('auditor.anchor.fails', { seq: anchor.result.seq })}</p>
                {anchor.result.brokenEvent && (
                  <ol class="events">
                    <EventCard e={anchor.result.brokenEvent} highlight />
                  </ol>
                )}
              </div>
            ))}
        </section>
      </div>
      <form method="get" action="/console/auditor" class="card filter" aria-labelledby="filter-h">
        <h2 id="filter-h">{t('auditor.filter.title')}</h2>
        <Alert text={view.filter.alert} />
        <div class="dates">
          <Field name="from" type="date" label={t('auditor.filter.from')} value={v.from} errors={e.get('from')} />
          <Field name="to" type="date" label={t('auditor.filter.to')} value={v.to} errors={e.get('to')} />
        </div>
        <Field name="actor" label={t('auditor.filter.actor')} value={v.actor} errors={e.get('actor')} />
        <Field name="action" label={t('auditor.filter.action')} value={v.action} errors={e.get('action')} />
        <Field
          name="certificateNo"
          label={t('auditor.filter.certificateNo')}
          value={v.certificateNo}
          errors={e.get('certificateNo')}
        />
        <div class="actions">
          <button type="submit">{t('auditor.filter.submit')}</button>
          <a class="button secondary" href="/console/auditor">
            {t('auditor.filter.clear')}
          </a>
        </div>
      </form>
      <section class="card" aria-labelledby="export-h">
        <h2 id="export-h">{t('auditor.export.title')}</h2>
        <p>{t('auditor.export.intro')}</p>
        <a class="button secondary" href={`/console/auditor/export${view.filterQuery}`} download>
          {t('auditor.export.submit')}
        </a>
      </section>
      <section aria-labelledby="events-h">
        <h2 id="events-h">{t('auditor.events.title')}</h2>
        {view.events.length === 0 ? (
          <p class="card">{t('auditor.events.none')}</p>
        ) : (
          <ol class="events">
            {view.events.map((ev) => (
              <EventCard key={ev.seq} e={ev} />
            ))}
          </ol>
        )}
        <p class="actions">
          {view.olderHref && (
            <a class="button secondary" href={view.olderHref}>
              {t('auditor.events.older')}
            </a>
          )}
          {view.paged && (
            <a class="button secondary" href={`/console/auditor${view.filterQuery}`}>
              {t('auditor.events.newest')}
            </a>
          )}
        </p>
      </section>
    </ConsoleLayout>
  );
}
