import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Operator } from '../../domain/audit/audit-event.ts';
import { DomainError, type ErrorCode } from '../../domain/errors.ts';
import type {
  BackfillLine,
  BackfillWorkers,
  CheckedLines,
  PlacedLine,
  SignedBackfillRecord,
} from '../../domain/lifecycle/backfill.ts';

/** What a backfill worker opens by itself (see src/backfill-worker.ts). */
export interface BackfillWorkerData {
  /** Where the service's database is: its SQLite file, or DATABASE_URL's PostgreSQL database. */
  database: { file: string } | { url: string };
  /** The sealed keys' passphrase: the worker's key store decrypts its keys itself. */
  passphrase: string;
  environment: 'production' | 'development' | 'test';
  licenceTypeCode: string;
}

type Reply =
  | { id: number; result: unknown; ms: number }
  | { id: number; error: { message: string; domainCode?: ErrorCode } };

export type BackfillWorkerRequest = { id: number } & Request;

type Request =
  | { op: 'check'; ticket: number; lines: BackfillLine[] }
  | { op: 'sign'; ticket: number; placed: PlacedLine[]; issuedAt: number; operator: Operator };

interface Job {
  request: Request;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

interface Slot {
  /** Started once the fonts' coverage is made. */
  thread: Worker | null;
  ready: Promise<void>;
  job: Job | null;
  /** Signing of batches this thread checked: only it holds their certificates. */
  own: Job[];
}

/**
 * The entry URL as this process can load it: compiled JavaScript directly, TypeScript (tsx,
 * vitest, the benchmark) through tsx's API, as the PDF inspector's workers do.
 */
export function workerSource(entry: URL): { code: string | URL; eval: boolean } {
  if (!entry.pathname.endsWith('.ts')) return { code: entry, eval: false };
  const tsxApi = new URL(createRequire(import.meta.url).resolve('tsx/esm/api'), 'file:').href.replace(
    /index\.cjs$/,
    'index.mjs',
  );
  return {
    code: `import(${JSON.stringify(tsxApi)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(tsxApi)}));`,
    eval: true,
  };
}

/**
 * Worker threads for the CPU-bound steps of back-issuance, one per core by default: each takes
 * one batch at a time. A batch is signed by the thread that checked it (which kept its
 * certificates); checks wait in order for the next free thread, and a thread's own signing goes
 * before further checks. A thread that fails (a fault of ours or of the machine, never of a
 * record: records get rejects, not errors) fails the run, which can then be started again and
 * continues where it stopped.
 */
export function createBackfillWorkerPool(
  entry: URL,
  data: BackfillWorkerData,
  /** glyph-bitset.ts: the fonts' coverage, shared with every thread, not copied; sent once made. */
  glyphs: Promise<SharedArrayBuffer>,
  threads = availableParallelism(),
): BackfillWorkers {
  const source = workerSource(entry);
  const waiting: Job[] = [];
  const owner = new Map<number, Slot>();
  const timings = { checkMs: 0, signMs: 0 };
  let nextId = 1;
  let nextTicket = 1;
  let failure: unknown = null;

  const fail = (error: unknown) => {
    failure = error;
    for (const slot of slots) {
      slot.job?.reject(error);
      slot.job = null;
      for (const job of slot.own.splice(0)) job.reject(error);
    }
    for (const job of waiting.splice(0)) job.reject(error);
  };

  /*
   * The threads start once the fonts' coverage is made: the thread that parses the fonts has
   * ended by then, so the process never holds the parsed faces and the workers' start at once.
   */
  const start = (slot: Slot, buffer: SharedArrayBuffer): Promise<void> => {
    const thread = new Worker(source.code, {
      eval: source.eval,
      workerData: data,
      /*
       * A batch in flight is a few MB and a thread lives on ~20 MB: bounded generations keep the
       * process's memory flat (64/12 against 128/default: ~50 MB less at the peak, CPU per record
       * the same within noise).
       */
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 12 },
    });
    slot.thread = thread;
    thread.on('message', (message: Reply | { ready: true }) => {
      if (!('id' in message)) return;
      const job = slot.job;
      slot.job = null;
      if (!job) return;
      if ('error' in message) {
        const { domainCode, message: text } = message.error;
        // A refusal raised in the worker (say NO_SIGNING_KEY) stays a refusal here.
        job.reject(domainCode ? new DomainError(domainCode, text) : new Error(text));
      } else {
        timings[job.request.op === 'check' ? 'checkMs' : 'signMs'] += message.ms;
        job.resolve(message.result);
      }
      next(slot);
    });
    thread.on('error', fail);
    thread.postMessage({ glyphs: buffer });
    return new Promise<void>((resolve, reject) => {
      thread.once('error', reject);
      thread.on('message', (message: { ready?: boolean }) => {
        if (message.ready) resolve();
      });
    });
  };

  const slots: Slot[] = Array.from({ length: Math.max(1, threads) }, () => {
    const slot: Slot = { thread: null, job: null, own: [], ready: Promise.resolve() };
    slot.ready = glyphs.then((buffer) => start(slot, buffer));
    slot.ready.catch(fail);
    return slot;
  });

  const next = (slot: Slot) => {
    if (slot.job) return;
    const job = slot.own.shift() ?? waiting.shift();
    if (!job) return;
    slot.job = job;
    if (job.request.op === 'check') owner.set(job.request.ticket, slot);
    void slot.ready.then(
      () => slot.thread?.postMessage({ id: nextId++, ...job.request }),
      (error: unknown) => {
        slot.job = null;
        job.reject(error);
      },
    );
  };

  const submit = <T>(request: Request): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (failure) return reject(failure);
      const job = { request, resolve: resolve as (result: unknown) => void, reject };
      if (request.op === 'sign') {
        const slot = owner.get(request.ticket);
        owner.delete(request.ticket);
        if (!slot) return reject(new Error(`No thread holds batch ${request.ticket}`));
        slot.own.push(job);
        next(slot);
        return;
      }
      waiting.push(job);
      const idle = slots.find((slot) => slot.job === null);
      if (idle) next(idle);
    });

  return {
    parallelism: slots.length,
    check: (lines) => submit<CheckedLines>({ op: 'check', ticket: nextTicket++, lines }),
    sign: (ticket, placed, issuedAt, operator) =>
      submit<SignedBackfillRecord[]>({ op: 'sign', ticket, placed, issuedAt: issuedAt.getTime(), operator }),
    timings: () => ({ ...timings }),
    async close() {
      await Promise.allSettled(slots.map((slot) => slot.ready));
      await Promise.all(slots.map((slot) => slot.thread?.terminate()));
    },
  };
}
