import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqlCollectionStore } from '../../src/adapters/sql/collection-store.ts';
import { createSqlInstitutionRepository } from '../../src/adapters/sql/institution-repository.ts';
import type { Sql } from '../../src/adapters/sql/sql.ts';
import type { Appointment, CollectionSlot } from '../../src/domain/appointments/ports.ts';
import type { InstitutionRepository } from '../../src/domain/institution.ts';
import { openTestSql, testEngine } from '../storage-kit.ts';

const at = new Date('2026-11-29T08:00:00Z');
const hospital = '12440000455862437X';
const other = '12440100455300845Y';

let sql: Sql;
let institutions: InstitutionRepository;
beforeEach(async () => {
  sql = await openTestSql();
  institutions = createSqlInstitutionRepository(sql);
});
afterEach(() => sql.close());

describe(`institutions on ${testEngine}`, () => {
  it('are created active, found and listed by credit code', () => {
    expect(institutions.create({ creditCode: other, name: '广州市第一人民医院', divisionCode: '440104' }, at)).toEqual({
      creditCode: other,
      name: '广州市第一人民医院',
      divisionCode: '440104',
      status: 'active',
    });
    institutions.create({ creditCode: hospital, name: '广州市妇女儿童医疗中心', divisionCode: '440106' }, at);
    expect(institutions.find(hospital)?.name).toBe('广州市妇女儿童医疗中心');
    expect(institutions.find('nobody')).toBeNull();
    expect(institutions.list().map((i) => i.creditCode)).toEqual([hospital, other]);
  });

  it('receive number ranges that overlap no range of any institution', () => {
    institutions.create({ creditCode: hospital, name: '广州市妇女儿童医疗中心', divisionCode: '440106' }, at);
    institutions.create({ creditCode: other, name: '广州市第一人民医院', divisionCode: '440104' }, at);
    const first = institutions.addNumberRange({
      institution: hospital,
      prefix: 'Q',
      firstNo: 440000001,
      lastNo: 440000100,
      receivedOn: '2026-11-01',
    });
    expect(first).toEqual({
      id: first.id,
      institution: hospital,
      prefix: 'Q',
      firstNo: 440000001,
      lastNo: 440000100,
      nextNo: 440000001,
      receivedOn: '2026-11-01',
    });
    const overlapping = {
      institution: other,
      prefix: 'Q',
      firstNo: 440000100,
      lastNo: 440000200,
      receivedOn: '2026-11-02',
    };
    expect(() => institutions.addNumberRange(overlapping)).toThrow(
      expect.objectContaining({
        code: 'NUMBER_RANGE_OVERLAP',
        details: [{ path: 'firstNo', message: 'overlaps an existing range' }],
      }),
    );
    // The same numbers under another prefix are other numbers; the refusal rolled nothing in.
    const second = institutions.addNumberRange({ ...overlapping, prefix: 'R' });
    const third = institutions.addNumberRange({ ...overlapping, firstNo: 440000101 });
    expect(institutions.numberRanges(other).map((r) => [r.id, r.prefix, r.firstNo])).toEqual([
      [second.id, 'R', 440000100],
      [third.id, 'Q', 440000101],
    ]);
    expect(second.id).toBeGreaterThan(first.id);
    expect(institutions.numberRanges(hospital)).toEqual([first]);
  });
});

