/**
 * The collection store's contract in plain maps (as the SQLite adapter keeps it: a seat is taken
 * only while one is left and the slot is open), over the lifecycle's in-memory world, with a unit
 * of work that rolls both back together.
 */
import type {
  Appointment,
  AppointmentPorts,
  CollectionSlot,
  CollectionStore,
} from '../../../src/domain/appointments/ports.ts';
import { world } from '../lifecycle/world.ts';

interface CollectionState {
  slots: Map<string, CollectionSlot>;
  appointments: Map<string, Appointment>;
}

function collectionStore(holder: { state: CollectionState }): CollectionStore {
  const slot = (id: string) => holder.state.slots.get(id);
  const all = () => [...holder.state.appointments.values()];
  const byStart = (a: CollectionSlot, b: CollectionSlot) => a.startsAt.localeCompare(b.startsAt);
  return {
    insertSlot: (s) => void holder.state.slots.set(s.id, { ...s }),
    findSlot: (id) => (slot(id) ? { ...slot(id)! } : null),
    openSlots: (institution, after) =>
      [...holder.state.slots.values()]
        .filter(
          (s) =>
            s.institution === institution && !s.closedAt && s.endsAt > after.toISOString() && s.booked < s.capacity,
        )
        .sort(byStart),
    slotsBetween: (institution, from, to) =>
      [...holder.state.slots.values()]
        .filter(
          (s) => s.institution === institution && s.startsAt >= from.toISOString() && s.startsAt < to.toISOString(),
        )
        .sort(byStart),
    closeSlot(id, at) {
      const s = slot(id);
      if (s && !s.closedAt) s.closedAt = at.toISOString();
    },
    takeSeat(id) {
      const s = slot(id);
      if (!s || s.closedAt || s.booked >= s.capacity) return false;
      s.booked += 1;
      return true;
    },
    releaseSeat(id) {
      const s = slot(id);
      if (s && s.booked > 0) s.booked -= 1;
    },
    insertAppointment(a) {
      if (a.status === 'booked' && all().some((x) => x.lineage === a.lineage && x.status === 'booked')) {
        throw new Error('UNIQUE constraint failed: collection_appointments.lineage');
      }
      holder.state.appointments.set(a.id, { ...a });
    },
    findAppointment: (id) => {
      const a = holder.state.appointments.get(id);
      return a ? { ...a } : null;
    },
    activeOf: (lineage) => all().find((a) => a.lineage === lineage && a.status === 'booked') ?? null,
    ofLineage: (lineage) =>
      all()
        .filter((a) => a.lineage === lineage)
        .reverse(),
    ofSlots: (ids) => all().filter((a) => ids.includes(a.slotId) && a.status !== 'cancelled'),
    handedOver: (no) => all().some((a) => a.certificateNo === no && a.status === 'handed-over'),
    moveAppointment(id, slotId, at) {
      Object.assign(holder.state.appointments.get(id)!, { slotId, changedAt: at.toISOString() });
    },
    cancelAppointment(id, at) {
      Object.assign(holder.state.appointments.get(id)!, { status: 'cancelled', changedAt: at.toISOString() });
    },
    markHandedOver(id, certificateNo, by, at) {
      Object.assign(holder.state.appointments.get(id)!, {
        status: 'handed-over',
        certificateNo,
        handedOverBy: by,
        handedOverAt: at.toISOString(),
        changedAt: at.toISOString(),
      });
    },
  };
}

export function appointmentWorld() {
  const w = world();
  const holder = { state: { slots: new Map(), appointments: new Map() } as CollectionState };
  let ids = 0;
  const ports: AppointmentPorts = {
    ...w.ports,
    transactions: {
      run(fn) {
        const saved = structuredClone(holder.state);
        try {
          return w.ports.transactions.run(fn);
        } catch (error) {
          holder.state = saved;
          throw error;
        }
      },
    },
    collection: collectionStore(holder),
    secrets: { ...w.ports.secrets, newId: (prefix) => `${prefix}${String(++ids).padStart(16, '0')}` },
  };
  return { ...w, appointmentPorts: ports, collection: () => holder.state };
}
