import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { vi } from 'vitest';

/**
 * An agency's webhook endpoint on loopback: it verifies every delivery with the independent
 * `standardwebhooks` package, answers as the test tells it, and processes each webhook-id once
 * (as the spec asks receivers to), recording arrivals and processed events apart.
 */

export interface Arrival {
  id: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The secrets (by index into `secrets`) whose signature verified. */
  verifiedWith: number[];
}

export type Answer = 'ok' | 'error' | 'hang';

export interface Receiver {
  url: string;
  port: number;
  /** Secrets to verify with; set once the subscription answers. */
  secrets: string[];
  /** Every request, verified or not, in arrival order. */
  arrivals: Arrival[];
  /** Events processed, once per webhook-id, in order. */
  processed: { id: string; event: Record<string, any> }[];
  /** How to answer the next request (default `ok`). */
  answer: (arrival: Arrival) => Answer;
  /** The instant the signature's timestamp is checked against (the service's clock in a test). */
  now: () => Date;
  close(): Promise<void>;
  /** Listens again on the same port after `close`. */
  reopen(): Promise<void>;
}

function verifiedWith(secrets: string[], body: string, headers: IncomingHttpHeaders, now: Date): number[] {
  const plain = {
    'webhook-id': String(headers['webhook-id'] ?? ''),
    'webhook-timestamp': String(headers['webhook-timestamp'] ?? ''),
    'webhook-signature': String(headers['webhook-signature'] ?? ''),
  };
  const result: number[] = [];
  // The package checks the timestamp against Date.now(); the test's clock may run days ahead.
  vi.useFakeTimers({ toFake: ['Date'], now });
  try {
    secrets.forEach((secret, index) => {
      try {
        new Webhook(secret).verify(body, plain);
        result.push(index);
      } catch {
        // not this secret
      }
    });
  } finally {
    vi.useRealTimers();
  }
  return result;
}

export async function startReceiver(port = 0): Promise<Receiver> {
  const hanging = new Set<() => void>();
  let server: Server;
  const receiver: Receiver = {
    url: '',
    port,
    secrets: [],
    arrivals: [],
    processed: [],
    answer: () => 'ok',
    now: () => new Date(),
    close: () =>
      new Promise((resolve) => {
        for (const release of hanging) release();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    reopen: () => listen(receiver.port),
  };
  const listen = (on: number) =>
    new Promise<void>((resolve, reject) => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const id = String(req.headers['webhook-id'] ?? '');
          const arrival: Arrival = {
            id,
            headers: req.headers,
            body,
            verifiedWith: verifiedWith(receiver.secrets, body, req.headers, receiver.now()),
          };
          receiver.arrivals.push(arrival);
          const answer = receiver.answer(arrival);
          if (answer === 'hang') {
            const release = () => res.destroy();
            hanging.add(release);
            return;
          }
          if (answer === 'error') {
            res.writeHead(500).end('{"error":"down for maintenance"}');
            return;
          }
          if (arrival.verifiedWith.length === 0) {
            res.writeHead(401).end();
            return;
          }
          if (!receiver.processed.some((p) => p.id === id)) receiver.processed.push({ id, event: JSON.parse(body) });
          res.writeHead(204).end();
        });
      });
      server.once('error', reject);
      server.listen(on, '127.0.0.1', () => {
        receiver.port = (server.address() as AddressInfo).port;
        receiver.url = `http://127.0.0.1:${receiver.port}/birth-events`;
        resolve();
      });
    });
  await listen(port);
  return receiver;
}
