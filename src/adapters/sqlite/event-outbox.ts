import { type BirthEvent, divisionCovers, type EventOutbox } from '../../domain/events/birth-event.ts';
import type { SqliteDatabase } from './database.ts';

interface SubscriptionRow {
  id: string;
  event_types: string;
  divisions: string | null;
}

/**
 * The outbox in the service database. `append` runs inside the caller's transaction: the event
 * and one delivery per matching subscription land with the change, or not at all. `committed`
 * is called once the synchronous transaction has ended (committed, or rolled back, in which case
 * the dispatcher simply finds nothing new).
 */
export function createSqliteEventOutbox(
  db: SqliteDatabase,
  options: { newId(prefix: string): string; committed(): void },
): EventOutbox {
  const insertEvent = db.prepare<[string, string, string, string, string, string]>(
    `INSERT INTO events (id, type, ordering_key, division_code, body, occurred_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const subscriptions = db.prepare<[], SubscriptionRow>(
    'SELECT id, event_types, divisions FROM subscriptions WHERE deleted_at IS NULL',
  );
  const insertDelivery = db.prepare<[string, string, number | bigint, string, number, number]>(
    `INSERT INTO webhook_deliveries (id, subscription_id, event_seq, ordering_key, status, window_started_at, next_attempt_at)
     VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
  );
  let wakeScheduled = false;
  return {
    append(birthEvent) {
      const { orderingKey } = birthEvent;
      const id = options.newId('evt_');
      // `id` near the top, where a reader looks for it; it is also the webhook-id of every delivery.
      const { specversion, ...rest } = birthEvent.event;
      const event = { specversion, id, ...rest };
      const { lastInsertRowid: seq } = insertEvent.run(
        event.id,
        event.type,
        orderingKey,
        event.divisioncode,
        JSON.stringify(event),
        event.time,
      );
      const at = Date.parse(event.time);
      for (const row of subscriptions.all()) {
        if (!(JSON.parse(row.event_types) as string[]).includes(event.type)) continue;
        const divisions = row.divisions === null ? null : (JSON.parse(row.divisions) as string[]);
        if (divisions && !divisions.some((d) => divisionCovers(d, event.divisioncode))) continue;
        insertDelivery.run(options.newId('dlv_'), row.id, seq, orderingKey, at, at);
      }
      if (!wakeScheduled) {
        wakeScheduled = true;
        // better-sqlite3 transactions are synchronous: by the next turn of the loop this one has ended.
        setImmediate(() => {
          wakeScheduled = false;
          options.committed();
        });
      }
      return id;
    },
  };
}

export type { BirthEvent };
