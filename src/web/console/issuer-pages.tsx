import type { CrossCheckFinding } from '../../domain/lifecycle/cross-check.ts';
import type { QueueEntry, QueueStatus } from '../../domain/lifecycle/online-application-ports.ts';
import { ConsoleLayout, type ConsoleUser, Csrf } from '../console-layout.tsx';
import { type ConsoleKey, consoleT as t } from '../console-messages.ts';
import { Alert, Field, Select } from '../layout.tsx';
import { chinaDateTime } from '../time.ts';
import { type CertificateSummary, type FieldErrors, type FormValues, noErrors, SummaryItems } from './components.tsx';

// ---- issuer

export function QueuePage(props: { user: ConsoleUser; status: QueueStatus; entries: QueueEntry[] }) {
  const statuses: QueueStatus[] = ['submitted', 'returned', 'issued'];
  const failures = (checks: CrossCheckFinding[]) => checks.flatMap((c) => c.items ?? []).length;
  return (
    <ConsoleLayout title={t('issuer.title')} user={props.user}>
      <h1>{t('issuer.title')}</h1>
      <nav class="tabs" aria-label={t('issuer.title')}>
        {statuses.map((s) => (
          <a key={s} href={`/console/issuer?status=${s}`} aria-current={s === props.status ? 'page' : undefined}>
            {t(`issuer.status.${s}` as ConsoleKey)}
          </a>
        ))}
      </nav>
      {props.entries.length === 0 ? (
        <p class="card">{t('issuer.queue.none')}</p>
      ) : (
        <ul class="queue">
          {props.entries.map((e) => {
            const n = failures(e.checks);
            return (
              <li key={e.id} class="card">
                <p class="queue-title">
                  {e.newborn.name} · {t('issuer.queue.mother')} {e.mother.name}
                </p>
                <p>
                  {t('issuer.queue.channel')}：{t(`issuer.channel.${e.channel}` as ConsoleKey)} ·{' '}
                  {chinaDateTime(e.createdAt)} ·{' '}
                  <span class={n === 0 ? 'status ok' : 'status bad'}>
                    {n === 0 ? t('issuer.check.pass') : t('issuer.check.fail', { n })}
                  </span>
                  {e.certificateNo && ` · ${e.certificateNo}`}
                </p>
                {e.returnReason && <p class="reason">{t('issuer.review.returned', { reason: e.returnReason })}</p>}
                <a
                  class="button secondary"
                  href={
                    e.certificateNo
                      ? `/console/issuer/certificates/${e.certificateNo}`
                      : `/console/issuer/applications/${e.id}`
                  }
                  // The visible word starts the name, so speech input can say it; the child tells rows apart.
                  aria-label={`${t('issuer.queue.open')}：${e.newborn.name}`}
                >
                  {t('issuer.queue.open')}
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </ConsoleLayout>
  );
}

export interface ReviewRow {
  item: string;
  application: string;
  delivery: string;
  mismatch: boolean;
}

export function ReviewPage(props: {
  user: ConsoleUser;
  id: string;
  newbornName: string;
  status: string;
  rows: ReviewRow[] | null;
  returnReason?: string | undefined;
  online: boolean;
  values?: FormValues;
  errors?: FieldErrors;
  alert?: string | undefined;
}) {
  const errors = props.errors ?? noErrors;
  const mismatches = props.rows?.some((r) => r.mismatch) ?? false;
  return (
    <ConsoleLayout title={t('issuer.review.title')} user={props.user}>
      <h1>
        {t('issuer.review.title')}：{props.newbornName}
      </h1>
      <Alert text={props.alert} />
      {props.returnReason && <p class="reason">{t('issuer.review.returned', { reason: props.returnReason })}</p>}
      {props.rows === null ? (
        <p class="card">{t('issuer.review.noDelivery')}</p>
      ) : (
        <div class="table-wrap card">
          <table class="compare">
            <caption>{t('issuer.review.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('issuer.review.item')}</th>
                <th scope="col">{t('issuer.review.application')}</th>
                <th scope="col">{t('issuer.review.delivery')}</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((r) => (
                <tr key={r.item} class={r.mismatch ? 'mismatch' : undefined}>
                  <th scope="row">
                    {r.item}
                    {r.mismatch && <strong class="flag">（{t('issuer.review.mismatch')}）</strong>}
                  </th>
                  <td data-label={t('issuer.review.application')}>{r.application}</td>
                  <td data-label={t('issuer.review.delivery')}>{r.delivery}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.status === 'submitted' && (
        <div class="grid2">
          <form method="post" action={`/console/issuer/applications/${props.id}/issue`} class="card">
            <Csrf user={props.user} />
            {/* A mismatch is refused by the issue use case anyway: no button that can only fail. */}
            {mismatches ? (
              <p class="error">{t('issuer.review.cannotIssue')}</p>
            ) : (
              <button type="submit">{t('issuer.review.issue')}</button>
            )}
          </form>
          {props.online && (
            <form method="post" action={`/console/issuer/applications/${props.id}/return`} class="card">
              <Csrf user={props.user} />
              <Field
                name="reason"
                label={t('issuer.review.returnReason')}
                value={props.values?.reason}
                errors={errors.get('reason')}
              />
              <button type="submit" class="secondary">
                {t('issuer.review.return')}
              </button>
            </form>
          )}
        </div>
      )}
    </ConsoleLayout>
  );
}

export function CertificatePage(props: {
  user: ConsoleUser;
  c: CertificateSummary;
  claimCode?: string | undefined;
  alert?: string | undefined;
  notice?: string | undefined;
  values?: FormValues;
  errors?: FieldErrors;
}) {
  const { c, user } = props;
  const errors = props.errors ?? noErrors;
  const pdf = `/console/issuer/certificates/${c.certificateNo}/pdf`;
  const current = c.status === 'valid';
  return (
    <ConsoleLayout title={t('issuer.certificate.title', { no: c.certificateNo })} user={user}>
      <h1>{t('issuer.certificate.title', { no: c.certificateNo })}</h1>
      <Alert text={props.alert} />
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      {props.claimCode && (
        <section class="card handover" aria-labelledby="claim-h">
          <h2 id="claim-h">{t('issuer.certificate.claimCode')}</h2>
          <p class="code">{props.claimCode}</p>
          <p>{t('issuer.certificate.claimCodeHint')}</p>
        </section>
      )}
      <section class="card" aria-labelledby="items-h">
        <h2 id="items-h">{t('police.record.title')}</h2>
        <SummaryItems c={c} />
      </section>
      <section class="card no-print-frame" aria-labelledby="pdf-h">
        <h2 id="pdf-h">{t('issuer.certificate.pdf')}</h2>
        {/* Out of the Tab order: a PDF viewer takes the focus into its own document, where no ring of
            this page shows and Tab does not come back; 打印 and 下载 PDF are the keyboard's way. */}
        <iframe class="pdf" src={pdf} title={t('issuer.certificate.pdf')} tabindex={-1} />
        <p class="actions">
          <button type="button" data-print-frame="iframe.pdf">
            {t('console.print')}
          </button>
          <a class="button secondary" href={`${pdf}?download=1`}>
            {t('issuer.certificate.download')}
          </a>
        </p>
      </section>
      {current && (
        <section class="card" aria-labelledby="actions-h">
          <h2 id="actions-h">{t('issuer.certificate.actions')}</h2>
          <div class="grid2">
            <form method="post" action={`/console/issuer/certificates/${c.certificateNo}/claim-code`}>
              <h3>{t('issuer.certificate.claimCodeLost')}</h3>
              <Csrf user={user} />
              <button type="submit" class="secondary">
                {t('issuer.certificate.newClaimCode')}
              </button>
            </form>
            <form method="post" action={`/console/issuer/certificates/${c.certificateNo}/reissue`}>
              <h3>{t('issuer.reissue.title')}</h3>
              <Csrf user={user} />
              <Field
                name="reissue.reason"
                label={t('issuer.reissue.reason')}
                value={props.values?.['reissue.reason']}
                errors={errors.get('reissue.reason')}
              />
              <button type="submit" class="secondary">
                {t('issuer.reissue.submit')}
              </button>
            </form>
            <div>
              <h3>{t('issuer.replace.title')}</h3>
              <a class="button secondary" href={`/console/issuer/certificates/${c.certificateNo}/replace`}>
                {t('issuer.replace.open')}
              </a>
            </div>
            <form method="post" action={`/console/issuer/certificates/${c.certificateNo}/void`}>
              <h3>{t('issuer.void.title')}</h3>
              <Csrf user={user} />
              <Select
                name="void.reason"
                label={t('issuer.void.reason')}
                value={props.values?.['void.reason'] ?? 'ENTRY_ERROR'}
                options={(['PRINT_ERROR', 'ENTRY_ERROR', 'LOST_BLANK', 'OTHER'] as const).map((r) => ({
                  value: r,
                  text: t(`void.${r}`),
                }))}
                errors={errors.get('void.reason')}
              />
              <Field
                name="void.note"
                label={t('issuer.void.note')}
                value={props.values?.['void.note']}
                errors={errors.get('void.note')}
              />
              <button type="submit" class="danger">
                {t('issuer.void.submit')}
              </button>
            </form>
          </div>
        </section>
      )}
    </ConsoleLayout>
  );
}

export function IssuerSearchPage(props: {
  user: ConsoleUser;
  values?: FormValues;
  errors?: FieldErrors;
  alert?: string | undefined;
  results?: CertificateSummary[] | undefined;
}) {
  const errors = props.errors ?? noErrors;
  return (
    <ConsoleLayout title={t('issuer.search.title')} user={props.user}>
      <h1>{t('issuer.search.title')}</h1>
      <form method="post" action="/console/issuer/search" class="card">
        <Csrf user={props.user} />
        <Alert text={props.alert} />
        <Field
          name="certificateNo"
          label={t('issuer.search.certificateNo')}
          value={props.values?.certificateNo}
          errors={errors.get('certificateNo')}
        />
        <Field
          name="motherIdNumber"
          label={t('issuer.search.motherIdNumber')}
          value={props.values?.motherIdNumber}
          errors={errors.get('motherIdNumber')}
        />
        <button type="submit">{t('issuer.search.submit')}</button>
      </form>
      {props.results && (
        <section aria-labelledby="results-h">
          <h2 id="results-h">{t('issuer.search.results')}</h2>
          {props.results.length === 0 && <p class="card">{t('issuer.search.none')}</p>}
          {props.results.map((c) => (
            <div key={c.certificateNo} class="card">
              <SummaryItems c={c} />
              <a
                class="button secondary"
                href={`/console/issuer/certificates/${c.certificateNo}`}
                aria-label={`${t('issuer.queue.open')}：${c.certificateNo}`}
              >
                {t('issuer.queue.open')}
              </a>
            </div>
          ))}
        </section>
      )}
    </ConsoleLayout>
  );
}
