import type { Clock } from '../../domain/ports.ts';
import type { DueDelivery, Endpoint, WebhookDeliveryQueue } from '../sql/webhook-delivery-queue.ts';
import { nextAttemptAt, RETRY_WINDOW_MS } from './retry-schedule.ts';
import { webhookHeaders } from './standard-webhooks.ts';

export interface DispatcherOptions {
  /** How often the outbox is polled besides the wake-up on every commit. */
  pollIntervalMs: number;
  /** One attempt's limit, connection to last byte of the answer's headers. */
  timeoutMs: number;
  /** Requests in flight to one endpoint at most: a slow agency fills only its own slots. */
  concurrencyPerEndpoint: number;
  retryWindowMs: number;
  random: () => number;
}

export const defaultDispatcherOptions: DispatcherOptions = {
  pollIntervalMs: 500,
  timeoutMs: 10_000,
  concurrencyPerEndpoint: 8,
  retryWindowMs: RETRY_WINDOW_MS,
  random: Math.random,
};

interface Log {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface WebhookDispatcher {
  start(): void;
  /** Stops polling and aborts attempts in flight; their deliveries stay pending for the next start. */
  stop(): void;
  /** Looks for due deliveries soon (called after every commit that appended an event). */
  wake(): void;
  /** Attempts everything due now, then whatever became due by those attempts, until nothing is due or in flight. */
  drain(): Promise<void>;
}

/** One attempt's result, as the queue records it. */
/** A claim outlasts the attempt's time-out by this much, so it never lapses while the attempt runs. */
const CLAIM_MARGIN_MS = 5_000;

type Attempt = { ok: true; status: number } | { ok: false; status: number | null; error: string };

/**
 * The in-process dispatcher: polls the outbox's deliveries (and wakes on commit), signs each per
 * Standard Webhooks and POSTs it. Per endpoint at most `concurrencyPerEndpoint` in flight and one
 * per birth, so each birth's events arrive in order; failures are retried on the retry schedule.
 */
export function createWebhookDispatcher(deps: {
  queue: WebhookDeliveryQueue;
  clock: Clock;
  log: Log;
  options?: Partial<DispatcherOptions>;
}): WebhookDispatcher {
  const options = { ...defaultDispatcherOptions, ...deps.options };
  const { queue, clock, log } = deps;
  /** Per endpoint: ordering keys in flight. */
  const inFlight = new Map<string, Set<string>>();
  const pending = new Set<Promise<void>>();
  /** Deliveries this process has claimed and not yet recorded. */
  const claimed = new Set<string>();
  let aborter = new AbortController();
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let scheduled = false;

  async function attempt(endpoint: Endpoint, delivery: DueDelivery): Promise<Attempt> {
    const headers = webhookHeaders(endpoint.secrets, delivery.eventId, clock.now(), delivery.body);
    /*
     * The time-out is a controller of ours whose timer holds it: Node 20's
     * AbortSignal.any([AbortSignal.timeout(…), …]) keeps the timeout signal only weakly, and a
     * garbage collection while the endpoint keeps the request open lost it, so the attempt
     * hung until a restart (nodejs/node#57736; tests/http/events.test.ts forces collections).
     */
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new DOMException('The endpoint did not answer in time', 'TimeoutError')),
      options.timeoutMs,
    );
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'birth-elicence-webhooks/1', ...headers },
        body: delivery.body,
        // A redirect is a failure to fix at registration, not something to follow with a signed body.
        redirect: 'manual',
        signal: AbortSignal.any([timeout.signal, aborter.signal]),
      });
      // The answer's body is not read: only the status counts, and the socket goes back to the pool.
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
      return { ok: false, status: response.status, error: `HTTP ${response.status}` };
    } catch (error) {
      const name = (error as { name?: string }).name;
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      const reason =
        name === 'TimeoutError' ? 'timeout' : name === 'AbortError' ? 'aborted' : (cause ?? name ?? 'error');
      return { ok: false, status: null, error: reason };
    } finally {
      clearTimeout(timer);
    }
  }

  function launch(endpoint: Endpoint, delivery: DueDelivery, keys: Set<string>) {
    keys.add(delivery.orderingKey);
    claimed.add(delivery.id);
    const signal = aborter.signal;
    const task = attempt(endpoint, delivery).then((result) => {
      keys.delete(delivery.orderingKey);
      claimed.delete(delivery.id);
      // Stopped: the database may be closed; the delivery stays pending and is sent after the restart.
      if (signal.aborted) return;
      const at = clock.now().getTime();
      if (result.ok) {
        queue.delivered(delivery.id, { at, status: result.status, error: null });
      } else {
        const next = nextAttemptAt(
          delivery.attempts + 1,
          delivery.windowStartedAt,
          at,
          options.random,
          options.retryWindowMs,
        );
        queue.failed(delivery.id, { at, status: result.status, error: result.error }, next);
        if (next === null) log.warn({ delivery: delivery.id, endpoint: endpoint.id }, 'webhook delivery dead-lettered');
      }
      wake();
    });
    const tracked = task.catch((error: unknown) => {
      log.warn({ err: error, delivery: delivery.id }, 'webhook delivery could not be recorded');
    });
    pending.add(tracked);
    void tracked.finally(() => pending.delete(tracked));
  }

  /** Starts every attempt that is due and has a free slot; returns how many it started. */
  function round(): number {
    if (aborter.signal.aborted) return 0;
    const now = clock.now().getTime();
    let started = 0;
    for (const endpoint of queue.endpointsDue(now)) {
      const keys = inFlight.get(endpoint.id) ?? new Set<string>();
      inFlight.set(endpoint.id, keys);
      const free = options.concurrencyPerEndpoint - keys.size;
      if (free <= 0) continue;
      // Heads whose birth already has an attempt in flight wait for it: ask for enough to skip those.
      for (const delivery of queue.dueHeads(endpoint.id, now, free + keys.size)) {
        if (keys.size >= options.concurrencyPerEndpoint) break;
        if (keys.has(delivery.orderingKey)) continue;
        // Another node may poll the same queue: only the node whose claim lands sends it.
        if (!queue.claim(delivery.id, now, now + options.timeoutMs + CLAIM_MARGIN_MS)) continue;
        launch(endpoint, delivery, keys);
        started++;
      }
    }
    return started;
  }

  function wake() {
    if (!running || scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (!running) return;
      try {
        round();
      } catch (error) {
        log.warn({ err: error }, 'webhook dispatch round failed');
      }
    });
  }

  return {
    start() {
      if (running) return;
      running = true;
      aborter = new AbortController();
      timer = setInterval(wake, options.pollIntervalMs);
      timer.unref();
      wake();
    },
    stop() {
      running = false;
      if (timer) clearInterval(timer);
      timer = null;
      aborter.abort();
      // What this process claimed and will not finish is due again at once, for any node.
      const now = clock.now().getTime();
      for (const id of claimed) queue.release(id, now);
      claimed.clear();
    },
    wake,
    async drain() {
      for (;;) {
        const started = round();
        if (started === 0 && pending.size === 0) return;
        await Promise.all([...pending]);
      }
    },
  };
}
