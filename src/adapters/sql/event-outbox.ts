import { type BirthEvent, divisionCovers, type EventOutbox } from '../../domain/events/birth-event.ts';
import { compileOnce } from './compile-once.ts';
import type { Sql } from './sql.ts';

type EventRow = {
  id: string;
  type: string;
  ordering_key: string;
  division_code: string;
  body: string;
  occurred_at: string;
};

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
  // An append comes with every issue, amendment and void (and every back-issued record): its
  // insert is built and compiled once.
  const eventInsert = (value: <K extends keyof EventRow & string>(name: K) => EventRow[K]) =>
    db.insertInto('events').values({
      id: value('id'),
      type: value('type'),
      ordering_key: value('ordering_key'),
      division_code: value('division_code'),
      body: value('body'),
      occurred_at: value('occurred_at'),
    });
  const insertEvent = compileOnce<EventRow, unknown>(sql, eventInsert);
  const insertEventForSeq = compileOnce<EventRow, { seq: number }>(sql, (value) => eventInsert(value).returning('seq'));
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
      const row: EventRow = {
        id: event.id,
        type: event.type,
        ordering_key: orderingKey,
        division_code: event.divisioncode,
        body: JSON.stringify(event),
        occurred_at: event.time,
      };
      // With no delivery to make, the insert travels with the unit of work's next statement.
      if (subscribers.length === 0) sql.write(insertEvent(row));
      else {
        const { seq } = sql.get(insertEventForSeq(row))!;
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
