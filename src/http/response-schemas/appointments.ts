import { certificateNo, closed, creditCode, day, exampleCreditCode, instant, type Schema } from './common.ts';

/* 预约取证: what the slot, appointment and handover routes answer. No ID numbers, only names the counter needs. */

const slotId = { type: 'string', pattern: '^S[A-Za-z0-9_-]{16}$' };
const appointmentId = { type: 'string', pattern: '^C[A-Za-z0-9_-]{16}$' };
const institution = closed({ creditCode, name: { type: 'string' } });
const slotProperties = {
  id: slotId,
  startsAt: instant,
  endsAt: instant,
  capacity: { type: 'integer', minimum: 1 },
  remaining: { type: 'integer', minimum: 0, description: 'Seats not yet booked' },
  closed: { type: 'boolean' },
};
const slot = closed(slotProperties);
const exampleInstitution = { creditCode: exampleCreditCode, name: '广州市天河区妇幼保健院' };
const exampleSlot = {
  id: 'SGO3O0CgPWNQTTCVx',
  startsAt: '2026-12-01T01:00:00.000Z',
  endsAt: '2026-12-01T02:00:00.000Z',
  capacity: 6,
  remaining: 5,
  closed: false,
};
const dayAppointment = closed({
  id: appointmentId,
  status: { enum: ['booked', 'handed-over'] },
  certificateNo,
  certificateStatus: { enum: ['valid', 'superseded', 'void', 'revoked'] },
  newbornName: { type: 'string' },
  motherName: { type: 'string' },
  bookedAt: instant,
  handedOverAt: { anyOf: [instant, { type: 'null' }] },
  handedOverBy: { anyOf: [{ type: 'string' }, { type: 'null' }] },
});
const exampleDayAppointment = {
  id: 'CkQ1b2rV9sXwYtZa3',
  status: 'handed-over',
  certificateNo: 'Q440000001',
  certificateStatus: 'valid',
  newbornName: '李沐宸',
  motherName: '王晓梅',
  bookedAt: '2026-11-29T17:04:00.000Z',
  handedOverAt: '2026-12-01T01:20:00.000Z',
  handedOverBy: 'demo-issuer-gz',
};
const citizenAppointment = closed(
  {
    id: appointmentId,
    status: { enum: ['booked', 'cancelled', 'handed-over'] },
    certificateNo: { ...certificateNo, description: 'The current certificate; once handed over, the one handed over' },
    slot: closed({ id: slotId, startsAt: instant, endsAt: instant }),
    bookedAt: instant,
    handedOverAt: instant,
  },
  ['handedOverAt'],
);
const exampleCitizenAppointment = {
  id: 'CkQ1b2rV9sXwYtZa3',
  status: 'booked',
  certificateNo: 'Q440000001',
  slot: { id: exampleSlot.id, startsAt: exampleSlot.startsAt, endsAt: exampleSlot.endsAt },
  bookedAt: '2026-11-29T17:04:00.000Z',
};

export const appointmentSchemas: Record<string, Schema> = {
  CollectionSlots: {
    description: 'An institution’s open collection slots that have not ended and have a seat left, earliest first',
    ...closed({ institution, slots: { type: 'array', items: slot } }),
    examples: [{ institution: exampleInstitution, slots: [exampleSlot] }],
  },
  CollectionSlot: {
    description: 'A collection slot (times in UTC)',
    ...slot,
    examples: [exampleSlot],
  },
  CollectionDay: {
    description: '今日取证: the day’s slots (China time) with the families booked in each, cancelled ones left out',
    ...closed({
      date: day,
      institution,
      slots: {
        type: 'array',
        items: closed({ ...slotProperties, appointments: { type: 'array', items: dayAppointment } }),
      },
    }),
    examples: [
      {
        date: '2026-12-01',
        institution: exampleInstitution,
        slots: [{ ...exampleSlot, appointments: [exampleDayAppointment] }],
      },
    ],
  },
  CollectionAppointment: {
    description: 'One family’s appointment as the issuer sees it: the paper to hand over, and who handed it over when',
    ...dayAppointment,
    examples: [exampleDayAppointment],
  },
  CitizenAppointment: {
    description: 'The parents’ appointment to collect the paper certificate',
    ...citizenAppointment,
    examples: [exampleCitizenAppointment],
  },
  CitizenAppointments: {
    description: 'The parents’ appointments for their certificate (every version of it), newest first',
    ...closed({ certificateNo, institution, appointments: { type: 'array', items: citizenAppointment } }),
    examples: [
      { certificateNo: 'Q440000001', institution: exampleInstitution, appointments: [exampleCitizenAppointment] },
    ],
  },
};
