/**
 * A small closed-loop HTTP load generator: `connections` keep-alive connections, each sending the
 * next request as soon as the previous answer has been read, for a warm-up and then a measured
 * window. Prints one JSON line: requests/s, latency percentiles, statuses, its own CPU use.
 * Run it in its own process so its cost does not hide inside the server's figures.
 *
 *   tsx bench/load.ts --url http://127.0.0.1:3000/x [--method POST --body-file body.json]
 *                     [--connections 50] [--duration 5] [--warmup 1] [--expect '"valid":true']
 *                     [--rate 500]
 *
 * Without --rate the load is closed-loop (as fast as the server answers), so by Little's law the
 * mean latency is connections ÷ throughput. With --rate the requests are sent on a fixed
 * schedule spread over the connections, and latency counts from the scheduled time, so a stalled
 * server is not hidden by the generator waiting for it (no coordinated omission).
 *
 * Besides the result it prints `{"event":"window-start"}` and `{"event":"window-end"}` lines as the
 * measured window opens and closes, so a caller can sample the server's CPU over exactly that window.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';

export interface LoadResult {
  connections: number;
  /** The scheduled requests/s (open loop), or null for closed loop. */
  rate: number | null;
  durationS: number;
  requests: number;
  requestsPerS: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  statuses: Record<string, number>;
  errors: number;
  /** Answers whose body lacked the `--expect` text (checked on every answer). */
  unexpectedBodies: number;
  /** CPU of the generator itself over the measured window, in percent of one core. */
  generatorCpuPercent: number;
}

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    method: { type: 'string', default: 'GET' },
    'body-file': { type: 'string' },
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    expect: { type: 'string' },
    rate: { type: 'string' },
  },
});
if (!values.url) throw new Error('--url is required');
const target = new URL(values.url);
const body = values['body-file'] ? readFileSync(values['body-file']) : null;
const connections = Number(values.connections);
const warmupMs = Number(values.warmup) * 1000;
const durationMs = Number(values.duration) * 1000;
const expected = values.expect ?? null;
const rate = values.rate ? Number(values.rate) : null;

const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
const headers: Record<string, string | number> = { accept: 'application/json' };
if (body) {
  headers['content-type'] = 'application/json';
  headers['content-length'] = body.length;
}

function send(): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: values.method, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

const start = performance.now();
const measureFrom = start + warmupMs;
const stopAt = measureFrom + durationMs;
let latencies = new Float64Array(1 << 16);
let count = 0;
let errors = 0;
let unexpectedBodies = 0;
const statuses: Record<string, number> = {};
let cpuAtStart: NodeJS.CpuUsage | null = null;

const emitted = new Set<string>();
const emit = (event: 'window-start' | 'window-end') => {
  if (emitted.has(event)) return;
  emitted.add(event);
  process.stdout.write(`${JSON.stringify({ event })}\n`);
};
const windowStart = setTimeout(() => emit('window-start'), warmupMs);
const windowEnd = setTimeout(() => emit('window-end'), warmupMs + durationMs);

/**
 * Waits until `due` on the performance clock. A timer can fire up to a millisecond or more early
 * by that clock (libuv's loop time is cached in whole milliseconds), and an answer that then came
 * back before its scheduled time gave a negative latency; so wait again until the time has come.
 */
async function sleepUntil(due: number): Promise<void> {
  for (let wait = due - performance.now(); wait > 0; wait = due - performance.now()) {
    await new Promise((resolve) => (wait >= 1 ? setTimeout(resolve, wait) : setImmediate(resolve)));
  }
}

async function loop(index: number): Promise<void> {
  // Open loop: connection `index` sends requests index, index + connections, … of the schedule.
  const spacingMs = rate === null ? 0 : (1000 / rate) * connections;
  let due = start + (rate === null ? 0 : (index * 1000) / rate);
  for (;;) {
    if (rate !== null) await sleepUntil(due);
    const sentAt = rate === null ? performance.now() : due;
    due += spacingMs;
    if (sentAt >= stopAt) return;
    if (sentAt >= measureFrom && cpuAtStart === null) cpuAtStart = process.cpuUsage();
    try {
      const { status, text } = await send();
      const doneAt = performance.now();
      if (sentAt < measureFrom) continue;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (expected !== null && !text.includes(expected)) unexpectedBodies++;
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count++] = doneAt - sentAt;
    } catch {
      errors++;
      if (sentAt >= measureFrom) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

await Promise.all(Array.from({ length: connections }, (_, i) => loop(i)));
const cpu = process.cpuUsage(cpuAtStart ?? undefined);
agent.destroy();
clearTimeout(windowStart);
clearTimeout(windowEnd);
emit('window-start');
emit('window-end');

const sorted = latencies.subarray(0, count).sort();
const percentile = (p: number) =>
  count === 0 ? Number.NaN : sorted[Math.min(count - 1, Math.floor((p / 100) * count))]!;
const round = (ms: number) => Math.round(ms * 100) / 100;
const result: LoadResult = {
  connections,
  rate,
  durationS: durationMs / 1000,
  requests: count,
  requestsPerS: Math.round(count / (durationMs / 1000)),
  p50Ms: round(percentile(50)),
  p90Ms: round(percentile(90)),
  p99Ms: round(percentile(99)),
  maxMs: round(count === 0 ? Number.NaN : sorted[count - 1]!),
  statuses,
  errors,
  unexpectedBodies,
  generatorCpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / durationMs) * 100),
};
console.log(JSON.stringify(result));
