import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/adapters/sql/sql.ts';
import { createSqlStatusListStore } from '../../src/adapters/sql/status-list-store.ts';
import type { StatusReference } from '../../src/domain/verification/ports.ts';
import { openTestSql, testEngine } from '../storage-kit.ts';
import { sharedDatabase } from './store-race.ts';

const institution = '12440000455862437X';
const other = '12440000455862438Y';
const at = '2026-11-29T08:00:00.000Z';
const baseUrl = 'https://zzzx.example.cn/';
const partition = { institution, year: 2026 };

function addInstitutions(sql: Sql) {
  for (const code of [institution, other]) {
    sql.run(
      sql.db
        .insertInto('institutions')
        .values({ credit_code: code, name: `医院 ${code}`, division_code: '440106', created_at: at }),
    );
  }
}

/** A register row for the status list's join; only its number and status matter here. */
function addCertificate(sql: Sql, certificateNo: string, status: string) {
  sql.run(
    sql.db.insertInto('certificates').values({
      certificate_no: certificateNo,
      licence_id: `licence-${certificateNo}`,
      lineage: `lineage-${certificateNo}`,
      version: 1,
      institution,
      kind: 'first',
      status,
      certificate: '{}',
      licence: '{}',
      registration: '{}',
      signed_json: '{}',
      licence_digest: 'digest',
      qr_text: 'qr',
      mother_id_number: 'not-an-id',
      birth_time: at,
      sex: '1',
      division_code: '440106',
      issued_at: at,
      issued_by: 'issuer-gz',
    }),
  );
}

