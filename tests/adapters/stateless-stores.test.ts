import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqlConsoleSessionStore, createSqlSharedSecrets } from '../../src/adapters/sql/console-session-store.ts';
import { createSqlRateLimitCounter } from '../../src/adapters/sql/rate-limit-store.ts';
import type { Sql } from '../../src/adapters/sql/sql.ts';
import { testEngine } from '../storage-kit.ts';
import { sharedTestDatabase } from './shared-test-database.ts';

/** Two connections to one database: what two service nodes on one database hold. */
let database: Awaited<ReturnType<typeof sharedTestDatabase>>;
let a: Sql;
let b: Sql;
beforeEach(async () => {
  database = await sharedTestDatabase();
  a = database.connect();
  b = database.connect();
});
afterEach(() => database.remove());

const now = () => new Date('2026-06-01T08:00:00Z');
const bytes = (fill: number) => () => new Uint8Array(32).fill(fill);

describe(`shared secrets on ${testEngine}`, () => {
  it('are made once by the first connection to ask, and read back the same by every other', () => {
    const first = createSqlSharedSecrets(a, now).secret('console-csrf', bytes(1));
    expect(first).toEqual(new Uint8Array(32).fill(1));
    expect(createSqlSharedSecrets(b, now).secret('console-csrf', bytes(2))).toEqual(first);
    expect(createSqlSharedSecrets(b, now).secret('other', bytes(3))).toEqual(new Uint8Array(32).fill(3));
    expect(b.all(b.db.selectFrom('service_secrets').select(['name', 'created_at']).orderBy('name'))).toEqual([
      { name: 'console-csrf', created_at: '2026-06-01T08:00:00.000Z' },
      { name: 'other', created_at: '2026-06-01T08:00:00.000Z' },
    ]);
  });
});

describe(`console session idle clocks on ${testEngine}`, () => {
  it('are seen by every connection, never move back, and are forgotten and swept', () => {
    const onA = createSqlConsoleSessionStore(a);
    const onB = createSqlConsoleSessionStore(b);
    onA.touch('h1', 1_000);
    onA.touch('h2', 5_000);
    expect(onB.lastSeen('h1')).toBe(1_000);
    onB.touch('h1', 61_000);
    onA.touch('h1', 30_000);
    expect(onA.lastSeen('h1')).toBe(61_000);
    onA.touch('h1', 61_001);
    expect(onB.lastSeen('h1')).toBe(61_001);
    onB.forget('h1');
    expect(onA.lastSeen('h1')).toBeNull();
    onA.touch('h3', 9_000);
    expect(onB.sweep(6_000)).toBe(1);
    expect([onA.lastSeen('h2'), onA.lastSeen('h3')]).toEqual([null, 9_000]);
  });

  it('keep times past 2^31 ms exactly (a BIGINT on PostgreSQL)', () => {
    const store = createSqlConsoleSessionStore(a);
    store.touch('h', Date.parse('2026-06-01T08:00:00.123Z'));
    expect(createSqlConsoleSessionStore(b).lastSeen('h')).toBe(Date.parse('2026-06-01T08:00:00.123Z'));
  });
});

describe(`rate-limit counters on ${testEngine}`, () => {
  const counters = () => {
    const secretsA = createSqlSharedSecrets(a, now);
    const secretsB = createSqlSharedSecrets(b, now);
    return [createSqlRateLimitCounter(a, secretsA, bytes(7)), createSqlRateLimitCounter(b, secretsB, bytes(8))];
  };

  it('count the hits of every connection in one fixed window, then start a new one', () => {
    const [onA, onB] = counters();
    const t0 = 1_000_000;
    expect(onA!.hit('api:x:203.0.113.9', 60_000, t0)).toEqual({ hits: 1, resetAtMs: t0 + 60_000 });
    expect(onB!.hit('api:x:203.0.113.9', 60_000, t0 + 10)).toEqual({ hits: 2, resetAtMs: t0 + 60_000 });
    expect(onA!.hit('api:x:203.0.113.9', 60_000, t0 + 59_999)).toEqual({ hits: 3, resetAtMs: t0 + 60_000 });
    expect(onB!.hit('api:x:198.51.100.1', 60_000, t0 + 20)).toEqual({ hits: 1, resetAtMs: t0 + 60_020 });
    expect(onB!.hit('api:x:203.0.113.9', 60_000, t0 + 60_000)).toEqual({ hits: 1, resetAtMs: t0 + 120_000 });
    expect(onA!.hit('api:x:203.0.113.9', 60_000, t0 + 60_001)).toEqual({ hits: 2, resetAtMs: t0 + 120_000 });
  });

  it('take a hit back and reset a key', () => {
    const [onA, onB] = counters();
    onA!.hit('k', 60_000, 0);
    onA!.hit('k', 60_000, 1);
    onB!.undo('k');
    expect(onA!.hit('k', 60_000, 2).hits).toBe(2);
    onB!.undo('k');
    onB!.undo('k');
    onB!.undo('k');
    expect(onA!.hit('k', 60_000, 3).hits).toBe(1);
    onB!.reset('k');
    expect(onA!.hit('k', 60_000, 3)).toEqual({ hits: 1, resetAtMs: 60_003 });
  });

  it('keep no client address or username, only an HMAC of the key', () => {
    const [onA] = counters();
    onA!.hit('api:/api/v1/auth/token:username:demo-issuer-gz:203.0.113.9', 60_000, 0);
    const rows = b.all(b.db.selectFrom('rate_limit_hits').selectAll());
    expect(JSON.stringify(rows)).not.toMatch(/203\.0\.113|demo-issuer|auth/);
    expect(rows.map((row) => row.key)).toEqual([expect.stringMatching(/^[A-Za-z0-9_-]{43}$/)]);
  });

  it('delete finished windows as they go', () => {
    const [onA] = counters();
    onA!.hit('old', 60_000, 0);
    onA!.hit('new', 60_000, 200_000);
    expect(a.all(a.db.selectFrom('rate_limit_hits').select('hits'))).toEqual([{ hits: 1 }]);
  });
});
