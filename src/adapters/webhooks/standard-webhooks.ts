import { createHmac, randomBytes } from 'node:crypto';
import type { WebhookSecrets } from '../../domain/events/subscriptions.ts';

/*
 * Standard Webhooks (https://www.standardwebhooks.com): a secret is `whsec_` + base64 of random
 * bytes; a delivery carries `webhook-id`, `webhook-timestamp` (seconds) and `webhook-signature`,
 * a space-separated list of `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per valid secret.
 */

const prefix = 'whsec_';
/** 32 bytes: the spec asks for 24 to 64; HMAC-SHA256 gains nothing from more than its block of 32. */
const secretBytes = 32;

export const newWebhookSecret = () => `${prefix}${randomBytes(secretBytes).toString('base64')}`;

const keyOf = (secret: string) =>
  Buffer.from(secret.startsWith(prefix) ? secret.slice(prefix.length) : secret, 'base64');

export function signatureHeader(secrets: readonly string[], id: string, timestampSeconds: number, body: string) {
  return secrets
    .map(
      (secret) =>
        `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`,
    )
    .join(' ');
}

export function webhookHeaders(secrets: readonly string[], id: string, at: Date, body: string): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureHeader(secrets, id, timestamp, body),
  };
}

export const nodeWebhookSecrets = (newId: (prefix: string) => string): WebhookSecrets => ({
  newSecret: newWebhookSecret,
  newId,
});
