import type { AppointmentView } from '../../domain/appointments/bookings.ts';
import type { Certificate } from '../../domain/certificate.ts';
import { Alert, Field, Layout, type PageContext } from '../layout.tsx';
import type { MessageKey } from '../messages.ts';
import { CitizenOidcForm } from '../oidc-pages.tsx';
import { chinaDateTime } from '../time.ts';
import { AppointmentSummary } from './appointment.tsx';

export interface ClaimView {
  values: { certificateNo?: string; motherIdNumber?: string };
  errors: Map<string, string[]>;
  alert?: string | undefined;
  /** Sign-in through the government platform is offered (configured). */
  oidc?: { value?: string | undefined; error?: string | undefined } | undefined;
}

export interface CertificateView {
  certificate: Certificate;
  status: string;
  supersededBy: string | null;
  history: { certificateNo: string; version: number; status: string; issuedAt: string; supersededBy?: string }[];
}

const statusKey: Record<string, MessageKey> = {
  valid: 'my.status.valid',
  superseded: 'my.status.superseded',
  void: 'my.status.void',
  revoked: 'my.status.revoked',
};

export function ClaimPage({ ctx, view }: { ctx: PageContext; view: ClaimView }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('my.title')}>
      <h1>{t('my.title')}</h1>
      <p class="lead">{t('my.claim.intro')}</p>
      <form
        method="post"
        action="/my"
        class="card"
        hx-post="/my"
        hx-target="#main"
        hx-select="#main"
        hx-swap="outerHTML"
      >
        <Alert text={view.alert} />
        <Field
          name="certificateNo"
          label={t('my.claim.certificateNo')}
          value={view.values.certificateNo}
          errors={view.errors.get('certificateNo')}
          autofocus={view.errors.size === 0}
        />
        <Field
          name="motherIdNumber"
          label={t('my.claim.motherIdNumber')}
          value={view.values.motherIdNumber}
          errors={view.errors.get('motherIdNumber')}
        />
        <Field name="claimCode" label={t('my.claim.claimCode')} errors={view.errors.get('claimCode')} />
        <button type="submit">{t('my.claim.submit')}</button>
      </form>
      {view.oidc && <CitizenOidcForm ctx={ctx} purpose="my" value={view.oidc.value} error={view.oidc.error} />}
    </Layout>
  );
}

export function CertificatePage({
  ctx,
  view,
  appointments,
}: {
  ctx: PageContext;
  view: CertificateView;
  /** 预约取证: shown while the certificate is current or once its paper was collected. */
  appointments?: AppointmentView[] | undefined;
}) {
  const { t } = ctx;
  const c = view.certificate;
  const status = t(statusKey[view.status] ?? 'my.status.valid', { no: view.supersededBy ?? '' });
  const rows: [MessageKey, string][] = [
    ['item.certificateNo', c.certificateNo],
    ['item.status', status],
    ['item.newbornName', c.newborn.name],
    ['item.sex', t(c.newborn.sex === '1' ? 'sex.1' : 'sex.2')],
    ['item.birthTime', chinaDateTime(c.newborn.birthTime)],
    ['item.motherName', c.mother.name],
    ['item.issuer', c.issuer.name],
    ['item.issueDate', c.issueDate],
  ];
  return (
    <Layout ctx={ctx} title={t('my.title')}>
      <h1>{t('my.title')}</h1>
      <p class={view.status === 'valid' ? 'status ok' : 'status bad'}>{status}</p>
      <section class="card" aria-labelledby="items-heading">
        <h2 id="items-heading">{t('my.items')}</h2>
        <dl class="items">
          {rows.map(([key, value]) => (
            <div key={key}>
              <dt>{t(key)}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section class="card" aria-labelledby="history-heading">
        <h2 id="history-heading">{t('my.history')}</h2>
        <ol class="history">
          {view.history.map((h) => (
            <li key={h.certificateNo}>
              <span>{t('my.history.version', { n: h.version })}</span> <span>{h.certificateNo}</span>{' '}
              <span>{t(statusKey[h.status] ?? 'my.status.valid', { no: h.supersededBy ?? '' })}</span>{' '}
              <span class="hint">{chinaDateTime(h.issuedAt)}</span>
            </li>
          ))}
        </ol>
      </section>
      <section class="card" aria-labelledby="downloads-heading">
        <h2 id="downloads-heading">{t('my.downloads')}</h2>
        <p>
          <a class="button" href="/my/pdf" download>
            {t('my.download.pdf')}
          </a>
        </p>
        <p>
          <a class="button secondary" href="/my/signed.json" download>
            {t('my.download.signed')}
          </a>
        </p>
      </section>
      {appointments && <AppointmentSummary ctx={ctx} base="/my" appointments={appointments} />}
      <section class="card" aria-labelledby="how-heading">
        <h2 id="how-heading">{t('my.howVerify')}</h2>
        <p>{t('my.howVerify.body')}</p>
        <img class="qr" src="/my/qr.svg" alt={t('my.qr.alt')} width="220" height="220" />
      </section>
      <form method="post" action="/my/sign-out">
        <button type="submit" class="secondary">
          {t('my.signOut')}
        </button>
      </form>
    </Layout>
  );
}
