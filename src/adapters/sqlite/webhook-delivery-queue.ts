import type { SqliteDatabase } from './database.ts';

/** A delivery the dispatcher may attempt now: the first pending one of its birth for its endpoint. */
export interface DueDelivery {
  id: string;
  orderingKey: string;
  eventId: string;
  /** The CloudEvent JSON exactly as stored: the signed body. */
  body: string;
  attempts: number;
  windowStartedAt: number;
}

export interface Endpoint {
  id: string;
  url: string;
  /** Every secret that signs now: the current one, and the previous one while a rotation overlaps. */
  secrets: string[];
}

export interface AttemptOutcome {
  at: number;
  status: number | null;
  error: string | null;
}

/** What the dispatcher reads and writes of the deliveries (times in ms since the epoch). */
export interface WebhookDeliveryQueue {
  /** Endpoints with at least one delivery due at `now`. */
  endpointsDue(now: number): Endpoint[];
  /** Up to `limit` due heads of the endpoint's per-birth queues, oldest event first. */
  dueHeads(subscriptionId: string, now: number, limit: number): DueDelivery[];
  /**
   * Claims a due delivery for one attempt until `until`: false when another node (or process)
   * claimed it first. Several nodes poll one queue; the claim keeps them from sending it twice,
   * and lapses if the claiming node dies, so another node then retries it.
   */
  claim(id: string, now: number, until: number): boolean;
  /** Gives up a claim (the node stops before the attempt ended): due again at `now`. */
  release(id: string, now: number): void;
  delivered(id: string, outcome: AttemptOutcome): void;
  /** A failed attempt: retried at `nextAttemptAt`, or dead-lettered when that is null. */
  failed(id: string, outcome: AttemptOutcome, nextAttemptAt: number | null): void;
}

export function createSqliteWebhookDeliveryQueue(db: SqliteDatabase): WebhookDeliveryQueue {
  const endpointsDue = db.prepare<
    { now: number },
    { id: string; url: string; secret: string; previous_secret: string | null; previous_valid_until: number | null }
  >(
    `SELECT s.id, s.url, s.secret, s.previous_secret, s.previous_valid_until FROM subscriptions s
      WHERE s.deleted_at IS NULL AND s.id IN (
        SELECT DISTINCT subscription_id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= @now)`,
  );
  const heads = db.prepare<
    { sub: string; now: number; limit: number },
    {
      id: string;
      ordering_key: string;
      event_id: string;
      body: string;
      attempts: number;
      window_started_at: number;
    }
  >(
    `SELECT d.id, d.ordering_key, e.id AS event_id, e.body, d.attempts, d.window_started_at
       FROM webhook_deliveries d JOIN events e ON e.seq = d.event_seq
      WHERE d.subscription_id = @sub AND d.status = 'pending' AND d.next_attempt_at <= @now
        AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p
                         WHERE p.subscription_id = d.subscription_id AND p.ordering_key = d.ordering_key
                           AND p.status = 'pending' AND p.event_seq < d.event_seq)
      ORDER BY d.event_seq LIMIT @limit`,
  );
  // The claim moves the delivery's next attempt past the attempt's time-out: while claimed it is
  // due nowhere, and its birth's later events keep waiting behind it (it is still pending).
  const claim = db.prepare<{ id: string; now: number; until: number }>(
    `UPDATE webhook_deliveries SET next_attempt_at = @until
      WHERE id = @id AND status = 'pending' AND next_attempt_at <= @now`,
  );
  const release = db.prepare<{ id: string; now: number }>(
    `UPDATE webhook_deliveries SET next_attempt_at = @now WHERE id = @id AND status = 'pending'`,
  );
  const delivered = db.prepare<{ id: string; at: number; status: number | null }>(
    `UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_attempt_at = @at,
        last_status = @status, last_error = NULL, delivered_at = @at
      WHERE id = @id AND status = 'pending'`,
  );
  const failed = db.prepare<{
    id: string;
    at: number;
    status: number | null;
    error: string | null;
    next: number | null;
  }>(
    `UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = @at, last_status = @status,
        last_error = @error, status = CASE WHEN @next IS NULL THEN 'dead' ELSE 'pending' END,
        next_attempt_at = coalesce(@next, next_attempt_at)
      WHERE id = @id AND status = 'pending'`,
  );
  return {
    claim: (id, now, until) => claim.run({ id, now, until }).changes === 1,
    release(id, now) {
      release.run({ id, now });
    },
    endpointsDue: (now) =>
      endpointsDue.all({ now }).map((row) => ({
        id: row.id,
        url: row.url,
        secrets:
          row.previous_secret !== null && row.previous_valid_until !== null && row.previous_valid_until > now
            ? [row.secret, row.previous_secret]
            : [row.secret],
      })),
    dueHeads: (sub, now, limit) =>
      heads.all({ sub, now, limit }).map((row) => ({
        id: row.id,
        orderingKey: row.ordering_key,
        eventId: row.event_id,
        body: row.body,
        attempts: row.attempts,
        windowStartedAt: row.window_started_at,
      })),
    delivered(id, outcome) {
      delivered.run({ id, at: outcome.at, status: outcome.status });
    },
    failed(id, outcome, next) {
      failed.run({ id, at: outcome.at, status: outcome.status, error: outcome.error, next });
    },
  };
}
