import type { EventType } from '../../domain/events/birth-event.ts';
import type {
  DeliveryStatus,
  DeliveryView,
  Subscription,
  SubscriptionStore,
} from '../../domain/events/subscriptions.ts';
import type { SqliteDatabase } from './database.ts';

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

const subscriptionColumns =
  'id, url, description, event_types, divisions, created_by, created_at, previous_valid_until';
const deliveryColumns = `d.id, e.id AS event_id, e.type, e.body, d.status, d.attempts, d.next_attempt_at,
  d.last_attempt_at, d.last_status, d.last_error, d.delivered_at`;

export function createSqliteSubscriptionStore(db: SqliteDatabase): SubscriptionStore {
  const insert = db.prepare(
    `INSERT INTO subscriptions (id, url, description, event_types, divisions, secret, created_by, created_at)
     VALUES (@id, @url, @description, @eventTypes, @divisions, @secret, @createdBy, @createdAt)`,
  );
  const find = db.prepare<[string], SubscriptionRow>(
    `SELECT ${subscriptionColumns} FROM subscriptions WHERE id = ? AND deleted_at IS NULL`,
  );
  const list = db.prepare<[], SubscriptionRow>(
    `SELECT ${subscriptionColumns} FROM subscriptions WHERE deleted_at IS NULL ORDER BY created_at, id`,
  );
  const remove = db.prepare<[string, string]>('UPDATE subscriptions SET deleted_at = ? WHERE id = ?');
  const abandon = db.prepare<[string]>(
    `UPDATE webhook_deliveries SET status = 'dead', last_error = 'subscription removed'
      WHERE subscription_id = ? AND status = 'pending'`,
  );
  const rotate = db.prepare<[string, number, string]>(
    `UPDATE subscriptions SET previous_secret = secret, secret = ?, previous_valid_until = ? WHERE id = ?`,
  );
  const deliveries = db.prepare<{ id: string; status: string | null; limit: number }, DeliveryRow>(
    `SELECT ${deliveryColumns} FROM webhook_deliveries d JOIN events e ON e.seq = d.event_seq
      WHERE d.subscription_id = @id AND (@status IS NULL OR d.status = @status) ORDER BY d.event_seq DESC LIMIT @limit`,
  );
  const findDelivery = db.prepare<[string, string], DeliveryRow>(
    `SELECT ${deliveryColumns} FROM webhook_deliveries d JOIN events e ON e.seq = d.event_seq
      WHERE d.subscription_id = ? AND d.id = ?`,
  );
  const replay = db.prepare<{ at: number; id: string }>(
    `UPDATE webhook_deliveries SET status = 'pending', window_started_at = @at, next_attempt_at = @at, delivered_at = NULL
      WHERE id = @id`,
  );
  return {
    insert(subscription, secret) {
      insert.run({
        ...subscription,
        eventTypes: JSON.stringify(subscription.eventTypes),
        divisions: subscription.divisions === null ? null : JSON.stringify(subscription.divisions),
        secret,
      });
    },
    find: (id) => {
      const row = find.get(id);
      return row ? subscriptionOf(row) : null;
    },
    list: () => list.all().map(subscriptionOf),
    remove(id, at) {
      db.transaction(() => {
        remove.run(at.toISOString(), id);
        abandon.run(id);
      })();
    },
    rotateSecret(id, secret, previousValidUntil) {
      rotate.run(secret, previousValidUntil.getTime(), id);
    },
    deliveries: (id, filter) =>
      deliveries.all({ id, status: filter.status ?? null, limit: filter.limit }).map(deliveryOf),
    findDelivery: (id, deliveryId) => {
      const row = findDelivery.get(id, deliveryId);
      return row ? deliveryOf(row) : null;
    },
    replay(deliveryId, at) {
      replay.run({ at: at.getTime(), id: deliveryId });
    },
  };
}
