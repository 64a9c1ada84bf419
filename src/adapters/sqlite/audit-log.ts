import { createHash } from 'node:crypto';
import type { AuditEventFilter, AuditEventReader } from '../../domain/audit/audit-browse.ts';
import type {
  AuditAnchor,
  AuditChainReport,
  AuditEvent,
  AuditEventInput,
  AuditLog,
} from '../../domain/audit/audit-event.ts';
import type { SqliteDatabase } from './database.ts';

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
 */
export function createSqliteAuditLog(
  db: SqliteDatabase,
): AuditLog & AuditEventReader & { list(limit: number, afterSeq: number): AuditEvent[] } {
  const last = db.prepare<[], { seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
  );
  const insert = db.prepare(
    `INSERT INTO audit_events (seq, at, action, actor, role, institution, target, purpose, details, prev_hash, hash)
     VALUES (@seq, @at, @action, @actor, @role, @institution, @target, @purpose, @details, @prev_hash, @hash)`,
  );
  const all = db.prepare<[], AuditRow>('SELECT * FROM audit_events ORDER BY seq');
  const page = db.prepare<[number, number], AuditRow>('SELECT * FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?');

  /** The WHERE clause of a filter; only fixed SQL text, every value a bound parameter. */
  const where = (filter: Omit<AuditEventFilter, 'limit'>) => {
    const clauses: string[] = [];
    if (filter.from !== undefined) clauses.push('at >= @from');
    if (filter.to !== undefined) clauses.push('at < @to');
    if (filter.actor !== undefined) clauses.push('actor = @actor');
    if (filter.action !== undefined) clauses.push('action = @action');
    if (filter.certificateNo !== undefined) clauses.push('target = @certificateNo');
    if (filter.before !== undefined) clauses.push('seq < @before');
    return clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
  };
  // At most 2^6 shapes of filter: each statement is prepared once, on first use.
  const statements = new Map<string, ReturnType<typeof db.prepare<Record<string, unknown>, AuditRow>>>();
  const statement = (sql: string) => {
    let prepared = statements.get(sql);
    if (!prepared) {
      prepared = db.prepare<Record<string, unknown>, AuditRow>(sql);
      statements.set(sql, prepared);
    }
    return prepared;
  };
  const params = (filter: Omit<AuditEventFilter, 'limit'>) =>
    Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));

  const appendRow = (event: AuditEventInput, now: Date): AuditEvent => {
    const previous = last.get();
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
    const hash = chainHash(prevHash, row);
    insert.run({ ...row, prev_hash: prevHash, hash });
    return toEvent({ ...row, prev_hash: prevHash, hash });
  };
  const append = db.transaction(appendRow);

  return {
    // Inside the caller's transaction no savepoint is needed: the one INSERT lands or nothing does.
    record: (event, now) => (db.inTransaction ? appendRow(event, now) : append(event, now)),
    verify(anchors?: AuditAnchor | readonly AuditAnchor[]): AuditChainReport {
      const pinned = new Map<number, string[]>();
      for (const anchor of anchors === undefined ? [] : 'seq' in anchors ? [anchors] : anchors) {
        pinned.set(anchor.seq, [...(pinned.get(anchor.seq) ?? []), anchor.hash]);
      }
      let prevHash = genesis;
      let expectedSeq = 1;
      let events = 0;
      for (const row of all.iterate()) {
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
      const newest = last.get();
      return { seq: newest?.seq ?? 0, hash: newest?.hash ?? genesis };
    },
    list: (limit, afterSeq) => page.all(afterSeq, limit).map(toEvent),
    find: ({ limit, ...filter }) =>
      statement(`SELECT * FROM audit_events ${where(filter)} ORDER BY seq DESC LIMIT @limit`)
        .all({ ...params(filter), limit })
        .map(toEvent),
    *range(filter) {
      for (const row of statement(`SELECT * FROM audit_events ${where(filter)} ORDER BY seq`).iterate(params(filter))) {
        yield toEvent(row);
      }
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
