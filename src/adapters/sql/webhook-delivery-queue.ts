import type { ExpressionBuilder } from 'kysely';
import type { DB } from './schema.generated.ts';
import type { Sql } from './sql.ts';

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

/**
 * The deliveries over `webhook_deliveries`, polled by every node. A claim is one UPDATE whose
 * WHERE still requires the delivery to be due, checked by the rows it changed: on SQLite the one
 * writer runs the UPDATEs one after another; on PostgreSQL the second of two concurrent UPDATEs
 * of the row waits for the first to commit and then re-checks the WHERE against the row the
 * first wrote (READ COMMITTED), finds it no longer due and changes nothing. So one delivery is
 * claimed by exactly one node, without the writers' lock. The claim is a lease by the nodes'
 * clocks: it holds as long as they differ by less than the claim's margin over the attempt.
 */
export function createSqlWebhookDeliveryQueue(sql: Sql): WebhookDeliveryQueue {
  const { db } = sql;
  const pending = db.updateTable('webhook_deliveries').where('status', '=', 'pending');
  return {
    // The claim moves the delivery's next attempt past the attempt's time-out: while claimed it is
    // due nowhere, and its birth's later events keep waiting behind it (it is still pending).
    claim: (id, now, until) =>
      sql.run(pending.set({ next_attempt_at: until }).where('id', '=', id).where('next_attempt_at', '<=', now)) === 1,
    release(id, now) {
      sql.run(pending.set({ next_attempt_at: now }).where('id', '=', id));
    },
    endpointsDue: (now) =>
      sql
        .all(
          db
            .selectFrom('subscriptions')
            .select(['id', 'url', 'secret', 'previous_secret', 'previous_valid_until'])
            .where('deleted_at', 'is', null)
            .where('id', 'in', (eb) =>
              eb
                .selectFrom('webhook_deliveries')
                .select('subscription_id')
                .distinct()
                .where('status', '=', 'pending')
                .where('next_attempt_at', '<=', now),
            ),
        )
        .map((row) => ({
          id: row.id,
          url: row.url,
          secrets:
            row.previous_secret !== null && row.previous_valid_until !== null && row.previous_valid_until > now
              ? [row.secret, row.previous_secret]
              : [row.secret],
        })),
    dueHeads: (sub, now, limit) =>
      sql
        .all(
          db
            .selectFrom('webhook_deliveries as d')
            .innerJoin('events as e', 'e.seq', 'd.event_seq')
            .select(['d.id', 'd.ordering_key', 'e.id as event_id', 'e.body', 'd.attempts', 'd.window_started_at'])
            .where('d.subscription_id', '=', sub)
            .where('d.status', '=', 'pending')
            .where('d.next_attempt_at', '<=', now)
            // The head of its birth's queue: no earlier event of the birth still pending.
            .where(({ not, exists, selectFrom }) =>
              not(
                exists(
                  selectFrom('webhook_deliveries as p')
                    .select((eb) => eb.lit(1).as('one'))
                    .whereRef('p.subscription_id', '=', 'd.subscription_id')
                    .whereRef('p.ordering_key', '=', 'd.ordering_key')
                    .where('p.status', '=', 'pending')
                    .whereRef('p.event_seq', '<', 'd.event_seq'),
                ),
              ),
            )
            .orderBy('d.event_seq')
            .limit(limit),
        )
        .map((row) => ({
          id: row.id,
          orderingKey: row.ordering_key,
          eventId: row.event_id,
          body: row.body,
          attempts: row.attempts,
          windowStartedAt: row.window_started_at,
        })),
    delivered(id, outcome) {
      sql.run(
        pending
          .set({
            status: 'delivered',
            attempts: (eb) => eb('attempts', '+', 1),
            last_attempt_at: outcome.at,
            last_status: outcome.status,
            last_error: null,
            delivered_at: outcome.at,
          })
          .where('id', '=', id),
      );
    },
    failed(id, outcome, next) {
      // Two statements' texts rather than `CASE WHEN $n IS NULL`, which PostgreSQL cannot type.
      const attempt = {
        attempts: (eb: ExpressionBuilder<DB, 'webhook_deliveries'>) => eb('attempts', '+', 1),
        last_attempt_at: outcome.at,
        last_status: outcome.status,
        last_error: outcome.error,
      };
      const outcomeOf = next === null ? { status: 'dead' } : { next_attempt_at: next };
      sql.run(pending.set({ ...attempt, ...outcomeOf }).where('id', '=', id));
    },
  };
}