describe(`collection slots and appointments on ${testEngine}`, () => {
  const slot = (id: string, startsAt: string, capacity = 2): CollectionSlot => ({
    id,
    institution: hospital,
    startsAt,
    endsAt: new Date(Date.parse(startsAt) + 30 * 60_000).toISOString(),
    capacity,
    booked: 0,
    closedAt: null,
    createdBy: 'issuer-gz',
    createdAt: at.toISOString(),
  });
  const appointment = (id: string, slotId: string, lineage: string, bookedAt: string): Appointment => ({
    id,
    slotId,
    lineage,
    certificateNo: `Q44000000${lineage.slice(-1)}`,
    status: 'booked',
    bookedAt,
    changedAt: bookedAt,
    handedOverAt: null,
    handedOverBy: null,
  });
  /** A certificate row the appointments can refer to (its content is not read here). */
  const certificate = (no: string, lineage: string) =>
    sql.run(
      sql.db.insertInto('certificates').values({
        certificate_no: no,
        licence_id: `licence-${no}`,
        lineage,
        version: 1,
        institution: hospital,
        kind: 'first',
        status: 'valid',
        certificate: '{}',
        licence: '{}',
        registration: '{}',
        signed_json: '{}',
        licence_digest: 'digest',
        qr_text: 'qr',
        mother_id_number: 'mother',
        birth_time: '2026-11-20T01:00:00Z',
        sex: '1',
        division_code: '440106',
        issued_at: at.toISOString(),
        issued_by: 'issuer-gz',
      }),
    );

  beforeEach(() => {
    institutions.create({ creditCode: hospital, name: '广州市妇女儿童医疗中心', divisionCode: '440106' }, at);
    for (const n of [1, 2, 3]) certificate(`Q44000000${n}`, `L${n}`);
  });

  it('list open slots with seats left, and the slots of a day, in time order', () => {
    const store = createSqlCollectionStore(sql);
    store.insertSlot(slot('S-b', '2026-12-01T02:00:00.000Z'));
    store.insertSlot(slot('S-a', '2026-12-01T02:00:00.000Z'));
    store.insertSlot(slot('S-c', '2026-12-01T01:00:00.000Z', 1));
    store.insertSlot(slot('S-d', '2026-12-02T01:00:00.000Z'));
    expect(store.findSlot('S-a')).toEqual(slot('S-a', '2026-12-01T02:00:00.000Z'));
    expect(store.findSlot('S-x')).toBeNull();

    expect(store.takeSeat('S-c')).toBe(true);
    expect(store.takeSeat('S-c')).toBe(false);
    store.closeSlot('S-d', at);
    store.closeSlot('S-d', new Date('2026-11-30T00:00:00Z'));
    expect(store.findSlot('S-d')?.closedAt).toBe(at.toISOString());
    expect(store.takeSeat('S-d')).toBe(false);
    expect(store.openSlots(hospital, at).map((s) => s.id)).toEqual(['S-a', 'S-b']);
    expect(store.openSlots(hospital, new Date('2026-12-01T02:30:00.000Z'))).toEqual([]);
    store.releaseSeat('S-c');
    store.releaseSeat('S-c');
    expect(store.findSlot('S-c')?.booked).toBe(0);
    expect(
      store.slotsBetween(hospital, new Date('2026-12-01T00:00:00Z'), new Date('2026-12-02T01:00:00Z')).map((s) => s.id),
    ).toEqual(['S-c', 'S-a', 'S-b']);
  });

  it('keep one booked appointment per birth, move, cancel and hand over', () => {
    const store = createSqlCollectionStore(sql);
    store.insertSlot(slot('S-1', '2026-12-01T01:00:00.000Z'));
    store.insertSlot(slot('S-2', '2026-12-01T02:00:00.000Z'));
    store.insertSlot(slot('S-3', '2026-12-01T03:00:00.000Z'));
    const first = appointment('A-1', 'S-1', 'L1', '2026-11-29T08:00:00.000Z');
    store.insertAppointment(first);
    expect(() => store.insertAppointment({ ...first, id: 'A-1b' })).toThrow();
    expect(store.findAppointment('A-1')).toEqual(first);
    expect(store.activeOf('L1')).toEqual(first);

    store.moveAppointment('A-1', 'S-2', new Date('2026-11-29T09:00:00Z'));
    expect(store.findAppointment('A-1')).toEqual({ ...first, slotId: 'S-2', changedAt: '2026-11-29T09:00:00.000Z' });
    store.cancelAppointment('A-1', new Date('2026-11-29T10:00:00Z'));
    expect(store.activeOf('L1')).toBeNull();
    const again = appointment('A-2', 'S-1', 'L1', '2026-11-29T11:00:00.000Z');
    store.insertAppointment(again);
    store.insertAppointment(appointment('A-3', 'S-1', 'L2', '2026-11-29T08:30:00.000Z'));
    store.insertAppointment(appointment('A-4', 'S-3', 'L3', '2026-11-29T08:10:00.000Z'));
    expect(store.ofLineage('L1').map((a) => [a.id, a.status])).toEqual([
      ['A-2', 'booked'],
      ['A-1', 'cancelled'],
    ]);

    expect(store.handedOver('Q440000001')).toBe(false);
    store.markHandedOver('A-2', 'Q440000001', 'issuer-gz', new Date('2026-12-01T01:10:00Z'));
    expect(store.findAppointment('A-2')).toEqual({
      ...again,
      status: 'handed-over',
      handedOverAt: '2026-12-01T01:10:00.000Z',
      handedOverBy: 'issuer-gz',
      changedAt: '2026-12-01T01:10:00.000Z',
    });
    expect(store.handedOver('Q440000001')).toBe(true);

    // The booked and handed-over appointments of the slots asked for, by booking time.
    expect(store.ofSlots(['S-1', 'S-2']).map((a) => a.id)).toEqual(['A-3', 'A-2']);
    expect(store.ofSlots(['S-1', 'S-2', 'S-3']).map((a) => a.id)).toEqual(['A-4', 'A-3', 'A-2']);
    expect(store.ofSlots(['S-9'])).toEqual([]);
    expect(store.ofSlots([])).toEqual([]);
  });
});
