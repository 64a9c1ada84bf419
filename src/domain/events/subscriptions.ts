import type { PrincipalOf } from '../accounts/account.ts';
import { type AuditLog, eventBy } from '../audit/audit-event.ts';
import { DomainError, type ErrorDetail, invalidRequest } from '../errors.ts';
import type { Clock } from '../ports.ts';
import type { SubscriptionBody } from '../rules/bodies.ts';
import type { EventType } from './event-types.ts';

/*
 * Agencies' webhook subscriptions: the administrator registers an endpoint with the event types
 * and divisions it may receive; the signing secret is shown once. Deliveries are listed, failures
 * shown and replayed here; the dispatcher (an adapter) does the sending.
 */

/** The request body, generated from schemas/subscription.schema.json. */
export type { SubscriptionBody };

export interface Subscription {
  id: string;
  url: string;
  description: string | null;
  eventTypes: EventType[];
  /** GB/T 2260 codes (a province or city covers what lies in it); null: every division. */
  divisions: string[] | null;
  createdAt: string;
  createdBy: string;
  /** While a rotation overlaps, deliveries are signed with the previous secret too, until then. */
  previousSecretValidUntil: string | null;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  subject: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  /** The receiver's HTTP status of the last attempt; null when none came (refused, timed out). */
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}

export interface SubscriptionStore {
  insert(subscription: Subscription, secret: string): void;
  /** A subscription that has not been removed, or null. */
  find(id: string): Subscription | null;
  list(): Subscription[];
  /** Removes it; its pending deliveries are dead-lettered. */
  remove(id: string, at: Date): void;
  /** The new secret signs from now on; the current one keeps signing too until `previousValidUntil`. */
  rotateSecret(id: string, secret: string, previousValidUntil: Date): void;
  deliveries(subscriptionId: string, filter: { status?: DeliveryStatus; limit: number }): DeliveryView[];
  findDelivery(subscriptionId: string, deliveryId: string): DeliveryView | null;
  /** Back to pending, due now, with a fresh retry window. */
  replay(deliveryId: string, at: Date): void;
}

export interface WebhookSecrets {
  /** A Standard Webhooks secret: `whsec_` + base64 of random bytes. */
  newSecret(): string;
  newId(prefix: string): string;
}

export interface SubscriptionPorts {
  subscriptions: SubscriptionStore;
  secrets: WebhookSecrets;
  audit: Pick<AuditLog, 'record'>;
  clock: Clock;
  /** Production: HTTPS only. Elsewhere plain HTTP is allowed to a loopback address (development, tests). */
  endpoints: 'https-only' | 'https-or-loopback';
  /** Tells the dispatcher a replayed delivery is due. */
  wake(): void;
}

export type SubscriptionAdmin = PrincipalOf<'admin'>;

/** While a rotation overlaps, both secrets sign: receivers have a day to switch. */
export const SECRET_OVERLAP_MS = 24 * 3_600_000;

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

function checkEndpoint(text: string, policy: SubscriptionPorts['endpoints']): ErrorDetail[] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return [{ path: 'url', message: 'url must be an absolute URL' }];
  }
  const details: ErrorDetail[] = [];
  if (url.protocol === 'http:') {
    if (policy === 'https-only') details.push({ path: 'url', message: 'url must use https' });
    else if (!loopbackHosts.has(url.hostname)) {
      details.push({ path: 'url', message: 'url must use https (plain http only to a loopback address)' });
    }
  } else if (url.protocol !== 'https:') {
    details.push({ path: 'url', message: 'url must use https' });
  }
  // Credentials in a URL end up in logs and listings; the signature authenticates instead.
  if (url.username || url.password) details.push({ path: 'url', message: 'url must not carry a user or password' });
  if (url.hash) details.push({ path: 'url', message: 'url must not have a fragment' });
  return details;
}

const audit = (ports: SubscriptionPorts, actor: SubscriptionAdmin, action: string, target: string, details = {}) =>
  ports.audit.record(eventBy(actor, action, target, details), ports.clock.now());

