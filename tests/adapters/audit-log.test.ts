import { sql as raw } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqlAuditCheckpointStore } from '../../src/adapters/sql/audit-checkpoint-store.ts';
import { chainHash, createSqlAuditLog } from '../../src/adapters/sql/audit-log.ts';
import type { Sql } from '../../src/adapters/sql/sql.ts';
import type { AuditEventInput } from '../../src/domain/audit/audit-event.ts';
import { openTestSql, testEngine } from '../storage-kit.ts';
import { sharedDatabase } from './store-race.ts';

const at = new Date('2026-11-25T02:00:00Z');
const genesis = '0'.repeat(64);

const read = (i: number, at = 'police'): AuditEventInput => ({
  action: 'certificate.read',
  actor: `${at}-${i}`,
  role: 'police',
  institution: null,
  target: `Q44000000${i}`,
  purpose: '落户核验',
  details: { i },
});

/** What an attacker with the database can do first: drop the guard triggers. */
function dropGuards(sql: Sql) {
  sql.exec(
    sql.engine === 'sqlite'
      ? 'DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete'
      : 'DROP TRIGGER audit_events_no_update ON audit_events; DROP TRIGGER audit_events_no_delete ON audit_events',
  );
}

let opened: Sql[] = [];
afterEach(() => {
  for (const sql of opened) sql.close();
  opened = [];
});

async function logWithEvents(n: number, options: { guarded?: boolean } = {}) {
  const sql = await openTestSql();
  opened.push(sql);
  const audit = createSqlAuditLog(sql);
  for (let i = 1; i <= n; i++) audit.record(read(i), at);
  if (!options.guarded) dropGuards(sql);
  return { sql, audit };
}

