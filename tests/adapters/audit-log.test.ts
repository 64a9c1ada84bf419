import { describe, expect, it } from 'vitest';
import { chainHash, createSqliteAuditLog } from '../../src/adapters/sqlite/audit-log.ts';
import { openDatabase } from '../../src/adapters/sqlite/database.ts';

const at = new Date('2026-11-25T02:00:00Z');

function logWithEvents(n: number) {
  const db = openDatabase(':memory:');
  const audit = createSqliteAuditLog(db);
  for (let i = 1; i <= n; i++) {
    audit.record(
      {
        action: 'certificate.read',
        actor: `police-${i}`,
        role: 'police',
        institution: null,
        target: `Q44000000${i}`,
        purpose: '落户核验',
        details: { i },
      },
      at,
    );
  }
  // An attacker with the file can drop the guard triggers; the chain must still tell.
  db.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
  return { db, audit };
}

describe('the audit log', () => {
  it('links each event to the previous one from a zero genesis hash', () => {
    const { audit } = logWithEvents(3);
    const events = audit.list(10, 0);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events[0]!.prevHash).toBe('0'.repeat(64));
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(events[2]!.prevHash).toBe(events[1]!.hash);
    expect(audit.verify()).toEqual({ intact: true, events: 3 });
  });

  it('refuses updates and deletes through SQL while the guard triggers stand', () => {
    const db = openDatabase(':memory:');
    const audit = createSqliteAuditLog(db);
    audit.record(
      { action: 'x', actor: null, role: null, institution: null, target: null, purpose: null, details: {} },
      at,
    );
    expect(() => db.exec("UPDATE audit_events SET action = 'y'")).toThrow(/append-only/);
    expect(() => db.exec('DELETE FROM audit_events')).toThrow(/append-only/);
  });

  it('detects an edited event', () => {
    const { db, audit } = logWithEvents(5);
    db.prepare("UPDATE audit_events SET purpose = '其他' WHERE seq = 3").run();
    expect(audit.verify()).toEqual({ intact: false, events: 3, firstBrokenAt: 3 });
  });

  it('detects a deleted event', () => {
    const { db, audit } = logWithEvents(5);
    db.prepare('DELETE FROM audit_events WHERE seq = 2').run();
    expect(audit.verify()).toEqual({ intact: false, events: 2, firstBrokenAt: 2 });
  });

  it('detects reordered events even when their sequence numbers are swapped back', () => {
    const { db, audit } = logWithEvents(5);
    db.exec(`UPDATE audit_events SET seq = 100 WHERE seq = 2;
             UPDATE audit_events SET seq = 2 WHERE seq = 4;
             UPDATE audit_events SET seq = 4 WHERE seq = 100;`);
    expect(audit.verify()).toEqual({ intact: false, events: 2, firstBrokenAt: 2 });
  });

  it('detects an event re-hashed on its own, because the next event still links to the old hash', () => {
    const { db, audit } = logWithEvents(4);
    const row = db.prepare('SELECT * FROM audit_events WHERE seq = 2').get() as Parameters<typeof chainHash>[1] & {
      prev_hash: string;
    };
    const forged = { ...row, actor: 'someone-else' };
    db.prepare('UPDATE audit_events SET actor = ?, hash = ? WHERE seq = 2').run(
      forged.actor,
      chainHash(row.prev_hash, forged),
    );
    expect(audit.verify()).toEqual({ intact: false, events: 3, firstBrokenAt: 3 });
  });

  it('cannot tell a log cut back at its newest events without an anchor, and can with one', () => {
    const { db, audit } = logWithEvents(5);
    const anchor = audit.head();
    expect(anchor.seq).toBe(5);
    expect(audit.verify(anchor)).toEqual({ intact: true, events: 5 });
    db.prepare('DELETE FROM audit_events WHERE seq >= 4').run();
    expect(audit.verify()).toEqual({ intact: true, events: 3 });
    expect(audit.verify(anchor)).toEqual({ intact: false, events: 3, firstBrokenAt: 4, failedAnchorSeq: 5 });
  });

  it('refuses an anchor whose event was rewritten along with the whole chain after it', () => {
    const { audit } = logWithEvents(3);
    expect(audit.verify({ seq: 2, hash: 'f'.repeat(64) })).toEqual({
      intact: false,
      events: 2,
      firstBrokenAt: 2,
      failedAnchorSeq: 2,
    });
  });
});
