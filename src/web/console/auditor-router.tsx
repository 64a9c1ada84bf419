import type { Request, Response } from 'express';
import type { Principal } from '../../domain/accounts/account.ts';
import { browseAuditEvents, exportAuditEvents } from '../../domain/audit/audit-browse.ts';
import { DomainError, type ErrorDetail } from '../../domain/errors.ts';
import { formValues } from '../forms.ts';
import { AuditorPage, type AuditorView, type ShownEvent } from './auditor-pages.tsx';
import type { FormValues } from './components.tsx';
import { fieldsAlert, messagesByField } from './page-errors.ts';
import { type ConsoleRoutes, locals, send } from './routes.tsx';

const filterNames = ['from', 'to', 'actor', 'action', 'certificateNo'] as const;
const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/** The day after a calendar date: the page's "to" includes its day, the domain's excludes it. */
const dayAfter = (date: string) => {
  const next = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(next.getTime())) return date;
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
};

const filterMessages: Record<string, string> = {
  from: '请填写有效日期（年-月-日）。',
  to: '请填写有效日期（年-月-日），且不早于开始日期。',
  actor: '用户名过长或含有不可见字符。',
  action: '操作类型过长或含有不可见字符。',
  certificateNo: '应为 1 个大写字母加 9 位数字，例如 Q440000001。',
  before: '页码无效。',
};
const inChinese = (details: ErrorDetail[]) =>
  details.map((d) => ({ ...d, message: filterMessages[d.path] ?? d.message }));

/** The auditor's page: browse and filter events, verify the chain, keep and check an anchor, export. */
export function auditorRoutes({ router, deps, post }: ConsoleRoutes) {
  const { events, log, checkpoints } = deps.audit;
  const actor = (res: Response) => locals(res).principal as Principal;

  const filterOf = (q: FormValues) => Object.fromEntries(filterNames.filter((n) => q[n]).map((n) => [n, q[n]!]));
  const domainQuery = (f: FormValues) => ({ ...f, ...(f.to && dateOnly.test(f.to) ? { to: dayAfter(f.to) } : {}) });
  const queryString = (f: FormValues, extra: Record<string, string> = {}) => {
    const params = new URLSearchParams({ ...f, ...extra }).toString();
    return params ? `?${params}` : '';
  };
  const eventAt = (seq: number): ShownEvent | null =>
    seq > 0
      ? (browseAuditEvents(events, { before: String(seq + 1), limit: '1' }).events.find((e) => e.seq === seq) ?? null)
      : null;

  /** The page with the newest events of a filter, and whatever an action adds to it. */
  function page(res: Response, status: number, query: FormValues, extra: Partial<AuditorView> = {}) {
    const filter = filterOf(query);
    const base = { values: filter, errors: new Map<string, string[]>() };
    let view: AuditorView;
    try {
      const found = browseAuditEvents(events, {
        ...domainQuery(filter),
        ...(query.before && { before: query.before }),
      });
      view = {
        filter: base,
        events: found.events,
        olderHref: found.nextBefore
          ? `/console/auditor${queryString(filter, { before: String(found.nextBefore) })}`
          : undefined,
        paged: Boolean(query.before),
        filterQuery: queryString(filter),
        ...extra,
      };
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'INVALID_REQUEST') throw error;
      const fieldErrors = messagesByField(inChinese(error.details));
      status = 400;
      view = {
        filter: { ...base, errors: fieldErrors, alert: fieldsAlert(fieldErrors) },
        events: [],
        paged: false,
        filterQuery: '',
        ...extra,
      };
    }
    send(res, status, <AuditorPage user={locals(res).user} view={view} />);
  }

  router.get('/console/auditor', (req: Request, res) => page(res, 200, formValues(req.query)));

  router.post('/console/auditor/verify', ...post, (_req, res) => {
    const report = checkpoints.verify();
    const brokenEvent = report.intact ? null : eventAt(report.firstBrokenAt ?? 0);
    page(res, 200, {}, { verification: { report, brokenEvent } });
  });

  router.post('/console/auditor/anchor', ...post, async (_req, res) => {
    const checkpoint = await checkpoints.sign({ onlyIfMoved: false });
    page(
      res,
      checkpoint ? 201 : 503,
      {},
      {
        kept: checkpoint ? { number: checkpoint.number, seq: checkpoint.seq, hash: checkpoint.hash } : { noKey: true },
      },
    );
  });

  router.post('/console/auditor/anchor/check', ...post, (req, res) => {
    const values = formValues(req.body);
    const seqText = values.seq ?? '';
    const hash = (values.hash ?? '').toLowerCase();
    const details: ErrorDetail[] = [];
    if (!/^[1-9]\d{0,15}$/.test(seqText)) details.push({ path: 'seq', message: '请填写抄存的事件序号（正整数）。' });
    if (!/^[0-9a-f]{64}$/.test(hash)) details.push({ path: 'hash', message: '请填写抄存的 64 位十六进制哈希。' });
    if (details.length > 0) {
      return page(res, 400, {}, { anchor: { values, errors: messagesByField(details) } });
    }
    const seq = Number(seqText);
    const report = checkpoints.verify({ seq, hash });
    const result = report.intact
      ? ({ holds: true, seq } as const)
      : ({
          holds: false,
          seq: report.firstBrokenAt ?? seq,
          brokenEvent: eventAt(report.firstBrokenAt ?? seq),
        } as const);
    page(res, 200, {}, { anchor: { values: { seq: seqText, hash }, errors: new Map(), result } });
  });

  router.get('/console/auditor/export', (req, res) => {
    const filter = filterOf(formValues(req.query));
    let body: string;
    try {
      body = exportAuditEvents({ events, audit: log, clock: deps.online.clock }, actor(res), domainQuery(filter));
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'INVALID_REQUEST') throw error;
      return page(res, 400, filter);
    }
    const stamp = deps.online.clock.now().toISOString().slice(0, 10);
    res.status(200).setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', `attachment; filename="audit-events-${stamp}.ndjson"`);
    res.send(body);
  });
}
