import { randomInt } from 'node:crypto';
import { sql as raw } from 'kysely';
import type { CertificateStatus } from '../../domain/certificate.ts';
import type { StatusListRecord, StatusListStore } from '../../domain/status-lists/ports.ts';
import type { StatusReference } from '../../domain/verification/ports.ts';
import { compileOnce } from './compile-once.ts';
import { atomically, type Sql } from './sql.ts';

/** 2^16 entries: 16 KB of bits before compression, and an index costs 3 bytes in the QR's CBOR. */
export const STATUS_LIST_SIZE = 65_536;
/** Certificate numbers per query of `assignAll`'s look-up (bound parameters; SQLite allows 32,766). */
const PLACES_PER_QUERY = 500;

interface ListRow {
  id: number;
  uri: string;
  institution: string;
  year: number;
  size: number;
  used: number;
  revision: number;
}

const toRecord = (row: ListRow): StatusListRecord => ({
  id: String(row.id),
  uri: row.uri,
  institution: row.institution,
  year: row.year,
  size: row.size,
  revision: row.revision,
});

/**
 * Status lists over `status_lists` and `status_list_entries` (migration 007). `baseUrl` is the
 * service's public address: a list's URI is made from it once, when the list is created. The
 * lists' `used` and `revision` are kept by the migration's triggers.
 */
