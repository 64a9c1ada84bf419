import type { Request, Response } from 'express';
import { closeSlot, dayList, handOver, publishSlot } from '../../domain/appointments/slots.ts';
import { DomainError } from '../../domain/errors.ts';
import { chinaDate } from '../../domain/lifecycle/compose.ts';
import type { Issuer } from '../../domain/lifecycle/ports.ts';
import { type ConsoleKey, consoleT as t } from '../console-messages.ts';
import { errorsByField } from '../field-errors.ts';
import { formValues } from '../forms.ts';
import { CollectionPage, type CollectionView } from './collection-pages.tsx';
import { fieldsAlert } from './page-errors.ts';
import { type ConsoleRoutes, guarded, locals, redirectAfterPost, send } from './routes.tsx';

const isDate = (value: unknown): value is string => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);

const notices: Record<string, ConsoleKey> = {
  slot: 'collection.new.done',
  handover: 'collection.handOver.done',
  closed: 'collection.closed.done',
};

/** The slot form's boxes for the API's fields: one date and two times make startsAt and endsAt. */
const slotFieldOf: Record<string, string> = { startsAt: 'start', endsAt: 'end', capacity: 'capacity' };

/** 今日取证 on the issuer's console: the day's list, handover, closing a slot, publishing one. */
export function collectionRoutes({ router, deps, post }: ConsoleRoutes) {
  const ports = deps.appointments;
  const issuer = (res: Response) => locals(res).principal as Issuer;
  const page = (req: Request, res: Response, status: number, extra: Partial<CollectionView> = {}) => {
    const actor = issuer(res);
    const asked = extra.date ?? req.query.date;
    const date = isDate(asked) ? asked : chinaDate(ports.clock.now());
    let day: CollectionView['day'] = null;
    let alert = extra.alert;
    try {
      day = dayList(ports, actor, actor.institution, date);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'INVALID_REQUEST') throw error;
      alert ??= errorsByField(error.details, 'zh-CN').get('date')?.join(' ');
    }
    const done = typeof req.query.done === 'string' ? notices[req.query.done] : undefined;
    send(
      res,
      status,
      <CollectionPage
        user={locals(res).user}
        view={{
          date,
          day,
          notice: extra.notice ?? (done ? t(done) : undefined),
          alert,
          slotForm: extra.slotForm ?? { values: {}, errors: new Map() },
        }}
      />,
    );
  };
  const back = (req: Request, res: Response, done: string) => {
    const date = formValues(req.body).date;
    redirectAfterPost(req, res, `/console/issuer/collection?${isDate(date) ? `date=${date}&` : ''}done=${done}`);
  };

  router.get('/console/issuer/collection', (req, res) => page(req, res, 200));

  router.post('/console/issuer/collection/slots', ...post, (req, res) => {
    const values = formValues(req.body);
    const capacity = /^\d{1,4}$/.test(values.capacity ?? '') ? Number(values.capacity) : (values.capacity ?? '');
    const day = values.slotDate ?? '';
    try {
      const body = deps.validate('collection-slot', {
        startsAt: `${day}T${values.start ?? ''}+08:00`,
        endsAt: `${day}T${values.end ?? ''}+08:00`,
        capacity,
      });
      publishSlot(ports, issuer(res), issuer(res).institution, body);
      redirectAfterPost(req, res, `/console/issuer/collection?${isDate(day) ? `date=${day}&` : ''}done=slot`);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'INVALID_REQUEST') throw error;
      const details = error.details.map((d) => ({
        ...d,
        // A malformed date shows beside the date box; a malformed time beside its own box.
        path:
          !isDate(day) && (d.path === 'startsAt' || d.path === 'endsAt') ? 'slotDate' : (slotFieldOf[d.path] ?? d.path),
      }));
      const errors = errorsByField(details, 'zh-CN');
      page(req, res, 400, {
        ...(isDate(day) && { date: day }),
        slotForm: { values, errors, alert: fieldsAlert(errors) },
      });
    }
  });

  router.post('/console/issuer/collection/:id/handover', ...post, (req, res) => {
    try {
      handOver(ports, issuer(res), String(req.params.id));
      back(req, res, 'handover');
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'ALREADY_COLLECTED' || error.code === 'INVALID_STATE')) {
        const key = `refusal.${error.code}` as ConsoleKey;
        return page(req, res, 409, { date: formValues(req.body).date ?? '', alert: t(key) });
      }
      guarded(res, error);
    }
  });

  router.post('/console/issuer/collection/slots/:id/close', ...post, (req, res) => {
    try {
      closeSlot(ports, issuer(res), String(req.params.id));
      back(req, res, 'closed');
    } catch (error) {
      guarded(res, error);
    }
  });
}