describe(`the audit log on ${testEngine}`, () => {
  it('links each event to the previous one from a zero genesis hash', async () => {
    const { audit } = await logWithEvents(3);
    const events = audit.list(10, 0);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events[0]).toEqual({
      seq: 1,
      at: '2026-11-25T02:00:00.000Z',
      action: 'certificate.read',
      actor: 'police-1',
      role: 'police',
      institution: null,
      target: 'Q440000001',
      purpose: '落户核验',
      details: { i: 1 },
      prevHash: genesis,
      hash: chainHash(genesis, {
        seq: 1,
        at: '2026-11-25T02:00:00.000Z',
        action: 'certificate.read',
        actor: 'police-1',
        role: 'police',
        institution: null,
        target: 'Q440000001',
        purpose: '落户核验',
        details: '{"i":1}',
      }),
    });
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(events[2]!.prevHash).toBe(events[1]!.hash);
    expect(audit.head()).toEqual({ seq: 3, hash: events[2]!.hash });
    expect(audit.verify()).toEqual({ intact: true, events: 3 });
    expect(audit.list(1, 1).map((e) => e.seq)).toEqual([2]);
  });

  it('starts empty at the genesis head, and verifies an empty log', async () => {
    const { audit } = await logWithEvents(0);
    expect(audit.head()).toEqual({ seq: 0, hash: genesis });
    expect(audit.verify()).toEqual({ intact: true, events: 0 });
    expect(audit.list(10, 0)).toEqual([]);
  });

  it('records inside the caller’s transaction: rolled back with it, kept with it', async () => {
    const { sql, audit } = await logWithEvents(1, { guarded: true });
    expect(() =>
      sql.transaction(() => {
        audit.record(read(2), at);
        throw new Error('the change failed');
      }),
    ).toThrow('the change failed');
    expect(audit.head().seq).toBe(1);
    const recorded = sql.transaction(() => [audit.record(read(2), at), audit.record(read(3), at)]);
    expect(recorded.map((e) => e.seq)).toEqual([2, 3]);
    expect(audit.verify()).toEqual({ intact: true, events: 3 });
  });

  it('records a batch as the same chain one-by-one records would make, after what is there', async () => {
    const one = await logWithEvents(2, { guarded: true });
    for (const i of [3, 4, 5]) one.audit.record(read(i), at);
    const batch = await logWithEvents(2, { guarded: true });
    batch.audit.recordAll([read(3), read(4), read(5)], at);
    expect(batch.audit.list(10, 0)).toEqual(one.audit.list(10, 0));
    expect(batch.audit.verify()).toEqual({ intact: true, events: 5 });
    batch.audit.recordAll([], at);
    expect(batch.audit.head()).toEqual(one.audit.head());
  });

  it('records a batch whole or not at all', async () => {
    const { sql, audit } = await logWithEvents(1, { guarded: true });
    expect(() =>
      sql.transaction(() => {
        audit.recordAll([read(2), read(3)], at);
        throw new Error('the batch failed');
      }),
    ).toThrow('the batch failed');
    expect(audit.head().seq).toBe(1);
    expect(audit.verify()).toEqual({ intact: true, events: 1 });
  });

  it('finds events by filter, newest first, and ranges over them oldest first', async () => {
    const { sql, audit } = await logWithEvents(0, { guarded: true });
    const times = ['2026-11-25T02:00:00Z', '2026-11-25T03:00:00Z', '2026-11-26T02:00:00Z', '2026-11-27T02:00:00Z'];
    for (const [i, time] of times.entries()) {
      const actor = i % 2 === 0 ? 'police-a' : 'police-b';
      audit.record({ ...read(i + 1), actor, action: i === 3 ? 'x' : 'certificate.read' }, new Date(time));
    }
    const seqs = (events: { seq: number }[]) => events.map((e) => e.seq);
    expect(seqs(audit.find({ limit: 10 }))).toEqual([4, 3, 2, 1]);
    expect(seqs(audit.find({ limit: 2 }))).toEqual([4, 3]);
    expect(seqs(audit.find({ limit: 10, actor: 'police-a' }))).toEqual([3, 1]);
    expect(seqs(audit.find({ limit: 10, action: 'certificate.read' }))).toEqual([3, 2, 1]);
    expect(seqs(audit.find({ limit: 10, certificateNo: 'Q440000002' }))).toEqual([2]);
    expect(seqs(audit.find({ limit: 10, before: 3 }))).toEqual([2, 1]);
    const day = { from: '2026-11-25T00:00:00.000Z', to: '2026-11-26T02:00:00.000Z' };
    expect(seqs(audit.find({ limit: 10, ...day }))).toEqual([2, 1]);
    expect(seqs([...audit.range(day)])).toEqual([1, 2]);
    expect(seqs([...audit.range({ actor: 'police-b', action: 'x' })])).toEqual([4]);
    expect(seqs([...audit.range({})])).toEqual([1, 2, 3, 4]);
    // The chain can be checked while a range streams.
    const nested: boolean[] = [];
    for (const _ of audit.range({})) nested.push(audit.verify().intact);
    expect(nested).toEqual([true, true, true, true]);
    expect(sql.inTransaction).toBe(false);
  });

  it('refuses updates and deletes through SQL while the guard triggers stand', async () => {
    const { sql } = await logWithEvents(1, { guarded: true });
    expect(() => sql.exec("UPDATE audit_events SET action = 'y'")).toThrow(/append-only/);
    expect(() => sql.exec('DELETE FROM audit_events')).toThrow(/append-only/);
  });

  it('detects an edited event', async () => {
    const { sql, audit } = await logWithEvents(5);
    sql.exec("UPDATE audit_events SET purpose = '其他' WHERE seq = 3");
    expect(audit.verify()).toEqual({ intact: false, events: 3, firstBrokenAt: 3 });
  });

  it('detects a deleted event', async () => {
    const { sql, audit } = await logWithEvents(5);
    sql.exec('DELETE FROM audit_events WHERE seq = 2');
    expect(audit.verify()).toEqual({ intact: false, events: 2, firstBrokenAt: 2 });
  });

  it('detects reordered events even when their sequence numbers are swapped back', async () => {
    const { sql, audit } = await logWithEvents(5);
    sql.exec(`UPDATE audit_events SET seq = 100 WHERE seq = 2;
              UPDATE audit_events SET seq = 2 WHERE seq = 4;
              UPDATE audit_events SET seq = 4 WHERE seq = 100;`);
    expect(audit.verify()).toEqual({ intact: false, events: 2, firstBrokenAt: 2 });
  });

  it('detects an event re-hashed on its own, because the next event still links to the old hash', async () => {
    const { sql, audit } = await logWithEvents(4);
    const row = sql.get<Parameters<typeof chainHash>[1] & { prev_hash: string }>(
      sql.db.selectFrom('audit_events').selectAll().where('seq', '=', 2),
    )!;
    const forged = { ...row, actor: 'someone-else' };
    sql.run(
      sql.db
        .updateTable('audit_events')
        .set({ actor: forged.actor, hash: chainHash(row.prev_hash, forged) })
        .where('seq', '=', 2),
    );
    expect(audit.verify()).toEqual({ intact: false, events: 3, firstBrokenAt: 3 });
  });

  it('cannot tell a log cut back at its newest events without an anchor, and can with one', async () => {
    const { sql, audit } = await logWithEvents(5);
    const anchor = audit.head();
    expect(anchor.seq).toBe(5);
    expect(audit.verify(anchor)).toEqual({ intact: true, events: 5 });
    sql.exec('DELETE FROM audit_events WHERE seq >= 4');
    expect(audit.verify()).toEqual({ intact: true, events: 3 });
    expect(audit.verify(anchor)).toEqual({ intact: false, events: 3, firstBrokenAt: 4, failedAnchorSeq: 5 });
  });

  it('refuses an anchor whose event was rewritten along with the whole chain after it', async () => {
    const { audit } = await logWithEvents(3);
    expect(audit.verify({ seq: 2, hash: 'f'.repeat(64) })).toEqual({
      intact: false,
      events: 2,
      firstBrokenAt: 2,
      failedAnchorSeq: 2,
    });
  });
});

