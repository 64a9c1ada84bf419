import { ConsoleLayout, type ConsoleUser } from '../console-layout.tsx';
import { type ConsoleKey, consoleT as t } from '../console-messages.ts';
import { Alert, Field } from '../layout.tsx';
import { BarChart, outsideBand, RatioChart } from './charts.tsx';
import type { FieldErrors, FormValues } from './components.tsx';

// ---- statistician: the health commission's reports

export type StatsTab = 'months' | 'divisions' | 'institutions';
export const statsPath: Record<StatsTab, string> = {
  months: '/console/statistician',
  divisions: '/console/statistician/divisions',
  institutions: '/console/statistician/institutions',
};
/** Every download under /console/statistician/, where the role check of the whole section applies. */
export const csvPath = (tab: StatsTab) => `/console/statistician/${tab}.csv`;

export interface SexRow {
  key: string;
  label: string;
  boys: number;
  girls: number;
  births: number;
  sexRatio: number | null;
}

export interface UsageRow {
  institution: string;
  name: string;
  received: number;
  issued: number;
  voids: number;
  voidRate: number | null;
  stockAtEnd: number;
  liveBirths: number;
}

export type StatsView =
  | { tab: 'months'; rows: SexRow[]; total: SexRow }
  | { tab: 'divisions'; rows: SexRow[]; total: SexRow }
  | { tab: 'institutions'; rows: UsageRow[] };

