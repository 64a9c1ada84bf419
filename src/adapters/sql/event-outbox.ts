import { type BirthEvent, divisionCovers, type EventOutbox } from '../../domain/events/birth-event.ts';
import type { Sql } from './sql.ts';

/**
 * The outbox in the service database. `append` runs inside the caller's transaction: the event
 * and one delivery per matching subscription land with the change, or not at all. `committed`
 * is called once the synchronous transaction has ended (committed, or rolled back, in which case
 * the dispatcher simply finds nothing new).
 */
export function createSqlEventOutbox(
  sql: Sql,
  options: { newId(prefix: string): string; committed(): void },
): EventOutbox {
  const { db } = sql;
  const subscriptions = () =>
    sql.all(db.selectFrom('subscriptions').select(['id', 'event_types', 'divisions']).where('deleted_at', 'is', null));
  let wakeScheduled = false;
  return {
    append(birthEvent) {
      const { orderingKey } = birthEvent;
      const id = options.newId('evt_');
      // `id` near the top, where a reader looks for it; it is also the webhook-id of every delivery.
      const { specversion, ...rest } = birthEvent.event;
      const event = { specversion, id, ...rest };
      const at = Date.parse(event.time);
      const subscribers = subscriptions().filter((row) => {
        if (!(JSON.parse(row.event_types) as string[]).includes(event.type)) return false;
        const divisions = row.divisions === null ? null : (JSON.parse(row.divisions) as string[]);
        return !divisions || divisions.some((d) => divisionCovers(d, event.divisioncode));
      });
      const insert = db.insertInto('events').values({
        id: event.id,
        type: event.type,
        ordering_key: orderingKey,
        division_code: event.divisioncode,
        body: JSON.stringify(event),
        occurred_at: event.time,
      });
      // With no delivery to make, the insert travels with the unit of work's next statement.
      if (subscribers.length === 0) sql.write(insert);
      else {
        const { seq } = sql.get(insert.returning('seq'))!;
        for (const row of subscribers) {
          sql.write(
            db.insertInto('webhook_deliveries').values({
              id: options.newId('dlv_'),
              subscription_id: row.id,
              event_seq: seq,
              ordering_key: orderingKey,
              status: 'pending',
              window_started_at: at,
              next_attempt_at: at,
            }),
          );
        }
      }
      if (!wakeScheduled) {
        wakeScheduled = true;
        // Transactions are synchronous on either engine: by the next turn of the loop this one has ended.
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
