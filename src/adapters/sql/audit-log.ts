import { createHash } from 'node:crypto';
import type { AuditEventFilter, AuditEventReader } from '../../domain/audit/audit-browse.ts';
import type {
  AuditAnchor,
  AuditChainReport,
  AuditEvent,
  AuditEventInput,
  AuditLog,
} from '../../domain/audit/audit-event.ts';
import { compileOnce } from './compile-once.ts';
import { atomically, type Sql } from './sql.ts';

const genesis = '0'.repeat(64);

interface AuditRow {
  seq: number;
  at: string;
  action: string;
  actor: string | null;
  role: string | null;
  institution: string | null;
  target: string | null;
  purpose: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

const auditColumns = [
  'seq',
  'at',
  'action',
  'actor',
  'role',
  'institution',
  'target',
  'purpose',
  'details',
  'prev_hash',
  'hash',
] as const satisfies readonly (keyof AuditRow)[];
type AuditColumn = (typeof auditColumns)[number];

/** The hashed content of an event: every column but the hash itself, in a fixed order. */
function canonical(row: Omit<AuditRow, 'hash' | 'prev_hash'>): string {
  return JSON.stringify([
    row.seq,
    row.at,
    row.action,
    row.actor,
    row.role,
    row.institution,
    row.target,
    row.purpose,
    row.details,
  ]);
}

export const chainHash = (prevHash: string, row: Omit<AuditRow, 'hash' | 'prev_hash'>) =>
  createHash('sha256').update(prevHash).update(canonical(row)).digest('hex');

/**
 * Each event's hash covers its sequence number and the previous hash, so an edited, deleted,
 * inserted or reordered event breaks the chain from that point on. Appends run inside the
 * caller's transaction when there is one, so an event lands with the change it describes.
 *
 * The writer reads the head and appends head+1 in one transaction: on SQLite the one writer, on
 * PostgreSQL the writers' lock every transaction takes (postgres-sql.ts) keep two nodes from
 * chaining to the same head; `seq` is the primary key, so if they ever did, the second insert
 * would fail instead of forking the chain.
 */
export function createSqlAuditLog(
  sql: Sql,
): AuditLog & AuditEventReader & { list(limit: number, afterSeq: number): AuditEvent[] } {
  const { db } = sql;
  // An append runs on every audited act (each police read among them), so its two statements are
  // compiled once, not per call: compiling the 11-value INSERT costs more CPU than SQLite takes to
  // run it (bench:audit-store).
  const newest = db.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).compile();
  const head = () => sql.get(newest);
  const insert = compileOnce<AuditRow & Record<string, unknown>, unknown>(sql, (value) =>
    db
      .insertInto('audit_events')
      .values(Object.fromEntries(auditColumns.map((column) => [column, value(column)])) as Record<AuditColumn, never>),
  );
  const insertRow = (row: AuditRow) => sql.write(insert(row as AuditRow & Record<string, unknown>));

  /** Events matching a filter; at most 2^6 shapes of SQL text, every value a bound parameter. */
  const matching = (filter: Omit<AuditEventFilter, 'limit'>) => {
    let query = db.selectFrom('audit_events').selectAll();
    if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('at', '<', filter.to);
    if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
    if (filter.action !== undefined) query = query.where('action', '=', filter.action);
    if (filter.certificateNo !== undefined) query = query.where('target', '=', filter.certificateNo);
    if (filter.before !== undefined) query = query.where('seq', '<', filter.before);
    return query;
  };

  /** Appends after `previous` (the head, read in this unit of work): the row as stored. */
  const appendRow = (event: AuditEventInput, now: Date, previous = head()): AuditRow => {
    const row = {
      seq: (previous?.seq ?? 0) + 1,
      at: now.toISOString(),
      action: event.action,
      actor: event.actor,
      role: event.role,
      institution: event.institution,
      target: event.target,
      purpose: event.purpose,
      details: JSON.stringify(event.details),
    };
    const prevHash = previous?.hash ?? genesis;
    const stored = { ...row, prev_hash: prevHash, hash: chainHash(prevHash, row) };
    insertRow(stored);
    return stored;
  };

  return {
    // Inside the caller's transaction no savepoint is needed: the one INSERT lands or nothing does.
    record: (event, now) => atomically(sql, () => toEvent(appendRow(event, now))),
    // The head read once for the lot: each event chains to the one appended just before it.
    recordAll: (events, now) =>
      atomically(sql, () => {
        let previous = head();
        for (const event of events) previous = appendRow(event, now, previous);
      }),
    verify(anchors?: AuditAnchor | readonly AuditAnchor[]): AuditChainReport {
      const pinned = new Map<number, string[]>();
      for (const anchor of anchors === undefined ? [] : 'seq' in anchors ? [anchors] : anchors) {
        pinned.set(anchor.seq, [...(pinned.get(anchor.seq) ?? []), anchor.hash]);
      }
      let prevHash = genesis;
      let expectedSeq = 1;
      let events = 0;
      // Streams on SQLite; on PostgreSQL the connection hands over all rows at once. The columns
      // named, not `*`: a statement of its own, so a check run while `range({})` streams (the same
      // text with `*`) does not find SQLite's cached statement busy.
      for (const row of sql.iterate<AuditRow>(db.selectFrom('audit_events').select(auditColumns).orderBy('seq'))) {
        events++;
        const broken = row.seq !== expectedSeq || row.prev_hash !== prevHash || row.hash !== chainHash(prevHash, row);
        if (broken) return { intact: false, events, firstBrokenAt: expectedSeq };
        if (pinned.get(row.seq)?.some((hash) => hash !== row.hash)) {
          return { intact: false, events, firstBrokenAt: row.seq, failedAnchorSeq: row.seq };
        }
        pinned.delete(row.seq);
        prevHash = row.hash;
        expectedSeq++;
      }
      // An anchored event is gone: the log was cut back to before it.
      if (pinned.size > 0) {
        return { intact: false, events, firstBrokenAt: expectedSeq, failedAnchorSeq: Math.min(...pinned.keys()) };
      }
      return { intact: true, events };
    },
    head(): AuditAnchor {
      const newest = head();
      return { seq: newest?.seq ?? 0, hash: newest?.hash ?? genesis };
    },
    list: (limit, afterSeq) =>
      sql
        .all<AuditRow>(
          db.selectFrom('audit_events').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit),
        )
        .map(toEvent),
    find: ({ limit, ...filter }) =>
      sql.all<AuditRow>(matching(filter).orderBy('seq', 'desc').limit(limit)).map(toEvent),
    *range(filter) {
      for (const row of sql.iterate<AuditRow>(matching(filter).orderBy('seq'))) yield toEvent(row);
    },
  };
}

function toEvent(row: AuditRow): AuditEvent {
  return {
    seq: row.seq,
    at: row.at,
    action: row.action,
    actor: row.actor,
    role: row.role,
    institution: row.institution,
    target: row.target,
    purpose: row.purpose,
    details: JSON.parse(row.details) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