/** Registers an endpoint; the answer carries the signing secret, which is never shown again. */
export function createSubscription(ports: SubscriptionPorts, actor: SubscriptionAdmin, body: SubscriptionBody) {
  const details = checkEndpoint(body.url, ports.endpoints);
  if (details.length > 0) throw invalidRequest(details);
  const now = ports.clock.now();
  const subscription: Subscription = {
    id: ports.secrets.newId('sub_'),
    url: body.url,
    description: body.description ?? null,
    eventTypes: [...new Set(body.eventTypes)],
    divisions: body.divisions ? [...new Set(body.divisions)] : null,
    createdAt: now.toISOString(),
    createdBy: actor.username,
    previousSecretValidUntil: null,
  };
  const secret = ports.secrets.newSecret();
  ports.subscriptions.insert(subscription, secret);
  audit(ports, actor, 'subscription.created', subscription.id, {
    url: subscription.url,
    eventTypes: subscription.eventTypes,
    divisions: subscription.divisions,
  });
  return { ...subscription, secret };
}

export function findSubscription(ports: Pick<SubscriptionPorts, 'subscriptions'>, id: string): Subscription {
  const found = ports.subscriptions.find(id);
  if (!found) throw new DomainError('NOT_FOUND', `No subscription ${id}`);
  return found;
}

export function removeSubscription(ports: SubscriptionPorts, actor: SubscriptionAdmin, id: string) {
  findSubscription(ports, id);
  ports.subscriptions.remove(id, ports.clock.now());
  audit(ports, actor, 'subscription.removed', id);
}

/** A new secret, shown once; the old one keeps signing alongside for `SECRET_OVERLAP_MS`. */
export function rotateSubscriptionSecret(ports: SubscriptionPorts, actor: SubscriptionAdmin, id: string) {
  findSubscription(ports, id);
  const now = ports.clock.now();
  const previousValidUntil = new Date(now.getTime() + SECRET_OVERLAP_MS);
  const secret = ports.secrets.newSecret();
  ports.subscriptions.rotateSecret(id, secret, previousValidUntil);
  audit(ports, actor, 'subscription.secret-rotated', id, { previousValidUntil: previousValidUntil.toISOString() });
  return { id, secret, previousSecretValidUntil: previousValidUntil.toISOString() };
}

const deliveryStatuses: readonly DeliveryStatus[] = ['pending', 'delivered', 'dead'];

export function listDeliveries(ports: SubscriptionPorts, id: string, query: Record<string, unknown>) {
  findSubscription(ports, id);
  const details: ErrorDetail[] = [];
  const { status, limit } = query;
  if (status !== undefined && !deliveryStatuses.includes(status as DeliveryStatus)) {
    details.push({ path: 'status', message: 'status must be pending, delivered or dead' });
  }
  const limitNumber = limit === undefined ? 100 : Number(limit);
  if (typeof limit === 'object' || !Number.isInteger(limitNumber) || limitNumber < 1 || limitNumber > 1000) {
    details.push({ path: 'limit', message: 'limit must be a whole number from 1 to 1000' });
  }
  if (details.length > 0) throw invalidRequest(details);
  return {
    deliveries: ports.subscriptions.deliveries(id, {
      ...(status === undefined ? {} : { status: status as DeliveryStatus }),
      limit: limitNumber,
    }),
  };
}

/** Sends a delivery again (a dead-lettered one, or one delivered that the agency lost). */
export function replayDelivery(ports: SubscriptionPorts, actor: SubscriptionAdmin, id: string, deliveryId: string) {
  findSubscription(ports, id);
  const delivery = ports.subscriptions.findDelivery(id, deliveryId);
  if (!delivery) throw new DomainError('NOT_FOUND', `No delivery ${deliveryId} of subscription ${id}`);
  if (delivery.status === 'pending') {
    throw new DomainError('INVALID_STATE', `Delivery ${deliveryId} is still pending; it is retried on its own`);
  }
  const now = ports.clock.now();
  ports.subscriptions.replay(deliveryId, now);
  audit(ports, actor, 'webhook-delivery.replayed', deliveryId, { subscription: id, eventId: delivery.eventId });
  ports.wake();
  return ports.subscriptions.findDelivery(id, deliveryId)!;
}
