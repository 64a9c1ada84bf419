import type { Request } from 'express';
import type { TokenStore } from '../../domain/accounts/account.ts';
import {
  appointmentsOf,
  bookAppointment,
  bookerOf,
  cancelAppointment,
  moveAppointment,
} from '../../domain/appointments/bookings.ts';
import type { AppointmentPorts } from '../../domain/appointments/ports.ts';
import { closeSlot, dayList, handOver, openSlotsOf, publishSlot } from '../../domain/appointments/slots.ts';
import type { OnlineApplicationStore } from '../../domain/lifecycle/online-application-ports.ts';
import type { ApplicationStore } from '../../domain/lifecycle/ports.ts';
import { bearerToken, defineRoute, type Route } from '../route.ts';

const noStore = { 'Cache-Control': 'no-store' };
const parentsToken =
  'Authorization: Bearer <a claim token, or the online application’s token once the application is issued>';

/** 预约取证: the institutions' collection slots, the parents' appointments, the issuer's day list and handover. */
export function appointmentRoutes(deps: {
  appointments: AppointmentPorts;
  tokens: Pick<TokenStore, 'resolve'>;
  online: Pick<OnlineApplicationStore, 'resolveToken'>;
  applications: Pick<ApplicationStore, 'findApplication'>;
}): Route[] {
  const { appointments: ports } = deps;
  const booker = (req: Request) =>
    bookerOf(
      { tokens: deps.tokens, online: deps.online, applications: deps.applications, clock: ports.clock },
      bearerToken(req),
    );
  const citizenRefusals = {
    401: 'No, invalid or expired token',
    403: 'A staff token, or the appointment belongs to another certificate',
  };

  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/institutions/:code/collection-slots',
      summary: '预约取证: the institution’s open slots to collect the paper certificate, with the seats left',
      tag: 'appointments',
      access: 'public',
      responseSchema: 'CollectionSlots',
      responses: {
        200: '{institution, slots: [{id, startsAt, endsAt, capacity, remaining, closed}]}',
        404: 'No such institution',
      },
      handle: ({ params }) => ({ status: 200, body: openSlotsOf(ports, params.code ?? ''), headers: noStore }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/institutions/:code/collection-slots',
      summary: 'Publish a collection slot (start, end, capacity)',
      tag: 'appointments',
      access: ['issuer', 'admin'],
      body: 'collection-slot',
      responseSchema: 'CollectionSlot',
      responses: {
        201: 'The slot',
        400: 'Invalid body: a time that is not real, in the past, an end not after the start, longer than 12 hours',
        401: 'No token',
        403: 'Not an issuer or admin, or an issuer of another institution',
        404: 'No such institution',
      },
      handle: ({ principal, params, body }) => ({
        status: 201,
        body: publishSlot(ports, principal, params.code ?? '', body),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/collection-slots/:id/close',
      summary: 'Close a slot: no new bookings; those already made stand',
      tag: 'appointments',
      access: ['issuer', 'admin'],
      responseSchema: 'CollectionSlot',
      responses: { 200: 'The slot, closed', 401: 'No token', 403: 'Another institution’s slot', 404: 'No such slot' },
      handle: ({ principal, params }) => ({ status: 200, body: closeSlot(ports, principal, params.id ?? '') }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/institutions/:code/collection-appointments',
      summary: '今日取证: a day’s slots with the families booked in each (China time; today by default)',
      tag: 'appointments',
      access: ['issuer', 'admin'],
      query: [{ name: 'date', required: false, description: 'YYYY-MM-DD, a day in China time; today by default' }],
      responseSchema: 'CollectionDay',
      responses: {
        200: '{date, institution, slots: [{…slot, appointments: [...]}]}',
        400: 'A date that is not YYYY-MM-DD',
        401: 'No token',
        403: 'Another institution',
        404: 'No such institution',
      },
      handle: ({ principal, params, query }) => ({
        status: 200,
        body: dayList(ports, principal, params.code ?? '', query.date),
        headers: noStore,
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/collection-appointments/:id/handover',
      summary: 'The paper certificate was handed over: recorded with who and when; the appointment is then final',
      tag: 'appointments',
      access: ['issuer'],
      responseSchema: 'CollectionAppointment',
      responses: {
        200: 'The appointment, handed over',
        401: 'No token',
        403: 'An appointment at another institution',
        404: 'No such appointment',
        409: 'Already handed over (ALREADY_COLLECTED), cancelled, or the certificate is no longer valid',
      },
      handle: ({ principal, params }) => ({ status: 200, body: handOver(ports, principal, params.id ?? '') }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/citizen/appointments',
      summary: `The parents’ appointments for their certificate, newest first (${parentsToken})`,
      tag: 'citizen',
      access: 'public',
      responseSchema: 'CitizenAppointments',
      responses: {
        200: '{certificateNo, institution, appointments: [...]}',
        ...citizenRefusals,
        409: 'The online application is not issued yet',
      },
      handle: ({ req }) => ({ status: 200, body: appointmentsOf(ports, booker(req)), headers: noStore }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/citizen/appointments',
      summary: `Book a slot to collect the paper certificate, one per certificate (${parentsToken})`,
      tag: 'citizen',
      access: 'public',
      body: 'appointment',
      responseSchema: 'CitizenAppointment',
      responses: {
        201: 'The appointment',
        400: 'Invalid body, or a slot of another institution',
        ...citizenRefusals,
        404: 'No such slot',
        409: 'SLOT_FULL, SLOT_CLOSED, SLOT_PAST, ALREADY_BOOKED, ALREADY_COLLECTED, or the certificate is not current',
      },
      // The token is checked before the body: a caller without one learns nothing from a 400.
      load: (_params, req) => booker(req),
      handle: ({ loaded, body }) => ({
        status: 201,
        body: bookAppointment(ports, loaded, body.slotId),
        headers: noStore,
      }),
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/citizen/appointments/:id',
      summary: 'Move the appointment to another slot (the new seat is taken before the old one is freed)',
      tag: 'citizen',
      access: 'public',
      body: 'appointment',
      responseSchema: 'CitizenAppointment',
      responses: {
        200: 'The appointment, moved',
        400: 'Invalid body, or a slot of another institution',
        ...citizenRefusals,
        404: 'No such appointment or slot',
        409: 'SLOT_FULL, SLOT_CLOSED, SLOT_PAST, ALREADY_COLLECTED, cancelled, or the certificate is not current',
      },
      load: (_params, req) => booker(req),
      handle: ({ loaded, params, body }) => ({
        status: 200,
        body: moveAppointment(ports, loaded, params.id ?? '', body.slotId),
        headers: noStore,
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/api/v1/citizen/appointments/:id',
      summary: 'Cancel the appointment; its seat is free again',
      tag: 'citizen',
      access: 'public',
      responseSchema: 'CitizenAppointment',
      responses: {
        200: 'The appointment, cancelled',
        ...citizenRefusals,
        404: 'No such appointment',
        409: 'ALREADY_COLLECTED, already cancelled, or the certificate is not current',
      },
      handle: ({ req, params }) => ({
        status: 200,
        body: cancelAppointment(ports, booker(req), params.id ?? ''),
        headers: noStore,
      }),
    }),
  ];
}
