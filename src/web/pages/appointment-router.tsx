import type { Request, Response } from 'express';
import {
  appointmentsOf,
  type Booker,
  bookAppointment,
  bookerOf,
  cancelAppointment,
  moveAppointment,
} from '../../domain/appointments/bookings.ts';
import { openSlotsOf } from '../../domain/appointments/slots.ts';
import { DomainError } from '../../domain/errors.ts';
import { errorStatus } from '../../http/error-status.ts';
import { errorsByField } from '../field-errors.ts';
import { formValues } from '../forms.ts';
import { renderPage } from '../layout.tsx';
import { pickLang, readCookie } from '../locale.ts';
import { catalogue, type MessageKey, translator } from '../messages.ts';
import { APPLY_COOKIE } from './apply-router.tsx';
import { type AppointmentBase, AppointmentPage } from './appointment.tsx';
import { MY_COOKIE } from './my-router.tsx';
import { context, type PageRoutes, redirectAfterPost, send } from './routes.tsx';

/**
 * 预约取证 for the parents: `/my/appointment` with the claim session, `/apply/appointment` with the
 * online application's session once it is issued. Both call the API's use cases.
 */
export function appointmentPageRoutes({ router, deps, forms }: PageRoutes) {
  const ports = deps.appointments;
  const bookerPorts = {
    tokens: deps.tokens,
    online: deps.online.online,
    applications: deps.online.applications,
    clock: ports.clock,
  };
  /** The session's token: the claim token, or the application's (the apply cookie is `<id>.<token>`). */
  const tokenOf = (req: Request, base: AppointmentBase) => {
    const cookie = readCookie(req, base === '/my' ? MY_COOKIE : APPLY_COOKIE);
    if (!cookie) return null;
    return base === '/my' ? cookie : cookie.slice(cookie.indexOf('.') + 1) || null;
  };
  const bookerFor = (req: Request, base: AppointmentBase): Booker | null => {
    try {
      return bookerOf(bookerPorts, tokenOf(req, base));
    } catch (error) {
      // No session, an expired one, or an application not issued yet: back to where that shows.
      if (error instanceof DomainError) return null;
      throw error;
    }
  };
  const render = (
    req: Request,
    res: Response,
    base: AppointmentBase,
    booker: Booker,
    status: number,
    extra: { errors?: Map<string, string[]>; alert?: string } = {},
  ) => {
    const mine = appointmentsOf(ports, booker);
    const open = openSlotsOf(ports, mine.institution.creditCode);
    const ctx = context(req, res);
    send(
      res,
      status,
      renderPage(
        <AppointmentPage
          ctx={ctx}
          view={{
            base,
            certificateNo: mine.certificateNo,
            institutionName: mine.institution.name,
            appointments: mine.appointments,
            slots: open.slots,
            errors: extra.errors ?? new Map(),
            alert: extra.alert,
          }}
        />,
      ),
    );
  };

  for (const base of ['/my', '/apply'] as const) {
    const home = base === '/my' ? '/my' : '/apply/status';
    router.get(`${base}/appointment`, (req, res) => {
      const booker = bookerFor(req, base);
      if (!booker) return res.redirect(303, home);
      render(req, res, base, booker, 200);
    });
    router.post(`${base}/appointment`, forms, (req, res) => {
      const booker = bookerFor(req, base);
      if (!booker) return redirectAfterPost(req, res, home);
      const lang = pickLang(req);
      const t = translator(lang);
      const values = formValues(req.body);
      const id = values.appointmentId ?? '';
      try {
        if (values.action === 'cancel') {
          cancelAppointment(ports, booker, id);
        } else {
          if (!values.slotId) {
            return render(req, res, base, booker, 400, {
              errors: new Map([['slotId', [t('appt.chooseSlot')]]]),
              alert: t('form.errors', { n: 1 }),
            });
          }
          const { slotId } = deps.validate('appointment', { slotId: values.slotId });
          if (values.action === 'move') moveAppointment(ports, booker, id, slotId);
          else bookAppointment(ports, booker, slotId);
        }
        redirectAfterPost(req, res, `${base}/appointment`);
      } catch (error) {
        if (!(error instanceof DomainError) || errorStatus[error.code] >= 500) throw error;
        const key = `appt.refused.${error.code}`;
        const alert = Object.hasOwn(catalogue['zh-CN'], key) ? t(key as MessageKey) : t('error.generic');
        const errors =
          error.code === 'INVALID_REQUEST' ? errorsByField(error.details, lang) : new Map([['slotId', [alert]]]);
        render(req, res, base, booker, errorStatus[error.code], { errors, alert });
      }
    });
  }
}
