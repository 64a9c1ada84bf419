import { eventTypes } from '../../domain/events/event-types.ts';
import { closed, count, instant, nullable, type Schema } from './common.ts';

const subscriptionId = { type: 'string', pattern: '^sub_[A-Za-z0-9_-]+$' };
/** Standard Webhooks: `whsec_` and the base64 of 32 random bytes. */
const secret = { type: 'string', pattern: '^whsec_[A-Za-z0-9+/]{43}=$', description: 'Shown in this answer only' };
const subscriptionProperties: Record<string, Schema> = {
  id: subscriptionId,
  url: { type: 'string' },
  description: nullable({ type: 'string' }),
  eventTypes: { type: 'array', items: { enum: [...eventTypes] } },
  divisions: {
    ...nullable({ type: 'array', items: { type: 'string', pattern: '^[0-9]{6}$' } }),
    description: 'GB/T 2260 codes (a province or city covers what lies in it); null: every division',
  },
  createdAt: instant,
  createdBy: { type: 'string' },
  previousSecretValidUntil: {
    ...nullable(instant),
    description: 'While a rotation overlaps, deliveries are signed with the previous secret too, until then',
  },
};
const exampleSubscription = {
  id: 'sub_Yq3nV0cJ2mXbT8dKpW4rZa',
  url: 'https://gaj.example.gov.cn/birth-events',
  description: '广州市公安局户政：出生一件事',
  eventTypes: ['cn.birth-certificate.issued', 'cn.birth-certificate.household-registered'],
  divisions: ['440100'],
  createdAt: '2026-11-29T17:04:00.000Z',
  createdBy: 'demo-admin',
  previousSecretValidUntil: null,
};
const exampleSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3fXk8/E2M2E=';

const delivery = closed({
  id: { type: 'string', pattern: '^dlv_[A-Za-z0-9_-]+$' },
  eventId: { type: 'string', pattern: '^evt_[A-Za-z0-9_-]+$', description: 'Also the webhook-id header' },
  eventType: { enum: [...eventTypes] },
  subject: { type: 'string', description: 'The certificate number, or the application id of an application event' },
  status: { enum: ['pending', 'delivered', 'dead'] },
  attempts: count,
  nextAttemptAt: nullable(instant),
  lastAttemptAt: nullable(instant),
  lastStatus: { ...nullable({ type: 'integer' }), description: "The receiver's HTTP status; null when none came" },
  lastError: nullable({ type: 'string' }),
  deliveredAt: nullable(instant),
});
const exampleDelivery = {
  id: 'dlv_3kq8ZbWm0yT5nRcV7hXp2a',
  eventId: 'evt_Hn4cX9qLw2sJd7Vb0mTz5e',
  eventType: 'cn.birth-certificate.issued',
  subject: 'Q440000001',
  status: 'dead',
  attempts: 24,
  nextAttemptAt: null,
  lastAttemptAt: '2026-12-02T17:04:05.000Z',
  lastStatus: 500,
  lastError: 'HTTP 500',
  deliveredAt: null,
};

export const eventSchemas: Record<string, Schema> = {
  NewSubscription: {
    description: 'The subscription with its signing secret, which is never shown again',
    ...closed({ ...subscriptionProperties, secret }),
    examples: [{ ...exampleSubscription, secret: exampleSecret }],
  },
  SubscriptionList: {
    ...closed({ subscriptions: { type: 'array', items: closed(subscriptionProperties) } }),
    examples: [{ subscriptions: [exampleSubscription] }],
  },
  RotatedSecret: {
    description: 'The new signing secret, shown once; the previous one keeps signing until previousSecretValidUntil',
    ...closed({ id: subscriptionId, secret, previousSecretValidUntil: instant }),
    examples: [
      { id: exampleSubscription.id, secret: exampleSecret, previousSecretValidUntil: '2026-11-30T17:04:00.000Z' },
    ],
  },
  Delivery: {
    description: 'One event to one subscription: its attempts and the last failure',
    ...delivery,
    examples: [{ ...exampleDelivery, status: 'pending', nextAttemptAt: '2026-12-02T17:10:00.000Z' }],
  },
  DeliveryList: {
    ...closed({ deliveries: { type: 'array', items: delivery } }),
    examples: [{ deliveries: [exampleDelivery] }],
  },
};
