import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSqliteConsoleSessionStore,
  createSqliteSharedSecrets,
} from '../../src/adapters/sqlite/console-session-store.ts';
import { openDatabase, type SqliteDatabase } from '../../src/adapters/sqlite/database.ts';
import { createSqliteRateLimitCounter } from '../../src/adapters/sqlite/rate-limit-store.ts';

/** Two connections to one database file: what two service processes on one database hold. */
let directory: string;
let a: SqliteDatabase;
let b: SqliteDatabase;
beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'bc-stateless-'));
  a = openDatabase(path.join(directory, 'service.sqlite'));
  b = openDatabase(path.join(directory, 'service.sqlite'));
});
afterEach(() => {
  a.close();
  b.close();
  rmSync(directory, { recursive: true, force: true });
});

const now = () => new Date('2026-06-01T08:00:00Z');
const bytes = (fill: number) => () => new Uint8Array(32).fill(fill);

describe('shared secrets', () => {
  it('are made once by the first connection to ask, and read back the same by every other', () => {
    const first = createSqliteSharedSecrets(a, now).secret('console-csrf', bytes(1));
    expect(first).toEqual(new Uint8Array(32).fill(1));
    expect(createSqliteSharedSecrets(b, now).secret('console-csrf', bytes(2))).toEqual(first);
    expect(createSqliteSharedSecrets(b, now).secret('other', bytes(3))).toEqual(new Uint8Array(32).fill(3));
    expect(b.prepare('SELECT name, created_at FROM service_secrets ORDER BY name').all()).toEqual([
      { name: 'console-csrf', created_at: '2026-06-01T08:00:00.000Z' },
      { name: 'other', created_at: '2026-06-01T08:00:00.000Z' },
    ]);
  });
});

describe('console session idle clocks', () => {
  it('are seen by every connection, never move back, and are forgotten and swept', () => {
    const onA = createSqliteConsoleSessionStore(a);
    const onB = createSqliteConsoleSessionStore(b);
    onA.touch('h1', 1_000);
    onA.touch('h2', 5_000);
    expect(onB.lastSeen('h1')).toBe(1_000);
    onB.touch('h1', 61_000);
    onA.touch('h1', 30_000);
    expect(onA.lastSeen('h1')).toBe(61_000);
    onB.forget('h1');
    expect(onA.lastSeen('h1')).toBeNull();
    onA.touch('h3', 9_000);
    expect(onB.sweep(6_000)).toBe(1);
    expect([onA.lastSeen('h2'), onA.lastSeen('h3')]).toEqual([null, 9_000]);
  });
});

describe('rate-limit counters', () => {
  const counters = () => {
    const secretsA = createSqliteSharedSecrets(a, now);
    const secretsB = createSqliteSharedSecrets(b, now);
    return [createSqliteRateLimitCounter(a, secretsA, bytes(7)), createSqliteRateLimitCounter(b, secretsB, bytes(8))];
  };

  it('count the hits of every connection in one fixed window, then start a new one', () => {
    const [onA, onB] = counters();
    const t0 = 1_000_000;
    expect(onA!.hit('api:x:203.0.113.9', 60_000, t0)).toEqual({ hits: 1, resetAtMs: t0 + 60_000 });
    expect(onB!.hit('api:x:203.0.113.9', 60_000, t0 + 10)).toEqual({ hits: 2, resetAtMs: t0 + 60_000 });
    expect(onA!.hit('api:x:203.0.113.9', 60_000, t0 + 59_999)).toEqual({ hits: 3, resetAtMs: t0 + 60_000 });
    expect(onB!.hit('api:x:198.51.100.1', 60_000, t0 + 20)).toEqual({ hits: 1, resetAtMs: t0 + 60_020 });
    expect(onB!.hit('api:x:203.0.113.9', 60_000, t0 + 60_000)).toEqual({ hits: 1, resetAtMs: t0 + 120_000 });
  });

  it('take a hit back and reset a key', () => {
    const [onA, onB] = counters();
    onA!.hit('k', 60_000, 0);
    onA!.hit('k', 60_000, 1);
    onB!.undo('k');
    expect(onA!.hit('k', 60_000, 2).hits).toBe(2);
    onB!.reset('k');
    expect(onA!.hit('k', 60_000, 3)).toEqual({ hits: 1, resetAtMs: 60_003 });
  });

  it('keep no client address or username, only an HMAC of the key', () => {
    const [onA] = counters();
    onA!.hit('api:/api/v1/auth/token:username:demo-issuer-gz:203.0.113.9', 60_000, 0);
    const rows = JSON.stringify(b.prepare('SELECT * FROM rate_limit_hits').all());
    expect(rows).not.toMatch(/203\.0\.113|demo-issuer|auth/);
    expect(b.prepare('SELECT key FROM rate_limit_hits').pluck().get()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('delete finished windows as they go', () => {
    const [onA] = counters();
    onA!.hit('old', 60_000, 0);
    onA!.hit('new', 60_000, 200_000);
    expect(a.prepare('SELECT count(*) FROM rate_limit_hits').pluck().get()).toBe(1);
  });
});
