import {
  createSubscription,
  findSubscription,
  listDeliveries,
  removeSubscription,
  replayDelivery,
  rotateSubscriptionSecret,
  type SubscriptionPorts,
} from '../../domain/events/subscriptions.ts';
import { defineRoute, type Route } from '../route.ts';

const noStore = { 'Cache-Control': 'no-store' };

/** Agencies' webhook subscriptions (出生一件事): register, list, remove, rotate, deliveries, replay. */
export function eventRoutes(ports: SubscriptionPorts): Route[] {
  const load = (params: Record<string, string>) => findSubscription(ports, params.id ?? '');
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/subscriptions',
      summary: "Register an agency's webhook endpoint; the signing secret (whsec_…) is in this answer only",
      tag: 'events',
      access: ['admin'],
      body: 'subscription',
      responses: { 201: 'The subscription with its secret', 400: 'Invalid body or url' },
      handle: ({ principal, body }) => ({
        status: 201,
        body: createSubscription(ports, principal, body),
        headers: noStore,
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/subscriptions',
      summary: 'Every subscription (never the secrets)',
      tag: 'events',
      access: ['admin'],
      responses: { 200: '{subscriptions: [...]}' },
      handle: () => ({ status: 200, body: { subscriptions: ports.subscriptions.list() }, headers: noStore }),
    }),
    defineRoute({
      method: 'delete',
      path: '/api/v1/subscriptions/:id',
      summary: 'Remove a subscription: nothing more is sent to it, its pending deliveries are dead-lettered',
      tag: 'events',
      access: ['admin'],
      responses: { 204: 'Removed', 404: 'Unknown subscription' },
      load,
      handle: ({ principal, loaded }) => {
        removeSubscription(ports, principal, loaded.id);
        return { status: 204, body: Buffer.alloc(0) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/subscriptions/:id/secret-rotation',
      summary: 'A new signing secret, shown once; the previous one keeps signing alongside for 24 hours',
      tag: 'events',
      access: ['admin'],
      responses: { 201: '{id, secret, previousSecretValidUntil}', 404: 'Unknown subscription' },
      load,
      handle: ({ principal, loaded }) => ({
        status: 201,
        body: rotateSubscriptionSecret(ports, principal, loaded.id),
        headers: noStore,
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/subscriptions/:id/deliveries',
      summary: 'Deliveries of a subscription, newest event first, with attempts and the last failure',
      tag: 'events',
      access: ['admin'],
      query: [
        { name: 'status', required: false, description: 'pending, delivered or dead (dead-lettered)' },
        { name: 'limit', required: false, description: '1–1000, default 100' },
      ],
      responses: { 200: '{deliveries: [...]}', 400: 'Invalid status or limit', 404: 'Unknown subscription' },
      load,
      handle: ({ loaded, query }) => ({
        status: 200,
        body: listDeliveries(ports, loaded.id, query),
        headers: noStore,
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/subscriptions/:id/deliveries/:deliveryId/replay',
      summary: 'Send a dead-lettered or delivered event again (same webhook-id), with a fresh retry window',
      tag: 'events',
      access: ['admin'],
      responses: { 202: 'The delivery, pending again', 404: 'Unknown subscription or delivery', 409: 'Still pending' },
      load,
      handle: ({ principal, loaded, params }) => ({
        status: 202,
        body: replayDelivery(ports, principal, loaded.id, params.deliveryId ?? ''),
      }),
    }),
  ];
}