describe(`the status list store on ${testEngine}`, () => {
  let sql: Sql;
  beforeEach(async () => {
    sql = await openTestSql();
    addInstitutions(sql);
  });
  afterEach(() => sql.close());

  it('gives a certificate a place in a new list of its partition, and the same place when asked again', () => {
    const store = createSqlStatusListStore(sql, { baseUrl, listSize: 8 });
    expect(store.all()).toEqual([]);
    expect(store.changeMark()).toBe('0.0');
    const place = store.assign('Q440000001', partition);
    expect(place.uri).toBe('https://zzzx.example.cn/api/v1/status-lists/1');
    expect(Number.isInteger(place.idx) && place.idx >= 0 && place.idx < 8).toBe(true);
    expect(store.assign('Q440000001', partition)).toEqual(place);
    expect(store.entryOf('Q440000001')).toEqual(place);
    expect(store.entryOf('Q440000002')).toBeNull();
    expect(store.find('1')).toEqual({ id: '1', uri: place.uri, institution, year: 2026, size: 8, revision: 1 });
    expect(store.changeMark()).toBe('1.1');
  });

  it('closes a list once half used and opens the next; each partition has lists of its own', () => {
    const store = createSqlStatusListStore(sql, { baseUrl, listSize: 8 });
    const places = ['Q440000001', 'Q440000002', 'Q440000003', 'Q440000004', 'Q440000005'].map((no) =>
      store.assign(no, partition),
    );
    const list = (n: number) => `https://zzzx.example.cn/api/v1/status-lists/${n}`;
    expect(places.map((p) => p.uri)).toEqual([list(1), list(1), list(1), list(1), list(2)]);
    expect(new Set(places.slice(0, 4).map((p) => p.idx)).size).toBe(4);
    expect(store.assign('Q440000006', { institution, year: 2027 }).uri).toBe(list(3));
    expect(store.assign('Q440000007', { institution: other, year: 2026 }).uri).toBe(list(4));
    expect(store.assign('Q440000008', partition).uri).toBe(list(2));
    expect(store.all().map((l) => [l.id, l.institution, l.year, l.revision])).toEqual([
      ['1', institution, 2026, 4],
      ['2', institution, 2026, 2],
      ['3', institution, 2027, 1],
      ['4', other, 2026, 1],
    ]);
    expect(store.changeMark()).toBe('8.4');
  });

  it('lists the non-valid entries with their register status, and moves the revision when a status changes', () => {
    const store = createSqlStatusListStore(sql, { baseUrl, listSize: 8 });
    const place: Record<string, StatusReference> = {};
    for (const [no, status] of [
      ['Q440000001', 'valid'],
      ['Q440000002', 'valid'],
      ['Q440000003', 'superseded'],
    ] as const) {
      addCertificate(sql, no, status);
      place[no] = store.assign(no, partition);
    }
    expect(store.nonValidEntries('1')).toEqual([{ idx: place.Q440000003!.idx, status: 'superseded' }]);
    const before = store.changeMark();
    sql.run(sql.db.updateTable('certificates').set({ status: 'void' }).where('certificate_no', '=', 'Q440000002'));
    expect(store.changeMark()).not.toBe(before);
    expect(store.find('1')?.revision).toBe(4);
    const byIdx = (a: { idx: number }, b: { idx: number }) => a.idx - b.idx;
    expect(store.nonValidEntries('1').sort(byIdx)).toEqual(
      [
        { idx: place.Q440000002!.idx, status: 'void' },
        { idx: place.Q440000003!.idx, status: 'superseded' },
      ].sort(byIdx),
    );
    expect(store.nonValidEntries('2')).toEqual([]);
  });

  it('places a batch as one-by-one assigns would: known places kept, a number twice placed once, lists closed at half', () => {
    const store = createSqlStatusListStore(sql, { baseUrl, listSize: 8 });
    const earlier = store.assign('Q440000001', partition);
    const numbers = ['Q440000002', 'Q440000001', 'Q440000003', 'Q440000002', 'Q440000004', 'Q440000005'];
    const places = store.assignAll([
      ...numbers.map((certificateNo) => ({ certificateNo, partition })),
      { certificateNo: 'Q440000006', partition: { institution: other, year: 2026 } },
    ]);
    const list = (n: number) => `https://zzzx.example.cn/api/v1/status-lists/${n}`;
    // Q440000001 took list 1's first place; 002, 003 and 004 fill it to half; 005 opens list 2.
    expect(places.map((p) => p.uri)).toEqual([list(1), list(1), list(1), list(1), list(1), list(2), list(3)]);
    expect(places[1]).toEqual(earlier);
    expect(places[3]).toEqual(places[0]);
    expect(new Set([earlier, places[0], places[2], places[4]].map((p) => p!.idx)).size).toBe(4);
    for (const [i, no] of numbers.entries()) expect(store.entryOf(no)).toEqual(places[i]);
    expect(store.all().map((l) => [l.id, l.institution, l.revision])).toEqual([
      ['1', institution, 4],
      ['2', institution, 1],
      ['3', other, 1],
    ]);
    expect(store.assignAll([])).toEqual([]);
  });

  it('keeps no place of a batch whose transaction rolled back', () => {
    const store = createSqlStatusListStore(sql, { baseUrl, listSize: 8 });
    expect(() =>
      sql.transaction(() => {
        store.assignAll([{ certificateNo: 'Q440000001', partition }]);
        throw new Error('the batch failed');
      }),
    ).toThrow('the batch failed');
    expect(store.entryOf('Q440000001')).toBeNull();
  });

  it('finds a list only by a well-formed id it has', () => {
    const store = createSqlStatusListStore(sql, { baseUrl, listSize: 8 });
    store.assign('Q440000001', partition);
    expect(store.find('1')?.id).toBe('1');
    for (const id of ['2', '0', '01', '-1', '1.0', 'abc', '', '99999999999999999']) expect(store.find(id)).toBeNull();
  });

  it('keeps no place taken in a transaction that rolled back', () => {
    const store = createSqlStatusListStore(sql, { baseUrl, listSize: 8 });
    expect(() =>
      sql.transaction(() => {
        store.assign('Q440000001', partition);
        throw new Error('the signer failed');
      }),
    ).toThrow('the signer failed');
    expect(store.entryOf('Q440000001')).toBeNull();
    expect(store.all()).toEqual([]);
  });
});

describe(`status list places taken by two connections at once on ${testEngine}`, () => {
  it('gives every certificate one place, never one place twice, and fills each list to half only', async () => {
    const shared = await sharedDatabase();
    try {
      addInstitutions(shared.connect());
      const numbers = (from: number) => Array.from({ length: 40 }, (_, i) => `Q44${String(from + i).padStart(7, '0')}`);
      const task = (from: number) => ({
        kind: 'status' as const,
        certificateNos: numbers(from),
        ...partition,
        listSize: 64,
      });
      const [placesA, placesB] = (await shared.race([task(0), task(100)])) as StatusReference[][];
      const all = [...placesA!, ...placesB!];
      expect(all).toHaveLength(80);
      expect(new Set(all.map((p) => `${p.uri}#${p.idx}`)).size).toBe(80);
      const store = createSqlStatusListStore(shared.connect(), { baseUrl, listSize: 64 });
      // 80 entries at 32 a list: two lists filled to half, the third holding the rest.
      const used = store.all().map((l) => all.filter((p) => p.uri === l.uri).length);
      expect(used).toEqual([32, 32, 16]);
      expect(numbers(0).map((no) => store.entryOf(no))).toEqual(placesA);
    } finally {
      shared.close();
    }
  });
});