export function createSqlStatusListStore(sql: Sql, options: { baseUrl: string; listSize?: number }): StatusListStore {
  const { db } = sql;
  const size = options.listSize ?? STATUS_LIST_SIZE;
  // A list half used is closed; random picks in the open list then need fewer than 2 tries on average.
  const maxUsed = Math.max(1, Math.floor(size / 2));
  const listUri = (id: number) => `${options.baseUrl.replace(/\/+$/, '')}/api/v1/status-lists/${id}`;
  const findList = (id: number) => sql.get<ListRow>(db.selectFrom('status_lists').selectAll().where('id', '=', id));
  const entryOf = (certificateNo: string) =>
    sql.get(
      db
        .selectFrom('status_list_entries as e')
        .innerJoin('status_lists as l', 'l.id', 'e.list_id')
        .select(['e.idx', 'l.uri'])
        .where('e.certificate_no', '=', certificateNo),
    );
  // The two statements of every issue (and of every back-issued record): built and compiled once.
  /** Takes place `idx` of the list unless it is taken: whether it took it (1 or 0 rows). */
  const takePlace = compileOnce<{ list: number; idx: number; no: string }, unknown>(sql, (value) =>
    db
      .insertInto('status_list_entries')
      .columns(['list_id', 'idx', 'certificate_no'])
      .expression(
        db
          .selectNoFrom((eb) => [
            eb.val(value('list')).as('list_id'),
            eb.val(value('idx')).as('idx'),
            eb.val(value('no')).as('c'),
          ])
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('status_list_entries')
                  .select(eb.lit(1).as('taken'))
                  .where('list_id', '=', value('list'))
                  .where('idx', '=', value('idx')),
              ),
            ),
          ),
      ),
  );
  const take = (list: number, idx: number, no: string) => sql.run(takePlace({ list, idx, no })) === 1;

  /** The partition's open list (not yet half used), with its use, if any. */
  const openListQuery = (institution: string, year: number) =>
    db
      .selectFrom('status_lists')
      .select(['id', 'uri', 'size', 'used'])
      .where('institution', '=', institution)
      .where('year', '=', year)
      .where('used', '<', maxUsed)
      .orderBy('id', 'desc')
      .limit(1);

  /** The place the certificate already has, and the partition's open list if any: one statement. */
  const placeAndOpenList = compileOnce<
    { no: string; institution: string; year: number },
    { idx: number | null; id: number; uri: string; size: number }
  >(sql, (value) =>
    db
      .selectFrom('status_list_entries as e')
      .innerJoin('status_lists as l', 'l.id', 'e.list_id')
      .select((eb) => [eb.ref('e.idx').$castTo<number | null>().as('idx'), 'l.id', 'l.uri', 'l.size'])
      .where('e.certificate_no', '=', value('no'))
      .unionAll(
        db
          .selectFrom(openListQuery(value('institution'), value('year')).as('o'))
          .select([raw<number | null>`NULL`.as('idx'), 'o.id', 'o.uri', 'o.size']),
      ),
  );

  /** The place the certificate already has (a retried issue), else the partition's open list, if any. */
  function placeOrOpenList(no: string, institution: string, year: number) {
    const rows = sql.all(placeAndOpenList({ no, institution, year }));
    const placed = rows.find((row) => row.idx !== null);
    if (placed) return { placed: { idx: placed.idx!, uri: placed.uri } };
    return { open: rows[0] };
  }

  /** A new list for the partition. */
  function newList(institution: string, year: number): Pick<ListRow, 'id' | 'uri' | 'size'> {
    // The URI names the id, which the insert makes: inserted with a placeholder, then set.
    const { id } = sql.get(
      db
        .insertInto('status_lists')
        .values({ uri: '', institution, year, size, created_at: new Date().toISOString() })
        .returning('id'),
    )!;
    sql.run(
      db
        .updateTable('status_lists')
        .set({ uri: listUri(id) })
        .where('id', '=', id),
    );
    return findList(id)!;
  }

  /** A random free index of `list`, taken for the certificate. */
  function takeRandom(list: Pick<ListRow, 'id' | 'uri' | 'size'>, certificateNo: string): StatusReference {
    for (;;) {
      const idx = randomInt(list.size);
      if (take(list.id, idx, certificateNo)) return { idx, uri: list.uri };
    }
  }

  function assign(certificateNo: string, institution: string, year: number): StatusReference {
    const { placed, open } = placeOrOpenList(certificateNo, institution, year);
    return placed ?? takeRandom(open ?? newList(institution, year), certificateNo);
  }

  /** The places some of these certificates already have, by number. */
  function placesOf(numbers: readonly string[]): Map<string, StatusReference> {
    const places = new Map<string, StatusReference>();
    for (let i = 0; i < numbers.length; i += PLACES_PER_QUERY) {
      const rows = sql.all(
        db
          .selectFrom('status_list_entries as e')
          .innerJoin('status_lists as l', 'l.id', 'e.list_id')
          .select(['e.certificate_no', 'e.idx', 'l.uri'])
          .where('e.certificate_no', 'in', numbers.slice(i, i + PLACES_PER_QUERY)),
      );
      for (const row of rows) places.set(row.certificate_no, { idx: row.idx, uri: row.uri });
    }
    return places;
  }

  /**
   * `assign` for many certificates (a back-issued batch): their existing places in one query,
   * each partition's open list read once and its use counted here, then one conditional insert
   * per new place. A certificate named twice gets one place.
   */
  function assignAll(items: readonly { certificateNo: string; partition: { institution: string; year: number } }[]) {
    const places = placesOf([...new Set(items.map((item) => item.certificateNo))]);
    const lists = new Map<string, Pick<ListRow, 'id' | 'uri' | 'size' | 'used'>>();
    return items.map(({ certificateNo, partition: { institution, year } }) => {
      const known = places.get(certificateNo);
      if (known) return known;
      const key = `${institution}\0${year}`;
      let list = lists.get(key);
      if (!list || list.used >= maxUsed) {
        list = sql.get(openListQuery(institution, year)) ?? { ...newList(institution, year), used: 0 };
        lists.set(key, list);
      }
      const place = takeRandom(list, certificateNo);
      list.used++;
      places.set(certificateNo, place);
      return place;
    });
  }

  return {
    // One transaction (or the caller's), so on PostgreSQL the writers' lock keeps two nodes from
    // picking the same open list's index or both creating a list.
    assign: (certificateNo, { institution, year }) => atomically(sql, () => assign(certificateNo, institution, year)),
    assignAll: (items) => atomically(sql, () => assignAll(items)),
    find(id) {
      if (!/^[1-9][0-9]{0,15}$/.test(id)) return null;
      const row = findList(Number(id));
      return row ? toRecord(row) : null;
    },
    all: () => sql.all<ListRow>(db.selectFrom('status_lists').selectAll().orderBy('id')).map(toRecord),
    nonValidEntries: (id) =>
      sql.all(
        db
          .selectFrom('status_list_entries as e')
          .innerJoin('certificates as c', 'c.certificate_no', 'e.certificate_no')
          .select(['e.idx', 'c.status'])
          .where('e.list_id', '=', Number(id))
          .where('c.status', '<>', 'valid'),
      ) as { idx: number; status: CertificateStatus }[],
    entryOf(certificateNo) {
      const row = entryOf(certificateNo);
      return row ? { idx: row.idx, uri: row.uri } : null;
    },
    changeMark() {
      const { revisions, lists } = sql.get(
        db
          .selectFrom('status_lists')
          .select((eb) => [
            eb.fn.coalesce(eb.fn.sum<number>('revision'), eb.lit(0)).as('revisions'),
            eb.fn.countAll<number>().as('lists'),
          ]),
      )!;
      return `${revisions}.${lists}`;
    },
  };
}