export const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(2)}%`);
const num = (n: number) => n.toLocaleString('zh-CN');
const ratioText = (r: number | null) => (r === null ? '—' : String(r));

export function StatsPage(props: {
  user: ConsoleUser;
  tab: StatsTab;
  values: FormValues;
  errors: FieldErrors;
  alert?: string | undefined;
  period?: { from: string; to: string };
  view?: StatsView;
}) {
  const { tab, values, period, view } = props;
  const query = period ? `?from=${period.from}&to=${period.to}` : '';
  const heading = t(`stats.${tab}.title` as ConsoleKey);
  return (
    <ConsoleLayout title={heading} user={props.user}>
      <h1>{heading}</h1>
      <nav class="tabs" aria-label={t('stats.title')}>
        {(Object.keys(statsPath) as StatsTab[]).map((k) => (
          <a key={k} href={`${statsPath[k]}${query}`} aria-current={k === tab ? 'page' : undefined}>
            {t(`stats.nav.${k}` as ConsoleKey)}
          </a>
        ))}
      </nav>
      <form method="get" action={statsPath[tab]} class="card period" aria-labelledby="period-h">
        <h2 id="period-h">{t('stats.period.title')}</h2>
        <Alert text={props.alert} />
        <div class="dates">
          <Field
            name="from"
            type="date"
            label={t('stats.period.from')}
            value={values.from}
            errors={props.errors.get('from')}
          />
          <Field name="to" type="date" label={t('stats.period.to')} value={values.to} errors={props.errors.get('to')} />
        </div>
        <button type="submit">{t('stats.period.submit')}</button>
      </form>
      {period && view && (
        <>
          <p>{t('stats.period.shown', period)}</p>
          {view.tab === 'institutions' ? (
            <UsageSection rows={view.rows} csv={`${csvPath('institutions')}${query}`} />
          ) : (
            <SexSection view={view} csv={`${csvPath(view.tab)}${query}`} />
          )}
        </>
      )}
    </ConsoleLayout>
  );
}

function CsvLink({ href }: { href: string }) {
  return (
    <p>
      <a class="button secondary" href={href} download>
        {t('stats.csv')}
      </a>
    </p>
  );
}

function SexSection({ view, csv }: { view: Extract<StatsView, { tab: 'months' | 'divisions' }>; csv: string }) {
  const { rows, total } = view;
  const first = view.tab === 'months' ? t('stats.col.month') : t('stats.col.division');
  if (rows.length === 0) return <p class="card">{t('stats.none')}</p>;
  const outside = rows.filter((r) => outsideBand(r.sexRatio)).length;
  const ratioTitle = view.tab === 'months' ? t('stats.months.ratio') : t('stats.divisions.ratio');
  const busiest = rows.reduce((a, b) => (b.births > a.births ? b : a));
  return (
    <>
      {view.tab === 'months' && (
        <section class="card chart-card" aria-labelledby="births-h">
          <h2 id="births-h">{t('stats.months.births')}</h2>
          <BarChart
            id="births-chart"
            title={t('stats.months.births')}
            desc={t('stats.desc.births', {
              n: rows.length,
              max: num(busiest.births),
              at: busiest.label,
              total: num(total.births),
            })}
            bars={rows.map((r) => ({ label: r.label, value: r.births, text: num(r.births) }))}
          />
        </section>
      )}
      <section class="card chart-card" aria-labelledby="ratio-h">
        <h2 id="ratio-h">{ratioTitle}</h2>
        <p class="hint">{t('stats.band')}</p>
        <RatioChart
          id="ratio-chart"
          title={ratioTitle}
          desc={`${t('stats.desc.ratio', { n: rows.length, outside })}${t('stats.band')}`}
          outsideText={t('stats.outside')}
          points={rows.map((r) => ({ label: r.label, ratio: r.sexRatio }))}
        />
      </section>
      <section class="card" aria-labelledby="table-h">
        <h2 id="table-h">{view.tab === 'months' ? t('stats.months.title') : t('stats.divisions.title')}</h2>
        {/* Scrolls sideways on a phone: focusable, so a keyboard can scroll it too. */}
        <section class="table-wrap" tabindex={0} aria-labelledby="table-h">
          <table class="numbers">
            <thead>
              <tr>
                <th scope="col">{first}</th>
                <th scope="col">{t('stats.col.boys')}</th>
                <th scope="col">{t('stats.col.girls')}</th>
                <th scope="col">{t('stats.col.births')}</th>
                <th scope="col">{t('stats.col.sexRatio')}</th>
              </tr>
            </thead>
            <tbody>
              {[...rows, total].map((r) => (
                <tr key={r.key} class={outsideBand(r.sexRatio) ? 'outside' : undefined}>
                  <th scope="row">{r.label}</th>
                  <td>{num(r.boys)}</td>
                  <td>{num(r.girls)}</td>
                  <td>{num(r.births)}</td>
                  <td>
                    {ratioText(r.sexRatio)}
                    {outsideBand(r.sexRatio) && <span class="flag">（{t('stats.outside')}）</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <CsvLink href={csv} />
      </section>
    </>
  );
}

function UsageSection({ rows, csv }: { rows: UsageRow[]; csv: string }) {
  if (rows.length === 0) return <p class="card">{t('stats.none')}</p>;
  const issued = rows.reduce((n, r) => n + r.issued, 0);
  const voids = rows.reduce((n, r) => n + r.voids, 0);
  return (
    <>
      <section class="card chart-card" aria-labelledby="usage-h">
        <h2 id="usage-h">{t('stats.institutions.chart')}</h2>
        <p class="hint legend">
          <span class="swatch swatch-bar" aria-hidden="true" /> {t('stats.col.issued')}
          <span class="swatch swatch-part" aria-hidden="true" /> {t('stats.col.voids')}
        </p>
        <BarChart
          id="usage-chart"
          title={t('stats.institutions.chart')}
          desc={t('stats.desc.usage', { n: rows.length, issued: num(issued), voids: num(voids) })}
          bars={rows.map((r) => ({
            label: r.name,
            value: r.issued + r.voids,
            part: r.voids,
            text: `${num(r.issued)} / ${num(r.voids)}（${percent(r.voidRate)}）`,
          }))}
        />
      </section>
      <section class="card" aria-labelledby="table-h">
        <h2 id="table-h">{t('stats.institutions.title')}</h2>
        {/* Scrolls sideways on a phone: focusable, so a keyboard can scroll it too. */}
        <section class="table-wrap" tabindex={0} aria-labelledby="table-h">
          <table class="numbers">
            <thead>
              <tr>
                <th scope="col">{t('stats.col.institution')}</th>
                <th scope="col">{t('stats.col.received')}</th>
                <th scope="col">{t('stats.col.issued')}</th>
                <th scope="col">{t('stats.col.voids')}</th>
                <th scope="col">{t('stats.col.voidRate')}</th>
                <th scope="col">{t('stats.col.stockAtEnd')}</th>
                <th scope="col">{t('stats.col.liveBirths')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.institution}>
                  <th scope="row">{r.name}</th>
                  <td>{num(r.received)}</td>
                  <td>{num(r.issued)}</td>
                  <td>{num(r.voids)}</td>
                  <td>{percent(r.voidRate)}</td>
                  <td>{num(r.stockAtEnd)}</td>
                  <td>{num(r.liveBirths)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <CsvLink href={csv} />
      </section>
    </>
  );
}
