import { roles } from '../../domain/accounts/account.ts';
import type { AccountSummary } from '../../domain/accounts/account-administration.ts';
import type { NumberRange } from '../../domain/institution.ts';
import type { StockUse } from '../../domain/number-stock-administration.ts';
import type { SigningKeyRecord } from '../../domain/trust/ports.ts';
import { ConsoleLayout, type ConsoleUser, Csrf, roleName } from '../console-layout.tsx';
import { type ConsoleKey, consoleT as t } from '../console-messages.ts';
import { Alert, Field, Select } from '../layout.tsx';
import { chinaDateTime } from '../time.ts';
import { type CertificateSummary, type FieldErrors, type FormValues, noErrors, SummaryItems } from './components.tsx';

// ---- administrator

export interface FormState {
  values: FormValues;
  errors: FieldErrors;
  alert?: string | undefined;
}
const blank: FormState = { values: {}, errors: noErrors };

const Notice = ({ text }: { text: string | undefined }) =>
  text ? (
    <p class="notice" role="status">
      {text}
    </p>
  ) : null;

/** A revocation time to the second (China time): signing times are judged to the second. */
export const chinaSeconds = (iso: string) => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const t8 = new Date(ms + 8 * 3_600_000).toISOString();
  return `${t8.slice(0, 10)} ${t8.slice(11, 19)}`;
};

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(2)}%`);
const rangeText = (r: NumberRange) =>
  `${r.prefix}${String(r.firstNo).padStart(9, '0')} – ${r.prefix}${String(r.lastNo).padStart(9, '0')}`;

export function StockPage(props: {
  user: ConsoleUser;
  stock: (StockUse & { ranges: NumberRange[] })[];
  form?: FormState;
  notice?: string | undefined;
}) {
  const form = props.form ?? blank;
  return (
    <ConsoleLayout title={t('admin.stock.title')} user={props.user}>
      <h1>{t('admin.stock.title')}</h1>
      <p class="lead">{t('admin.stock.intro')}</p>
      <Notice text={props.notice} />
      {/* Focusable: where the table is wider than the screen it scrolls, and a keyboard must reach it. */}
      <section class="table-wrap card" tabindex={0} aria-label={t('admin.stock.caption')}>
        <table class="stack">
          <caption>{t('admin.stock.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.stock.institution')}</th>
              <th scope="col">{t('admin.stock.ranges')}</th>
              <th scope="col" class="num">
                {t('admin.stock.received')}
              </th>
              <th scope="col" class="num">
                {t('admin.stock.issued')}
              </th>
              <th scope="col" class="num">
                {t('admin.stock.voided')}
              </th>
              <th scope="col" class="num">
                {t('admin.stock.left')}
              </th>
              <th scope="col" class="num">
                {t('admin.stock.voidRate')}
              </th>
            </tr>
          </thead>
          <tbody>
            {props.stock.map((s) => (
              <tr key={s.institution.creditCode}>
                <th scope="row">
                  {s.institution.name}
                  <br />
                  <span class="muted">{s.institution.creditCode}</span>
                </th>
                <td data-label={t('admin.stock.ranges')}>
                  <span>
                    {s.ranges.map((r) => (
                      <span key={r.id} class="range">
                        {rangeText(r)}
                      </span>
                    ))}
                  </span>
                </td>
                <td class="num" data-label={t('admin.stock.received')}>
                  {s.received}
                </td>
                <td class="num" data-label={t('admin.stock.issued')}>
                  {s.issued}
                </td>
                <td class="num" data-label={t('admin.stock.voided')}>
                  {s.voided}
                </td>
                <td class="num" data-label={t('admin.stock.left')}>
                  {s.left}
                </td>
                <td class="num" data-label={t('admin.stock.voidRate')}>
                  {percent(s.voidRate)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card narrow" aria-labelledby="receive-h">
        <h2 id="receive-h">{t('admin.stock.receive')}</h2>
        <form method="post" action="/console/admin/number-ranges">
          <Csrf user={props.user} />
          <Alert text={form.alert} />
          <Select
            name="institution"
            label={t('admin.stock.receiveFor')}
            value={form.values.institution ?? ''}
            options={[
              { value: '', text: '—' },
              ...props.stock.map((s) => ({ value: s.institution.creditCode, text: s.institution.name })),
            ]}
            errors={form.errors.get('institution')}
          />
          <Field
            name="prefix"
            label={t('admin.stock.prefix')}
            value={form.values.prefix}
            errors={form.errors.get('prefix')}
          />
          <Field
            name="firstNo"
            label={t('admin.stock.firstNo')}
            value={form.values.firstNo}
            inputmode="numeric"
            errors={form.errors.get('firstNo')}
          />
          <Field
            name="lastNo"
            label={t('admin.stock.lastNo')}
            value={form.values.lastNo}
            inputmode="numeric"
            errors={form.errors.get('lastNo')}
          />
          <button type="submit">{t('admin.stock.submit')}</button>
        </form>
      </section>
    </ConsoleLayout>
  );
}

export function AccountsPage(props: {
  user: ConsoleUser;
  accounts: AccountSummary[];
  /** The identity-provider subjects linked to an account. */
  subjectsOf: (username: string) => string[];
  institutions: { creditCode: string; name: string }[];
  form?: FormState;
  notice?: string | undefined;
  /** A password just set, shown this once: never in a URL, a log or a later page. */
  password?: { username: string; password: string } | undefined;
  now: Date;
}) {
  const form = props.form ?? blank;
  const nameOf = (code: string | null) =>
    code === null ? '—' : (props.institutions.find((i) => i.creditCode === code)?.name ?? code);
  const action = (username: string, what: string) => `/console/admin/accounts/${encodeURIComponent(username)}/${what}`;
  return (
    <ConsoleLayout title={t('admin.accounts.title')} user={props.user}>
      <h1>{t('admin.accounts.title')}</h1>
      <Notice text={props.notice} />
      {props.password && (
        <section class="card handover" aria-labelledby="password-h">
          <h2 id="password-h">{t('admin.accounts.password', { user: props.password.username })}</h2>
          <p class="code password">{props.password.password}</p>
          <p>{t('admin.accounts.passwordOnce')}</p>
        </section>
      )}
      <section class="card narrow" aria-labelledby="create-h">
        <h2 id="create-h">{t('admin.accounts.create')}</h2>
        <form method="post" action="/console/admin/accounts">
          <Csrf user={props.user} />
          <Alert text={form.alert} />
          <Field
            name="username"
            label={t('admin.accounts.username')}
            value={form.values.username}
            errors={form.errors.get('username')}
          />
          <Field
            name="displayName"
            label={t('admin.accounts.displayName')}
            value={form.values.displayName}
            errors={form.errors.get('displayName')}
          />
          <Select
            name="role"
            label={t('admin.accounts.role')}
            value={form.values.role ?? ''}
            options={[{ value: '', text: '—' }, ...roles.map((r) => ({ value: r, text: roleName(r) }))]}
            errors={form.errors.get('role')}
          />
          <Select
            name="institution"
            label={t('admin.accounts.institution')}
            value={form.values.institution ?? ''}
            options={[
              { value: '', text: t('admin.accounts.noInstitution') },
              ...props.institutions.map((i) => ({ value: i.creditCode, text: i.name })),
            ]}
            errors={form.errors.get('institution')}
          />
          <button type="submit">{t('admin.accounts.submit')}</button>
        </form>
      </section>
      <section class="table-wrap card" tabindex={0} aria-label={t('admin.accounts.caption')}>
        <table class="stack">
          <caption>{t('admin.accounts.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('console.signIn.username')}</th>
              <th scope="col">{t('admin.accounts.role')}</th>
              <th scope="col">{t('admin.stock.institution')}</th>
              <th scope="col">{t('admin.accounts.state')}</th>
              <th scope="col">{t('admin.accounts.identities')}</th>
              <th scope="col">{t('admin.accounts.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {props.accounts.map((a) => {
              const lockedUntil = a.locks
                .map((l) => l.lockedUntil)
                .filter((until) => until.getTime() > props.now.getTime())
                .sort((x, y) => y.getTime() - x.getTime())[0];
              const subjects = props.subjectsOf(a.username);
              return (
                <tr key={a.username}>
                  <th scope="row">
                    {a.username}
                    {a.displayName && (
                      <>
                        <br />
                        <span class="muted">{a.displayName}</span>
                      </>
                    )}
                  </th>
                  <td data-label={t('admin.accounts.role')}>{roleName(a.role)}</td>
                  <td data-label={t('admin.stock.institution')}>
                    {a.role === 'police'
                      ? a.policeUnit === null
                        ? t('admin.accounts.noPoliceUnit')
                        : t('admin.accounts.policeUnit', { unit: a.policeUnit })
                      : nameOf(a.institution)}
                  </td>
                  <td data-label={t('admin.accounts.state')}>
                    <span class={a.disabled ? 'status bad' : 'status ok'}>
                      {a.disabled ? t('admin.accounts.disabled') : t('admin.accounts.active')}
                    </span>
                    {lockedUntil && (
                      <>
                        <br />
                        {t('admin.accounts.locked', { until: chinaDateTime(lockedUntil.toISOString()) })}
                      </>
                    )}
                  </td>
                  <td data-label={t('admin.accounts.identities')}>
                    <span class="identities">
                      {subjects.length === 0 ? (
                        <span class="muted">{t('admin.accounts.noIdentities')}</span>
                      ) : (
                        subjects.map((subject) => (
                          <code class="kid subject" key={subject}>
                            {subject}
                          </code>
                        ))
                      )}
                      <a
                        href={`/console/admin/accounts/${encodeURIComponent(a.username)}`}
                        aria-label={`${a.role === 'police' ? t('admin.accounts.manageUnit') : t('admin.accounts.manage')}：${a.username}`}
                      >
                        {a.role === 'police' ? t('admin.accounts.manageUnit') : t('admin.accounts.manage')}
                      </a>
                    </span>
                  </td>
                  <td class="row-actions" data-label={t('admin.accounts.actions')}>
                    {a.username !== props.user.username && (
                      <form method="post" action={action(a.username, a.disabled ? 'enable' : 'disable')}>
                        <Csrf user={props.user} />
                        <button
                          type="submit"
                          class="secondary small"
                          aria-label={`${a.disabled ? t('admin.accounts.enable') : t('admin.accounts.disable')}：${a.username}`}
                        >
                          {a.disabled ? t('admin.accounts.enable') : t('admin.accounts.disable')}
                        </button>
                      </form>
                    )}
                    {a.locks.length > 0 && (
                      <form method="post" action={action(a.username, 'unlock')}>
                        <Csrf user={props.user} />
                        <button
                          type="submit"
                          class="secondary small"
                          aria-label={`${t('admin.accounts.unlock')}：${a.username}`}
                        >
                          {t('admin.accounts.unlock')}
                        </button>
                      </form>
                    )}
                    <form method="post" action={action(a.username, 'password')}>
                      <Csrf user={props.user} />
                      <button
                        type="submit"
                        class="secondary small"
                        aria-label={`${t('admin.accounts.reset')}：${a.username}`}
                      >
                        {t('admin.accounts.reset')}
                      </button>
                    </form>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </ConsoleLayout>
  );
}

const keyStatus = (k: SigningKeyRecord) =>
  k.status === 'revoked' || k.revokedAt !== null ? 'revoked' : k.retiredAt !== null ? 'retired' : k.status;

export function KeysPage(props: {
  user: ConsoleUser;
  institutions: { creditCode: string; name: string; keys: SigningKeyRecord[] }[];
  notice?: string | undefined;
  alert?: string | undefined;
}) {
  return (
    <ConsoleLayout title={t('admin.keys.title')} user={props.user}>
      <h1>{t('admin.keys.title')}</h1>
      <p class="lead">{t('admin.keys.intro')}</p>
      <Notice text={props.notice} />
      <Alert text={props.alert} />
      {props.institutions.map((i) => (
        <section key={i.creditCode} class="card" aria-labelledby={`keys-${i.creditCode}`}>
          <h2 id={`keys-${i.creditCode}`}>{i.name}</h2>
          <div class="table-wrap">
            <table class="stack">
              <caption class="visually-hidden">
                {t('admin.keys.title')}：{i.name}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.keys.kid')}</th>
                  <th scope="col">{t('admin.keys.status')}</th>
                  <th scope="col">{t('admin.keys.createdAt')}</th>
                  <th scope="col">{t('admin.keys.until')}</th>
                  <th scope="col">{t('admin.accounts.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {i.keys.map((k) => {
                  const status = keyStatus(k);
                  return (
                    <tr key={k.kid}>
                      <th scope="row">
                        <code class="kid">{k.kid}</code>
                      </th>
                      <td data-label={t('admin.keys.status')}>
                        <span
                          class={status === 'revoked' ? 'status bad' : status === 'active' ? 'status ok' : 'status'}
                        >
                          {t(`admin.keys.status.${status}` as ConsoleKey)}
                        </span>
                      </td>
                      <td data-label={t('admin.keys.createdAt')}>{chinaDateTime(k.createdAt)}</td>
                      <td data-label={t('admin.keys.until')}>
                        {k.revokedAt ? chinaSeconds(k.revokedAt) : k.retiredAt ? chinaDateTime(k.retiredAt) : '—'}
                      </td>
                      <td data-label={t('admin.accounts.actions')}>
                        {status !== 'revoked' && (
                          <a
                            class="button secondary small"
                            href={`/console/admin/keys/${k.kid}/revoke`}
                            aria-label={`${t('admin.keys.revoke')}：${k.kid.slice(0, 8)}`}
                          >
                            {t('admin.keys.revoke')}
                          </a>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <form method="post" action={`/console/admin/institutions/${i.creditCode}/signing-keys`}>
            <Csrf user={props.user} />
            <button type="submit" aria-label={`${t('admin.keys.rotate')}：${i.name}`}>
              {t('admin.keys.rotate')}
            </button>
          </form>
        </section>
      ))}
    </ConsoleLayout>
  );
}

/** The revocation form, then (with `consequences`) the same values awaiting confirmation. */
export function KeyRevokePage(props: {
  user: ConsoleUser;
  key_: SigningKeyRecord;
  form?: FormState;
  consequences?: { revokedAt: string; failing: string[] } | undefined;
}) {
  const form = props.form ?? blank;
  const k = props.key_;
  const action = `/console/admin/keys/${k.kid}/revoke`;
  const c = props.consequences;
  const at = c ? chinaSeconds(c.revokedAt) : '';
  return (
    <ConsoleLayout title={t('admin.keys.revokeTitle')} user={props.user}>
      <h1>{t('admin.keys.revokeTitle')}</h1>
      <p>
        {k.institutionName} · <code class="kid">{k.kid}</code>
      </p>
      {c ? (
        <section class="card" aria-labelledby="consequences-h">
          <h2 id="consequences-h">{t('admin.keys.consequences')}</h2>
          <p class="reason">
            {c.failing.length > 0
              ? t('admin.keys.failing', { at, n: c.failing.length })
              : t('admin.keys.noneFailing', { at })}
          </p>
          {c.failing.length > 0 && (
            <ul class="failing">
              {c.failing.map((no) => (
                <li key={no}>{no}</li>
              ))}
            </ul>
          )}
          <p>{t('admin.keys.before', { at })}</p>
          <p>
            {t('admin.keys.reason')}：{form.values.reason}
          </p>
          <form method="post" action={action}>
            <Csrf user={props.user} />
            <input type="hidden" name="revokedAt" value={c.revokedAt} />
            <input type="hidden" name="reason" value={form.values.reason ?? ''} />
            <input type="hidden" name="confirm" value="yes" />
            <div class="actions">
              <button type="submit" class="danger">
                {t('admin.keys.confirm')}
              </button>
              <a class="button secondary" href="/console/admin/keys">
                {t('admin.keys.cancel')}
              </a>
            </div>
          </form>
        </section>
      ) : (
        <form method="post" action={action} class="card narrow">
          <Csrf user={props.user} />
          <Alert text={form.alert} />
          <Field
            name="revokedAt"
            type="datetime-local"
            step="1"
            label={t('admin.keys.revokedAt')}
            value={form.values.revokedAt}
            errors={form.errors.get('revokedAt')}
          />
          <Field
            name="reason"
            label={t('admin.keys.reason')}
            value={form.values.reason}
            errors={form.errors.get('reason')}
          />
          <button type="submit">{t('admin.keys.preview')}</button>
        </form>
      )}
    </ConsoleLayout>
  );
}

/** Revoking a fraudulent certificate: number and reason, then the record to confirm against, then done. */
export interface CertificateRevokeView {
  user: ConsoleUser;
  form?: FormState;
  confirm?: CertificateSummary | undefined;
  done?: CertificateSummary | undefined;
}

export function CertificateRevokePage(props: CertificateRevokeView) {
  const form = props.form ?? blank;
  return (
    <ConsoleLayout title={t('admin.certificates.title')} user={props.user}>
      <h1>{t('admin.certificates.title')}</h1>
      {props.done ? (
        <section class="card">
          <Notice text={t('admin.certificates.done', { no: props.done.certificateNo })} />
          <SummaryItems c={props.done} />
        </section>
      ) : props.confirm ? (
        <section class="card" aria-labelledby="confirm-h">
          <h2 id="confirm-h">{t('admin.certificates.confirmTitle')}</h2>
          <SummaryItems c={props.confirm} />
          <p>
            {t('admin.certificates.reason')}：{form.values.reason}
          </p>
          <p class="reason">{t('admin.certificates.confirmBody')}</p>
          <form method="post" action="/console/admin/certificates/revoke">
            <Csrf user={props.user} />
            <input type="hidden" name="certificateNo" value={props.confirm.certificateNo} />
            <input type="hidden" name="reason" value={form.values.reason ?? ''} />
            <input type="hidden" name="confirm" value="yes" />
            <div class="actions">
              <button type="submit" class="danger">
                {t('admin.certificates.confirm')}
              </button>
              <a class="button secondary" href="/console/admin/certificates">
                {t('admin.keys.cancel')}
              </a>
            </div>
          </form>
        </section>
      ) : (
        <>
          <p class="lead">{t('admin.certificates.intro')}</p>
          <form method="post" action="/console/admin/certificates/revoke" class="card narrow">
            <Csrf user={props.user} />
            <Alert text={form.alert} />
            <Field
              name="certificateNo"
              label={t('admin.certificates.certificateNo')}
              value={form.values.certificateNo}
              errors={form.errors.get('certificateNo')}
            />
            <Field
              name="reason"
              label={t('admin.certificates.reason')}
              value={form.values.reason}
              errors={form.errors.get('reason')}
            />
            <button type="submit">{t('admin.certificates.next')}</button>
          </form>
        </>
      )}
    </ConsoleLayout>
  );
}
