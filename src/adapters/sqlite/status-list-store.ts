import { randomInt } from 'node:crypto';
import type { CertificateStatus } from '../../domain/certificate.ts';
import type { StatusListRecord, StatusListStore } from '../../domain/status-lists/ports.ts';
import type { StatusReference } from '../../domain/verification/ports.ts';
import type { SqliteDatabase } from './database.ts';

/** 2^16 entries: 16 KB of bits before compression, and an index costs 3 bytes in the QR's CBOR. */
export const STATUS_LIST_SIZE = 65_536;

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
 * service's public address: a list's URI is made from it once, when the list is created.
 */
export function createSqliteStatusListStore(
  db: SqliteDatabase,
  options: { baseUrl: string; listSize?: number },
): StatusListStore {
  const size = options.listSize ?? STATUS_LIST_SIZE;
  // A list half used is closed; random picks in the open list then need fewer than 2 tries on average.
  const maxUsed = Math.max(1, Math.floor(size / 2));
  const q = {
    entryOf: db.prepare<[string], { idx: number; uri: string }>(
      `SELECT e.idx, l.uri FROM status_list_entries e JOIN status_lists l ON l.id = e.list_id WHERE e.certificate_no = ?`,
    ),
    openList: db.prepare<[string, number, number], ListRow>(
      'SELECT * FROM status_lists WHERE institution = ? AND year = ? AND used < ? ORDER BY id DESC LIMIT 1',
    ),
    createList: db.prepare(
      `INSERT INTO status_lists (uri, institution, year, size, created_at) VALUES ('', ?, ?, ?, ?)`,
    ),
    setUri: db.prepare('UPDATE status_lists SET uri = ? WHERE id = ?'),
    taken: db.prepare<[number, number]>('SELECT 1 FROM status_list_entries WHERE list_id = ? AND idx = ?').pluck(),
    insertEntry: db.prepare('INSERT INTO status_list_entries (list_id, idx, certificate_no) VALUES (?, ?, ?)'),
    find: db.prepare<[number], ListRow>('SELECT * FROM status_lists WHERE id = ?'),
    all: db.prepare<[], ListRow>('SELECT * FROM status_lists ORDER BY id'),
    nonValid: db.prepare<[number], { idx: number; status: CertificateStatus }>(
      `SELECT e.idx, c.status FROM status_list_entries e JOIN certificates c ON c.certificate_no = e.certificate_no
       WHERE e.list_id = ? AND c.status <> 'valid'`,
    ),
    mark: db.prepare<[], string>("SELECT coalesce(sum(revision), 0) || '.' || count(*) FROM status_lists").pluck(),
  };
  const listUri = (id: number) => `${options.baseUrl.replace(/\/+$/, '')}/api/v1/status-lists/${id}`;

  const assign = db.transaction((certificateNo: string, institution: string, year: number): StatusReference => {
    const existing = q.entryOf.get(certificateNo);
    if (existing) return { idx: existing.idx, uri: existing.uri };
    let list = q.openList.get(institution, year, maxUsed);
    if (!list) {
      const id = Number(q.createList.run(institution, year, size, new Date().toISOString()).lastInsertRowid);
      q.setUri.run(listUri(id), id);
      list = q.find.get(id)!;
    }
    for (;;) {
      const idx = randomInt(list.size);
      if (q.taken.get(list.id, idx)) continue;
      q.insertEntry.run(list.id, idx, certificateNo);
      return { idx, uri: list.uri };
    }
  });

  return {
    assign: (certificateNo, partition) => assign(certificateNo, partition.institution, partition.year),
    find(id) {
      if (!/^[1-9][0-9]{0,15}$/.test(id)) return null;
      const row = q.find.get(Number(id));
      return row ? toRecord(row) : null;
    },
    all: () => q.all.all().map(toRecord),
    nonValidEntries: (id) => q.nonValid.all(Number(id)),
    entryOf(certificateNo) {
      const row = q.entryOf.get(certificateNo);
      return row ? { idx: row.idx, uri: row.uri } : null;
    },
    changeMark: () => String(q.mark.get()),
  };
}
