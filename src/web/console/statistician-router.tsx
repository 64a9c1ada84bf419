import type { Request, Response } from 'express';
import { DomainError, type ErrorDetail } from '../../domain/errors.ts';
import {
  certificateUsageByInstitutionReport,
  type ReportReader,
  sexRatioReport,
} from '../../domain/reports/reports.ts';
import { consoleT as t } from '../console-messages.ts';
import { type CsvCell, toCsv } from '../csv.ts';
import { formValues } from '../forms.ts';
import type { FormValues } from './components.tsx';
import { fieldsAlert, messagesByField } from './page-errors.ts';
import { type ConsoleRoutes, locals, send } from './routes.tsx';
import {
  csvPath,
  percent,
  type SexRow,
  StatsPage,
  type StatsTab,
  type StatsView,
  statsPath,
  type UsageRow,
} from './statistician-pages.tsx';

/** The period's refusals in Chinese beside the date boxes. */
const periodMessage = (d: ErrorDetail): ErrorDetail => ({
  ...d,
  message: d.message.includes('after') ? '结束日期应晚于开始日期。' : '请填写有效日期（年-月-日）。',
});

/** The statistician's reports: births and sex ratio by month, sex ratio by county, certificate use by institution. */
export function statisticianRoutes({ router, deps }: ConsoleRoutes) {
  const { reports: ports, divisions } = deps;
  const reader = (res: Response) => locals(res).principal as ReportReader;
  const query = (req: Request): FormValues => formValues(req.query);

  const sexRows = (tab: 'months' | 'divisions', actor: ReportReader, q: FormValues) => {
    const report = sexRatioReport(ports, actor, { ...q, groupBy: tab === 'months' ? 'month' : 'division' });
    const label = (group: string) => {
      if (tab === 'months') return group;
      const found = divisions.lookup(group);
      return found ? `${found.city}${found.county}` : group;
    };
    const rows: SexRow[] = report.groups.map((g) => ({ key: g.group, label: label(g.group), ...g }));
    const total: SexRow = { key: 'total', label: t('stats.total'), ...report.total };
    return { period: report.period, rows, total };
  };
  const usageRows = (actor: ReportReader, q: FormValues) => {
    const report = certificateUsageByInstitutionReport(ports, actor, q);
    const rows: UsageRow[] = report.institutions.map((u) => ({
      institution: u.institution,
      name: u.name,
      received: u.received,
      issued: u.issued.first + u.issued.outOfInstitution + u.issued.replacement + u.issued.reissue,
      voids: u.voids.printOrEntryError + u.voids.lostBlank + u.voids.other,
      voidRate: u.voidRate,
      stockAtEnd: u.stockAtEnd,
      liveBirths: u.liveBirths,
    }));
    return { period: report.period, rows };
  };
  const load = (
    tab: StatsTab,
    actor: ReportReader,
    q: FormValues,
  ): { period: { from: string; to: string }; view: StatsView } => {
    if (tab === 'institutions') {
      const { period, rows } = usageRows(actor, q);
      return { period, view: { tab, rows } };
    }
    const { period, rows, total } = sexRows(tab, actor, q);
    return { period, view: { tab, rows, total } };
  };
  /** Only the period reaches the reports: nothing else of the query string is passed on. */
  const periodOf = (q: FormValues) => ({ ...(q.from && { from: q.from }), ...(q.to && { to: q.to }) });

  for (const tab of Object.keys(statsPath) as StatsTab[]) {
    router.get(statsPath[tab], (req, res) => {
      const values = periodOf(query(req));
      try {
        const { period, view } = load(tab, reader(res), values);
        send(
          res,
          200,
          <StatsPage
            user={locals(res).user}
            tab={tab}
            values={{ ...period }}
            errors={new Map()}
            period={period}
            view={view}
          />,
        );
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'INVALID_REQUEST') throw error;
        const errors = messagesByField(error.details.map(periodMessage));
        send(
          res,
          400,
          <StatsPage user={locals(res).user} tab={tab} values={values} errors={errors} alert={fieldsAlert(errors)} />,
        );
      }
    });
    router.get(csvPath(tab), (req, res) => {
      const values = periodOf(query(req));
      let csv: string;
      let period: { from: string; to: string };
      try {
        const loaded = load(tab, reader(res), values);
        period = loaded.period;
        csv = csvOf(loaded.view);
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'INVALID_REQUEST') throw error;
        res.status(400).type('text/plain; charset=utf-8').setHeader('Cache-Control', 'no-store');
        return res.send(error.details.map((d) => periodMessage(d).message).join('\n'));
      }
      res.status(200).setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Disposition', `attachment; filename="${tab}-${period.from}-${period.to}.csv"`);
      res.send(csv);
    });
  }
}

function csvOf(view: StatsView): string {
  if (view.tab === 'institutions') {
    return toCsv(
      [
        t('stats.col.institution'),
        t('stats.col.creditCode'),
        t('stats.col.received'),
        t('stats.col.issued'),
        t('stats.col.voids'),
        t('stats.col.voidRate'),
        t('stats.col.stockAtEnd'),
        t('stats.col.liveBirths'),
      ],
      view.rows.map((r) => [
        r.name,
        r.institution,
        r.received,
        r.issued,
        r.voids,
        r.voidRate === null ? null : percent(r.voidRate),
        r.stockAtEnd,
        r.liveBirths,
      ]),
    );
  }
  const header =
    view.tab === 'months' ? [t('stats.col.month')] : [t('stats.col.division'), t('stats.col.divisionCode')];
  const row = (r: SexRow): CsvCell[] => [
    r.label,
    ...(view.tab === 'divisions' ? [r.key === 'total' ? null : r.key] : []),
    r.boys,
    r.girls,
    r.births,
    r.sexRatio,
  ];
  return toCsv(
    [...header, t('stats.col.boys'), t('stats.col.girls'), t('stats.col.births'), t('stats.col.sexRatio')],
    [...view.rows.map(row), row(view.total)],
  );
}
