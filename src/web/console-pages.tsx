import { raw } from 'hono/html';
import { BIRTH_PLACE_CATEGORIES } from '../domain/codes/birth-place-category.ts';
import { birthTimeText } from '../domain/codes/display-text.ts';
import { ETHNIC_GROUP_LIST } from '../domain/codes/ethnicity.ts';
import { HEALTH_CODES } from '../domain/codes/health.ts';
import { ID_TYPES } from '../domain/codes/id-types.ts';
import type { CrossCheckFinding } from '../domain/lifecycle/cross-check.ts';
import type { QueueEntry, QueueStatus } from '../domain/lifecycle/online-application-ports.ts';
import type { DeliveryRecord } from '../domain/lifecycle/records.ts';
import { ConsoleLayout, type ConsoleUser, Csrf, Items, roleName } from './console-layout.tsx';
import { type ConsoleKey, consoleT as t } from './console-messages.ts';
import { Alert, Field, FieldError, fieldErrorId, Select } from './layout.tsx';
import { translator } from './messages.ts';
import { type VerifyOutcome, verdictOf } from './pages/verify.tsx';
import { chinaDateTime } from './time.ts';

export type FormValues = Record<string, string>;
export type FieldErrors = Map<string, string[]>;
const noErrors: FieldErrors = new Map();

const options = (table: Readonly<Record<string, string>>) =>
  Object.entries(table).map(([value, text]) => ({ value, text }));

// ---- sign-in, 403, home

export function SignInPage(props: { values?: FormValues; alert?: string | undefined }) {
  const v = props.values ?? {};
  return (
    <ConsoleLayout title={t('console.signIn.title')}>
      <h1>{t('console.signIn.title')}</h1>
      <p class="lead">{t('console.signIn.intro')}</p>
      <form method="post" action="/console/sign-in" class="card narrow">
        <Alert text={props.alert} />
        <Field name="username" label={t('console.signIn.username')} value={v.username} autocomplete="username" />
        <div class="field">
          <label for="f-password">{t('console.signIn.password')}</label>
          <input id="f-password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <button type="submit">{t('console.signIn.submit')}</button>
      </form>
    </ConsoleLayout>
  );
}

export function ForbiddenPage({ user }: { user: ConsoleUser }) {
  return (
    <ConsoleLayout title={t('console.forbidden.title')} user={user}>
      <h1>{t('console.forbidden.title')}</h1>
      <p class="alert" role="alert">
        {t('console.forbidden.body', { role: roleName(user.role) })}
      </p>
      <p>
        <a class="button" href="/console">
          {t('console.forbidden.home')}
        </a>
      </p>
    </ConsoleLayout>
  );
}

export function MessagePage(props: { user?: ConsoleUser | undefined; title: string; body: string }) {
  return (
    <ConsoleLayout title={props.title} user={props.user}>
      <h1>{props.title}</h1>
      <p class="alert" role="alert">
        {props.body}
      </p>
      <p>
        <a class="button" href="/console">
          {t('console.forbidden.home')}
        </a>
      </p>
    </ConsoleLayout>
  );
}

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
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('midwife.recent.recordedAt')}</th>
                  <th scope="col">{t('midwife.recent.birthTime')}</th>
                  <th scope="col">{t('midwife.sex')}</th>
                  <th scope="col">{t('midwife.recent.mother')}</th>
                  <th scope="col">{t('midwife.hospitalRecordNo')}</th>
                </tr>
              </thead>
              <tbody>
                {props.recent.map((d) => (
                  <tr key={d.id}>
                    <td>{chinaDateTime(d.recordedAt)}</td>
                    <td>{birthTimeText(d.newborn.birthTime)}</td>
                    <td>{t(`midwife.sex.${d.newborn.sex}` as ConsoleKey)}</td>
                    <td>{d.mother.name}</td>
                    <td>{d.hospitalRecordNo}</td>
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
                  <td>{r.application}</td>
                  <td>{r.delivery}</td>
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
            {mismatches && <p class="error">{t('issuer.review.cannotIssue')}</p>}
            <button type="submit">{t('issuer.review.issue')}</button>
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

export interface CertificateSummary {
  certificateNo: string;
  status: string;
  newbornName: string;
  sex: string;
  birthTime: string;
  motherName: string;
  issuerName: string;
  issueDate: string;
  householdRegistration: { registeredOn: string; policeUnit: string; certificateNo: string } | null;
  supersededBy: string | null;
}

const statusText = (s: string) => t(`status.${s}` as ConsoleKey);

export function SummaryItems({ c }: { c: CertificateSummary }) {
  return (
    <Items
      rows={[
        [t('item.certificateNo'), c.certificateNo],
        [t('item.status'), c.supersededBy ? `${statusText(c.status)}（${c.supersededBy}）` : statusText(c.status)],
        [t('item.newbornName'), c.newbornName],
        [t('item.sex'), t(`midwife.sex.${c.sex}` as ConsoleKey)],
        [t('item.birthTime'), birthTimeText(c.birthTime)],
        [t('item.motherName'), c.motherName],
        [t('item.issuer'), c.issuerName],
        [t('item.issueDate'), c.issueDate],
        ...(c.householdRegistration
          ? [
              [
                t('police.household.title'),
                t('police.household.registered', {
                  date: c.householdRegistration.registeredOn,
                  unit: c.householdRegistration.policeUnit,
                }),
              ] as [string, string],
            ]
          : []),
      ]}
    />
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
        <iframe class="pdf" src={pdf} title={t('issuer.certificate.pdf')} />
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
            <form method="post" action={`/console/issuer/certificates/${c.certificateNo}/replace`}>
              <h3>{t('issuer.replace.title')}</h3>
              <Csrf user={user} />
              <Field
                name="replace.newbornName"
                label={t('issuer.replace.newbornName')}
                value={props.values?.['replace.newbornName'] ?? c.newbornName}
                errors={errors.get('changes.newborn.name')}
              />
              <Field
                name="replace.reason"
                label={t('issuer.replace.reason')}
                value={props.values?.['replace.reason']}
                errors={errors.get('replace.reason')}
              />
              <button type="submit" class="secondary">
                {t('issuer.replace.submit')}
              </button>
            </form>
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
      hx-trigger="change, input changed delay:400ms from:input[name=childIdNumber]"
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
      <button type="submit">{t('police.household.submit')}</button>
    </form>
  );
}

const HOUSEHOLD_FIELDS = ['childIdNumber', 'registeredOn', 'policeUnit'] as const;

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
