import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DomainError } from '../../domain/errors.ts';
import type { PdfContents, PdfInspector, PdfSignatureReading } from '../../domain/verification/ports.ts';
import { DEFAULT_INFLATION_LIMITS, type InflationLimits } from './capped-decode.ts';
import type { PdfJob } from './inspect-worker.ts';

export interface PdfWorkerOptions {
  /** PDFs parsed at once: one worker each. */
  workers: number;
  /** PDFs waiting for a worker; beyond this a verification is refused (503), not queued. */
  queue: number;
  /** Per job; a worker still busy after this is terminated and the PDF refused. */
  timeoutMs: number;
  /** The worker's V8 heap limit; a PDF needing more ends the worker and is refused. */
  heapMb: number;
  inflation: InflationLimits;
}

export const DEFAULT_PDF_WORKER_OPTIONS: PdfWorkerOptions = {
  workers: 2,
  queue: 8,
  timeoutMs: 2_000,
  heapMb: 96,
  inflation: DEFAULT_INFLATION_LIMITS,
};

type Result = PdfSignatureReading | PdfContents;

interface Job {
  op: PdfJob['op'];
  bytes: Uint8Array;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: { thread: Worker; ready: Promise<void> } | null;
  busy: boolean;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** Compiled (dist/, what `npm start` runs) the worker is the compiled JavaScript beside this module. */
const compiled = import.meta.url.endsWith('.js');
const entry = pathToFileURL(path.join(here, compiled ? 'inspect-worker.js' : 'inspect-worker.ts')).href;

/**
 * Compiled, the worker imports its JavaScript entry; from source (`npm run dev`, vitest, the
 * benchmarks) it loads the TypeScript entry through tsx's API. A worker costs ~0.3 s to start, once.
 */
function bootstrap(): string {
  if (compiled) return `import(${JSON.stringify(entry)});`;
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(
    /index\.cjs$/,
    'index.mjs',
  );
  return `import(${JSON.stringify(tsxApi)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(tsxApi)}));`;
}

const limit = (detail: string): Result => ({ ok: false, reason: 'RESOURCE_LIMIT', detail });

/**
 * Parses uploaded PDFs in worker threads, off the event loop: a bounded pool (the concurrency
 * limit), a bounded queue, a V8 heap limit and a per-job timeout. Inside, every stream inflates
 * under a per-stream and a per-request cap (capped-decode.ts). A worker that times out or runs
 * out of memory is terminated and replaced; its PDF is refused as RESOURCE_LIMIT.
 */
export function createWorkerPdfInspector(options: PdfWorkerOptions = DEFAULT_PDF_WORKER_OPTIONS): PdfInspector & {
  close(): Promise<void>;
} {
  const code = bootstrap();
  const slots: Slot[] = Array.from({ length: options.workers }, () => ({ worker: null, busy: false }));
  const waiting: Job[] = [];
  let nextId = 1;
  let closed = false;

  const spawn = (): { thread: Worker; ready: Promise<void> } => {
    const thread = new Worker(code, {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: options.heapMb, maxYoungGenerationSizeMb: 16 },
    });
    // Idle workers must not keep a stopping process alive.
    thread.unref();
    const ready = new Promise<void>((resolve, reject) => {
      const onReady = (message: { ready?: boolean }) => {
        if (!message.ready) return;
        thread.off('message', onReady);
        thread.off('error', reject);
        resolve();
      };
      thread.on('message', onReady);
      thread.once('error', reject);
    });
    return { thread, ready };
  };

  const release = (slot: Slot) => {
    slot.busy = false;
    const next = waiting.shift();
    if (next && !closed) void run(slot, next);
  };

  const run = async (slot: Slot, job: Job): Promise<void> => {
    slot.busy = true;
    slot.worker ??= spawn();
    const { thread: worker, ready } = slot.worker;
    try {
      await ready;
    } catch (error) {
      // The reader could not start at all: a fault of ours, not of the PDF.
      slot.worker = null;
      void worker.terminate();
      job.reject(error);
      release(slot);
      return;
    }
    const id = nextId++;
    let settled = false;
    const finish = (result: Result, discard: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (discard) {
        slot.worker = null;
        void worker.terminate();
      }
      job.resolve(result);
      release(slot);
    };
    const onMessage = (message: { id?: number; result?: Result }) => {
      if (message.id === id && message.result) finish(message.result, false);
    };
    const onError = (error: Error & { code?: string }) =>
      finish(
        limit(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `reading the PDF needs more than ${options.heapMb} MB`
            : 'the PDF reader stopped',
        ),
        true,
      );
    const onExit = () => finish(limit('the PDF reader stopped'), true);
    const timer = setTimeout(
      () => finish(limit(`reading the PDF takes longer than ${options.timeoutMs} ms`), true),
      options.timeoutMs,
    );
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    const message: PdfJob = { id, op: job.op, bytes: job.bytes, limits: options.inflation };
    worker.postMessage(message);
  };

  const submit = (op: PdfJob['op'], bytes: Uint8Array): Promise<Result> => {
    if (closed) return Promise.reject(new DomainError('SERVICE_UNAVAILABLE', 'The service is stopping'));
    return new Promise<Result>((resolve, reject) => {
      const job: Job = { op, bytes, resolve, reject };
      const idle = slots.find((slot) => !slot.busy);
      if (idle) return void run(idle, job);
      if (waiting.length >= options.queue) {
        return reject(
          new DomainError('SERVICE_UNAVAILABLE', 'Too many PDF verifications are in progress; try again shortly'),
        );
      }
      waiting.push(job);
    });
  };

  return {
    readSignature: (bytes) => submit('signature', bytes) as Promise<PdfSignatureReading>,
    readContents: (bytes) => submit('contents', bytes) as Promise<PdfContents>,
    async close() {
      closed = true;
      for (const job of waiting.splice(0)) job.resolve(limit('the service is stopping'));
      await Promise.all(slots.map((slot) => slot.worker?.thread.terminate()));
    },
  };
}
