import type { VerificationResult } from '../../domain/verification/result.ts';
import { Alert, Field, Layout, type PageContext } from '../layout.tsx';
import { catalogue, type MessageKey } from '../messages.ts';
import { chinaDateTime } from '../time.ts';

export type VerifyOutcome = {
  result: Pick<VerificationResult, 'valid' | 'status' | 'reason' | 'supersededBy' | 'certificate'> & {
    checks: { name: string; result: string }[];
  };
  checkedAt: Date;
};

export interface VerifyView {
  qr?: string;
  qrError?: string;
  fileError?: string;
  outcome?: VerifyOutcome;
}

/** The verdict in words a clerk acts on, from the verification result alone. */
export function verdictOf(result: VerifyOutcome['result']): { key: MessageKey; body: MessageKey; tone: 'ok' | 'bad' } {
  if (result.valid) return { key: 'verdict.valid', body: 'verdict.valid.body', tone: 'ok' };
  const pdfFailed = result.checks.some((c) => c.name === 'pdf' && c.result === 'fail');
  switch (result.reason) {
    case 'SUPERSEDED':
      return { key: 'verdict.superseded', body: 'verdict.superseded.body', tone: 'bad' };
    case 'VOID':
      return { key: 'verdict.void', body: 'verdict.void.body', tone: 'bad' };
    case 'REVOKED':
      return { key: 'verdict.revoked', body: 'verdict.revoked.body', tone: 'bad' };
    case 'UNTRUSTED_ISSUER':
    case 'ISSUER_REVOKED':
      return { key: 'verdict.untrusted', body: 'verdict.untrusted.body', tone: 'bad' };
    case 'NOT_FOUND':
      return { key: 'verdict.notFound', body: 'verdict.notFound.body', tone: 'bad' };
    case 'BAD_SIGNATURE':
    case 'DATA_MISMATCH':
      return pdfFailed
        ? { key: 'verdict.pdfUnsigned', body: 'verdict.pdfUnsigned.body', tone: 'bad' }
        : { key: 'verdict.altered', body: 'verdict.altered.body', tone: 'bad' };
    default:
      return pdfFailed
        ? { key: 'verdict.pdfUnsigned', body: 'verdict.pdfUnsigned.body', tone: 'bad' }
        : { key: 'verdict.malformed', body: 'verdict.malformed.body', tone: 'bad' };
  }
}

