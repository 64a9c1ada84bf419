import type { readPoliceArchive } from '../../domain/lifecycle/police-archives.ts';
import type { VerificationResult } from '../../domain/verification/result.ts';
import { ConsoleLayout, type ConsoleUser, Csrf, Items } from '../console-layout.tsx';
import { consoleT as t } from '../console-messages.ts';
import { Alert, Field } from '../layout.tsx';
import { translator } from '../messages.ts';
import { verdictOf } from '../pages/verify.tsx';
import { type FieldErrors, type FormValues, noErrors, statusText } from './components.tsx';

/*
 * The police archive's pages: 归档 after a verification (the form sits under the verdict on the
 * police page), the unit's archives of a household case, and one archive with the verification
 * when it was archived beside the verification now.
 */

export type ArchiveView = Awaited<ReturnType<typeof readPoliceArchive>>;
export interface ArchiveSummary {
  id: string;
  certificateNo: string;
  caseNo: string;
  officer: string;
  archivedAt: string;
  archived: { verifiedAt: string; result: VerificationResult };
}

/** A time as a clerk in China reads it. */
const chinaTimeText = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

/** 归档: the certificate just verified, with the household case number it belongs to. */
export function ArchiveForm(props: {
  user: ConsoleUser;
  certificateNo: string;
  values?: FormValues;
  errors?: FieldErrors;
  alert?: string | undefined;
}) {
  const errors = props.errors ?? noErrors;
  return (
    <form method="post" action="/console/police/archives" class="archive-form">
      <h3>{t('archive.form.title')}</h3>
      <p class="hint">{t('archive.form.hint')}</p>
      <Csrf user={props.user} />
      <Alert text={props.alert} />
      <input type="hidden" name="certificateNo" value={props.certificateNo} />
      <Field
        name="caseNo"
        label={t('archive.caseNo')}
        value={props.values?.caseNo}
        errors={errors.get('caseNo') ?? errors.get('certificateNo')}
      />
      <button type="submit">{t('archive.submit')}</button>
    </form>
  );
}

function CaseSearch(props: { user: ConsoleUser; values: FormValues; errors: FieldErrors; alert?: string | undefined }) {
  return (
    <form method="post" action="/console/police/archives/search" class="card">
      <Csrf user={props.user} />
      <Alert text={props.alert} />
      <Field
        name="caseNo"
        label={t('archive.caseNo')}
        value={props.values.caseNo}
        errors={props.errors.get('caseNo')}
      />
      <button type="submit">{t('archive.search.submit')}</button>
    </form>
  );
}

/** The archives page: find the unit's archives by case number; a failed archive shows its form again. */
export function ArchivesPage(props: {
  user: ConsoleUser;
  search?: { values: FormValues; errors: FieldErrors; alert?: string | undefined };
  results?: { caseNo: string; archives: ArchiveSummary[] };
  retry?: { certificateNo: string; values: FormValues; errors: FieldErrors; alert?: string | undefined };
}) {
  const search = props.search ?? { values: {}, errors: noErrors };
  return (
    <ConsoleLayout title={t('archive.title')} user={props.user}>
      <h1>{t('archive.title')}</h1>
      <p>{t('archive.intro')}</p>
      {props.retry && (
        <section class="card">
          <ArchiveForm user={props.user} {...props.retry} />
        </section>
      )}
      <CaseSearch user={props.user} {...search} />
      {props.results && (
        <section aria-labelledby="archives-h">
          <h2 id="archives-h">{t('archive.list.title', { caseNo: props.results.caseNo })}</h2>
          {props.results.archives.length === 0 && <p class="card">{t('archive.none')}</p>}
          {props.results.archives.length > 0 && (
            <ul class="archives">
              {props.results.archives.map((a) => (
                <li key={a.id} class="card">
                  <Items
                    rows={[
                      [t('item.certificateNo'), a.certificateNo],
                      [t('archive.archivedAt'), chinaTimeText(a.archivedAt)],
                      [t('archive.officer'), a.officer],
                      [t('archive.then'), verdictText(a.archived.result)],
                    ]}
                  />
                  <a href={`/console/police/archives/${a.id}`}>
                    {t('archive.open')} <span class="visually-hidden">{a.certificateNo}</span>
                  </a>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </ConsoleLayout>
  );
}

const zh = translator('zh-CN');
const verdictText = (result: VerificationResult) => zh(verdictOf(result).key, { no: result.supersededBy ?? '' });

/** One verification (then or now) as a card: the verdict in words, its time and the status items. */
function VerificationCard(props: { heading: string; verifiedAt: string; result: VerificationResult }) {
  const { result } = props;
  const verdict = verdictOf(result);
  const id = `v-${props.heading === t('archive.then') ? 'then' : 'now'}`;
  return (
    <section class={`card verdict ${verdict.tone}`} aria-labelledby={id}>
      <h2 id={id}>{props.heading}</h2>
      <p class="verdict-line">{verdictText(result)}</p>
      <Items
        rows={[
          [t('archive.verifiedAt'), chinaTimeText(props.verifiedAt)],
          [t('item.status'), result.status === 'unknown' ? result.status : statusText(result.status)],
          [t('police.household.title'), result.householdRegistered ? '是' : '否'],
        ]}
      />
    </section>
  );
}

/** One archive: what was archived, by whom and why, and the verification then beside the one now. */
export function ArchivePage(props: { user: ConsoleUser; archive: ArchiveView; notice?: string | undefined }) {
  const { archive } = props;
  const certificate = archive.archived.result.certificate;
  return (
    <ConsoleLayout title={t('archive.one.title', { caseNo: archive.caseNo })} user={props.user}>
      <h1>{t('archive.one.title', { caseNo: archive.caseNo })}</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <section class="card" aria-label={t('archive.title')}>
        <Items
          rows={[
            [t('archive.caseNo'), archive.caseNo],
            [t('archive.id'), archive.id],
            [t('item.certificateNo'), archive.certificateNo],
            [t('item.newbornName'), certificate?.newborn.name],
            [t('item.motherName'), certificate?.mother.name],
            [t('item.issuer'), certificate?.issuer.name],
            [t('archive.archivedAt'), chinaTimeText(archive.archivedAt)],
            [t('archive.officer'), archive.officer],
            [t('archive.unit'), archive.policeUnit],
            [t('archive.purpose'), archive.purpose],
          ]}
        />
        <p>
          <a href={`/console/police/archives/${archive.id}/signed.json`} download={`${archive.certificateNo}.json`}>
            {t('archive.signedJson')}
          </a>
        </p>
      </section>
      <div class="grid2">
        <VerificationCard heading={t('archive.then')} {...archive.archived} />
        <VerificationCard heading={t('archive.now')} {...archive.now} />
      </div>
    </ConsoleLayout>
  );
}
