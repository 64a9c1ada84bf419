import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { baseDelayMs, nextAttemptAt, RETRY_WINDOW_MS } from '../../../src/adapters/webhooks/retry-schedule.ts';
import { newWebhookSecret, signatureHeader } from '../../../src/adapters/webhooks/standard-webhooks.ts';
import { divisionCovers } from '../../../src/domain/events/birth-event.ts';

describe('the retry schedule', () => {
  it('waits 5 s, then ×3 per attempt, capped at 6 hours', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 20].map(baseDelayMs)).toEqual([
      5_000, 15_000, 45_000, 135_000, 405_000, 1_215_000, 3_645_000, 10_935_000, 21_600_000, 21_600_000,
    ]);
  });

  it('jitters each delay by ±20 %', () => {
    expect(nextAttemptAt(1, 0, 1_000, () => 0)).toBe(1_000 + 4_000);
    expect(nextAttemptAt(1, 0, 1_000, () => 1)).toBe(1_000 + 6_000);
  });

  it('makes the last attempt at the end of the 3-day window, then dead-letters', () => {
    const start = 1_000_000;
    expect(nextAttemptAt(12, start, start + RETRY_WINDOW_MS - 60_000, () => 0.5)).toBe(start + RETRY_WINDOW_MS);
    expect(nextAttemptAt(13, start, start + RETRY_WINDOW_MS, () => 0.5)).toBeNull();
  });
});

describe('Standard Webhooks signatures', () => {
  it('match what the standardwebhooks package computes, one per secret', () => {
    const secrets = [newWebhookSecret(), newWebhookSecret()];
    const at = new Date('2026-11-20T08:31:00Z');
    const header = signatureHeader(secrets, 'evt_1', at.getTime() / 1000, '{"a":1}');
    expect(header.split(' ')).toEqual(secrets.map((s) => new Webhook(s).sign('evt_1', at, '{"a":1}')));
  });

  it('use secrets of whsec_ and 32 random bytes in base64', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
  });
});

describe('division scopes', () => {
  it('let a province cover its cities and counties, a city its counties, a county itself', () => {
    expect(divisionCovers('440000', '440106')).toBe(true);
    expect(divisionCovers('440100', '440106')).toBe(true);
    expect(divisionCovers('440100', '440306')).toBe(false);
    expect(divisionCovers('440106', '440106')).toBe(true);
    expect(divisionCovers('440106', '440105')).toBe(false);
    expect(divisionCovers('110000', '440106')).toBe(false);
  });
});