function Verdict({ ctx, outcome }: { ctx: PageContext; outcome: VerifyOutcome }) {
  const { t } = ctx;
  const { result } = outcome;
  const verdict = verdictOf(result);
  const no = result.supersededBy ?? '';
  const c = result.certificate;
  const rows: [MessageKey, string][] = c
    ? [
        ['item.certificateNo', c.certificateNo],
        ['item.newbornName', c.newborn.name],
        ['item.sex', t(c.newborn.sex === '1' ? 'sex.1' : 'sex.2')],
        ['item.birthTime', chinaDateTime(c.newborn.birthTime)],
        ['item.motherName', c.mother.name],
        ['item.issuer', c.issuer.name],
        ['item.issueDate', c.issueDate],
        ['item.licenceId', c.licenceId],
      ]
    : [];
  return (
    <section id="result" class={`verdict ${verdict.tone}`} aria-labelledby="verdict-heading" tabindex={-1}>
      <p class="verdict-label">{t('verify.result.heading')}</p>
      <h2 id="verdict-heading">{t(verdict.key, { no })}</h2>
      <p>{t(verdict.body, { no })}</p>
      <p class="checked-at">{t('verify.result.checkedAt', { time: chinaDateTime(outcome.checkedAt.toISOString()) })}</p>
      {c && (
        <>
          <h3>{t('verify.result.carried')}</h3>
          <p class="note">{t('verify.result.onlyCarried')}</p>
          <dl class="items">
            {rows.map(([key, value]) => (
              <div key={key}>
                <dt>{t(key)}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
      <p class="actions no-print">
        <button type="button" class="secondary print-button" hidden>
          {t('verify.result.print')}
        </button>
        <a href="/verify">{t('verify.result.again')}</a>
      </p>
    </section>
  );
}

/** The catalogue's texts the offline verifier (public/offline.js) shows, in the page's language. */
const offlineTexts = (ctx: PageContext) =>
  JSON.stringify(
    Object.fromEntries(
      Object.entries(catalogue[ctx.lang]).filter(([key]) => /^(verdict|verify\.(offline|result)|item|sex)\./.test(key)),
    ),
  );

/** Installable: the web app manifest and the icons (the service worker is registered by offline.js). */
const installable = (
  <>
    <link rel="manifest" href="/verify.webmanifest" />
    <meta name="theme-color" content="#0b5cab" />
    <link rel="icon" href="/static/icons/icon.svg" type="image/svg+xml" />
    <link rel="apple-touch-icon" href="/static/icons/icon-192.png" />
  </>
);

export function VerifyPage({ ctx, view }: { ctx: PageContext; view: VerifyView }) {
  const { t } = ctx;
  const enhance = { 'hx-target': '#main', 'hx-select': '#main', 'hx-swap': 'outerHTML' };
  return (
    <Layout
      ctx={ctx}
      title={t('verify.title')}
      scripts={['/static/verify.js', '/static/offline.js']}
      head={installable}
    >
      <h1>{t('verify.title')}</h1>
      {view.outcome && <Verdict ctx={ctx} outcome={view.outcome} />}
      <p class="lead no-print">{t('verify.intro')}</p>
      <p id="offline-status" role="status" class="hint no-print" hidden />
      <form method="post" action="/verify" class="card no-print" id="qr-form" hx-post="/verify" {...enhance}>
        <h2>{t('verify.qr.legend')}</h2>
        <Field
          name="qr"
          label={t('verify.qr.label')}
          value={view.qr}
          errors={view.qrError ? [view.qrError] : undefined}
          autofocus={!view.outcome}
        />
        <button type="submit">{t('verify.qr.submit')}</button>
      </form>
      <section class="card no-print" id="camera" aria-labelledby="camera-heading">
        <h2 id="camera-heading">{t('verify.camera.legend')}</h2>
        <p class="js-only-hint">{t('verify.camera.noscript')}</p>
        <div class="camera-controls" hidden>
          <button type="button" id="camera-start">
            {t('verify.camera.start')}
          </button>
          <button type="button" id="camera-stop" class="secondary" hidden>
            {t('verify.camera.stop')}
          </button>
          <p class="hint">{t('verify.camera.hint')}</p>
          <video id="camera-video" muted playsinline hidden />
          <p id="camera-message" role="status" class="hint" />
        </div>
      </section>
      <form
        method="post"
        action="/verify/file"
        enctype="multipart/form-data"
        class="card no-print"
        hx-post="/verify/file"
        hx-encoding="multipart/form-data"
        {...enhance}
      >
        <h2>{t('verify.file.legend')}</h2>
        <div class={view.fileError ? 'field invalid' : 'field'}>
          <label for="f-file">{t('verify.file.label')}</label>
          <input
            id="f-file"
            name="file"
            type="file"
            accept="application/pdf,application/json,.json,image/*"
            aria-invalid={view.fileError ? 'true' : undefined}
            aria-describedby={view.fileError ? 'f-file-error' : undefined}
          />
          {view.fileError && (
            <p class="error" id="f-file-error">
              {view.fileError}
            </p>
          )}
        </div>
        <button type="submit">{t('verify.file.submit')}</button>
      </form>
      <Alert text={null} />
      <template id="camera-texts" data-unavailable={t('verify.camera.unavailable')} />
      <template id="offline-texts" data-messages={offlineTexts(ctx)} />
    </Layout>
  );
}
