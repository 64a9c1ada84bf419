import type { EventType } from '../../domain/events/birth-event.ts';
import type {
  DeliveryStatus,
  DeliveryView,
  Subscription,
  SubscriptionStore,
} from '../../domain/events/subscriptions.ts';
import type { Sql } from './sql.ts';

interface SubscriptionRow {
  id: string;
  url: string;
  description: string | null;
  event_types: string;
  divisions: string | null;
  created_by: string;
  created_at: string;
  previous_valid_until: number | null;
}

interface DeliveryRow {
  id: string;
  event_id: string;
  type: string;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  last_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: number | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const subscriptionOf = (row: SubscriptionRow): Subscription => ({
  id: row.id,
  url: row.url,
  description: row.description,
  eventTypes: JSON.parse(row.event_types) as EventType[],
  divisions: row.divisions === null ? null : (JSON.parse(row.divisions) as string[]),
  createdAt: row.created_at,
  createdBy: row.created_by,
  previousSecretValidUntil: iso(row.previous_valid_until),
});

const deliveryOf = (row: DeliveryRow): DeliveryView => ({
  id: row.id,
  eventId: row.event_id,
  eventType: row.type,
  subject: (JSON.parse(row.body) as { subject: string }).subject,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
  lastAttemptAt: iso(row.last_attempt_at),
  lastStatus: row.last_status,
  lastError: row.last_error,
  deliveredAt: iso(row.delivered_at),
});

const subscriptionColumns = [
  'id',
  'url',
  'description',
  'event_types',
  'divisions',
  'created_by',
  'created_at',
  'previous_valid_until',
] as const;

export function createSqlSubscriptionStore(sql: Sql): SubscriptionStore {
  const { db } = sql;
  const live = db.selectFrom('subscriptions').select(subscriptionColumns).where('deleted_at', 'is', null);
  const deliveriesOf = (subscriptionId: string) =>
    db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('events as e', 'e.seq', 'd.event_seq')
      .select([
        'd.id',
        'e.id as event_id',
        'e.type',
        'e.body',
        'd.status',
        'd.attempts',
        'd.next_attempt_at',
        'd.last_attempt_at',
        'd.last_status',
        'd.last_error',
        'd.delivered_at',
      ])
      .where('d.subscription_id', '=', subscriptionId);
  return {
    insert(subscription, secret) {
      sql.run(
        db.insertInto('subscriptions').values({
          id: subscription.id,
          url: subscription.url,
          description: subscription.description,
          event_types: JSON.stringify(subscription.eventTypes),
          divisions: subscription.divisions === null ? null : JSON.stringify(subscription.divisions),
          secret,
          created_by: subscription.createdBy,
          created_at: subscription.createdAt,
        }),
      );
    },
    find: (id) => {
      const row = sql.get(live.where('id', '=', id));
      return row ? subscriptionOf(row) : null;
    },
    list: () => sql.all(live.orderBy('created_at').orderBy('id')).map(subscriptionOf),
    remove(id, at) {
      sql.transaction(() => {
        sql.run(db.updateTable('subscriptions').set({ deleted_at: at.toISOString() }).where('id', '=', id));
        sql.run(
          db
            .updateTable('webhook_deliveries')
            .set({ status: 'dead', last_error: 'subscription removed' })
            .where('subscription_id', '=', id)
            .where('status', '=', 'pending'),
        );
      });
    },
    rotateSecret(id, secret, previousValidUntil) {
      sql.run(
        db
          .updateTable('subscriptions')
          .set((eb) => ({
            previous_secret: eb.ref('secret'),
            secret,
            previous_valid_until: previousValidUntil.getTime(),
          }))
          .where('id', '=', id),
      );
    },
    deliveries(id, filter) {
      // Two statements' texts rather than `$n IS NULL OR …`, whose parameter PostgreSQL cannot type.
      let query = deliveriesOf(id);
      if (filter.status) query = query.where('d.status', '=', filter.status);
      return sql.all<DeliveryRow>(query.orderBy('d.event_seq', 'desc').limit(filter.limit)).map(deliveryOf);
    },
    findDelivery: (id, deliveryId) => {
      const row = sql.get<DeliveryRow>(deliveriesOf(id).where('d.id', '=', deliveryId));
      return row ? deliveryOf(row) : null;
    },
    replay(deliveryId, at) {
      sql.run(
        db
          .updateTable('webhook_deliveries')
          .set({
            status: 'pending',
            window_started_at: at.getTime(),
            next_attempt_at: at.getTime(),
            delivered_at: null,
          })
          .where('id', '=', deliveryId),
      );
    },
  };
}