describe(`the audit log written by two connections on ${testEngine}`, () => {
  it('stays one chain when they take turns', async () => {
    const shared = await sharedDatabase();
    try {
      const [a, b] = [createSqlAuditLog(shared.connect()), createSqlAuditLog(shared.connect())];
      for (let i = 1; i <= 6; i++) (i % 2 ? a : b).record(read(i, i % 2 ? 'a' : 'b'), at);
      expect(b.verify()).toEqual({ intact: true, events: 6 });
      expect(a.list(10, 0).map((e) => e.actor)).toEqual(['a-1', 'b-2', 'a-3', 'b-4', 'a-5', 'b-6']);
    } finally {
      shared.close();
    }
  });

  it('stays one chain when they append at the same time, every event kept', async () => {
    const shared = await sharedDatabase();
    try {
      const events = 150;
      await shared.race([
        { kind: 'audit', node: 'a', events },
        { kind: 'audit', node: 'b', events },
      ]);
      const sql = shared.connect();
      const audit = createSqlAuditLog(sql);
      expect(audit.verify()).toEqual({ intact: true, events: 2 * events });
      const byNode = sql.all(
        raw<{ actor: string; n: number }>`SELECT actor, count(*) AS n FROM audit_events GROUP BY actor ORDER BY actor`,
      );
      expect(byNode).toEqual([
        { actor: 'a', n: events },
        { actor: 'b', n: events },
      ]);
    } finally {
      shared.close();
    }
  });
});

describe(`the audit checkpoints on ${testEngine}`, () => {
  it('numbers checkpoints 1, 2 … and returns them in order, the newest last', async () => {
    const sql = await openTestSql();
    opened.push(sql);
    const store = createSqlAuditCheckpointStore(sql);
    expect(store.newest()).toBeNull();
    expect(store.list()).toEqual([]);
    const first = { seq: 3, hash: 'a'.repeat(64), at: '2026-11-25T02:00:00.000Z', kid: 'audit-1', jws: 'x.y.z' };
    const second = { seq: 7, hash: 'b'.repeat(64), at: '2026-11-26T02:00:00.000Z', kid: 'audit-1', jws: 'u.v.w' };
    expect(store.append(first)).toEqual({ number: 1, ...first });
    expect(store.append(second)).toEqual({ number: 2, ...second });
    expect(store.list()).toEqual([
      { number: 1, ...first },
      { number: 2, ...second },
    ]);
    expect(store.newest()).toEqual({ number: 2, ...second });
    expect(() => sql.exec("UPDATE audit_checkpoints SET kid = 'other'")).toThrow(/append-only/);
    expect(() => sql.exec('DELETE FROM audit_checkpoints')).toThrow(/append-only/);
  });
});
