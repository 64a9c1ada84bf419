/**
 * Certificate PDFs rendered and signed in worker threads (render-worker.ts), one per core by
 * default, so issuing uses every core while the event loop stays free for requests. The key
 * store stays on this thread: a worker asks it for each signature over the port, and it signs
 * only with the keys named by the job that worker is rendering (the institution's key and the
 * job's TSA key); no key material crosses between threads.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DomainError, type ErrorCode } from '../../domain/errors.ts';
import type { Clock, KeyStore, SigningKey } from '../../domain/ports.ts';
import type { CertificateView } from './certificate-view.ts';
import type { LoadFontsOptions } from './fonts.ts';
import type { ValidationData } from './sign-pdf.ts';

/** Everything a worker needs for one PDF, all of it public: the view, the signed texts, certificates. */
export interface PdfRenderJob {
  view: CertificateView;
  qrText: string;
  licenceId: string;
  signedJson: string;
  signingKey: SigningKey;
  nowMs: number;
  /** B-T … B-LTA: the active TSA key (its kid and certificate) and the DSS contents; null: B-B. */
  pades: { tsa: { kid: string; x509Pem: string }; validationData: ValidationData } | null;
}

export type RenderWorkerRequest =
  | { type: 'render'; id: number; job: PdfRenderJob }
  | { type: 'answer'; ask: number; value: unknown }
  | { type: 'answer'; ask: number; error: string };

export type RenderWorkerReply =
  | { type: 'ready' }
  | { type: 'sign'; ask: number; job: number; kid: string; data: Uint8Array }
  | { type: 'now'; ask: number; job: number }
  | { type: 'done'; id: number; pdf: Uint8Array }
  | { type: 'failed'; id: number; error: string; code: string | null };

export interface PdfRenderPool {
  readonly threads: number;
  render(job: PdfRenderJob): Promise<Uint8Array>;
  /** Resolves once every worker has parsed and warmed its fonts. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

interface Pending {
  id: number;
  job: PdfRenderJob;
  resolve(pdf: Uint8Array): void;
  reject(error: unknown): void;
}

interface Slot {
  thread: Worker;
  ready: Promise<void>;
  /** Jobs this worker holds: up to JOBS_PER_WORKER, so it renders one while another waits for a signature. */
  current: Map<number, Pending>;
}

/** A worker waits on this thread for each private-key operation (three per B-LTA PDF); a second job fills those waits. */
const JOBS_PER_WORKER = 2;

/** The worker's entry as this process can load it: compiled JavaScript directly, TypeScript through tsx's API. */
function workerSource(
  entry = new URL(import.meta.url.endsWith('.ts') ? './render-worker.ts' : './render-worker.js', import.meta.url),
): { code: string | URL; eval: boolean } {
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

export function createPdfRenderPool(deps: {
  keyStore: Pick<KeyStore, 'sign'>;
  clock: Clock;
  threads?: number;
  fonts?: LoadFontsOptions;
  /** Another worker entry speaking the same protocol (tests: a worker that asks for a foreign key). */
  entry?: URL;
}): PdfRenderPool {
  const source = workerSource(deps.entry);
  const waiting: Pending[] = [];
  let nextId = 1;
  let closed = false;

  const start = (): Slot => {
    const thread = new Worker(source.code, { eval: source.eval, workerData: { fonts: deps.fonts ?? {} } });
    thread.unref();
    const slot: Slot = {
      thread,
      current: new Map(),
      ready: new Promise<void>((resolve, reject) => {
        thread.once('error', reject);
        thread.on('message', (message: RenderWorkerReply) => {
          if (message.type === 'ready') resolve();
        });
      }),
    };
    slot.ready.catch(() => undefined);
    thread.on('message', (message: RenderWorkerReply) => void answer(slot, message));
    thread.on('error', (error) => fail(slot, error));
    thread.on('exit', () => fail(slot, new Error('a PDF render worker stopped')));
    return slot;
  };

  const slots: Slot[] = Array.from({ length: Math.max(1, deps.threads ?? availableParallelism()) }, start);

  /** Only the keys of the job this worker is rendering, and only while it renders it. */
  const allowedKid = (slot: Slot, id: number, kid: string) => {
    const job = slot.current.get(id)?.job;
    return job !== undefined && (kid === job.signingKey.kid || kid === job.pades?.tsa.kid);
  };

  async function answer(slot: Slot, message: RenderWorkerReply) {
    switch (message.type) {
      case 'sign':
      case 'now': {
        let reply: RenderWorkerRequest;
        try {
          if (message.type === 'now') reply = { type: 'answer', ask: message.ask, value: deps.clock.now().getTime() };
          else {
            if (!allowedKid(slot, message.job, message.kid))
              throw new Error('signature refused: not a key of this job');
            reply = { type: 'answer', ask: message.ask, value: await deps.keyStore.sign(message.kid, message.data) };
          }
        } catch (error) {
          reply = { type: 'answer', ask: message.ask, error: error instanceof Error ? error.message : String(error) };
        }
        slot.thread.postMessage(reply);
        return;
      }
      case 'done':
      case 'failed': {
        const pending = slot.current.get(message.id);
        if (!pending) return;
        slot.current.delete(message.id);
        if (message.type === 'done') pending.resolve(message.pdf);
        else
          pending.reject(
            message.code === 'NO_SIGNING_KEY' || message.code === 'SERVICE_UNAVAILABLE'
              ? new DomainError(message.code as ErrorCode, message.error)
              : new Error(`PDF rendering failed: ${message.error}`),
          );
        next(slot);
        return;
      }
    }
  }

  /** A worker that died fails its job only; a fresh one takes its place. */
  function fail(slot: Slot, error: unknown) {
    const index = slots.indexOf(slot);
    if (index < 0) return;
    for (const pending of slot.current.values()) pending.reject(error);
    slot.current.clear();
    void slot.thread.terminate();
    if (closed) return;
    const fresh = start();
    slots[index] = fresh;
    next(fresh);
  }

  function next(slot: Slot) {
    if (slot.current.size >= JOBS_PER_WORKER || closed) return;
    const pending = waiting.shift();
    if (!pending) return;
    slot.current.set(pending.id, pending);
    slot.ready.then(
      () => slot.thread.postMessage({ type: 'render', id: pending.id, job: pending.job } satisfies RenderWorkerRequest),
      (error: unknown) => fail(slot, error),
    );
  }

  return {
    get threads() {
      return slots.length;
    },
    render(job) {
      if (closed) return Promise.reject(new DomainError('SERVICE_UNAVAILABLE', 'The service is stopping'));
      return new Promise<Uint8Array>((resolve, reject) => {
        waiting.push({ id: nextId++, job, resolve, reject });
        // The least busy worker first: every core gets a job before any worker gets a second.
        const free = slots.reduce<Slot | null>(
          (best, slot) => (slot.current.size < (best?.current.size ?? JOBS_PER_WORKER) ? slot : best),
          null,
        );
        if (free) next(free);
      });
    },
    async ready() {
      await Promise.all(slots.map((slot) => slot.ready));
    },
    async close() {
      closed = true;
      const stopping = new DomainError('SERVICE_UNAVAILABLE', 'The service is stopping');
      for (const pending of waiting.splice(0)) pending.reject(stopping);
      const all = slots.splice(0);
      for (const slot of all) for (const pending of slot.current.values()) pending.reject(stopping);
      await Promise.all(all.map((slot) => slot.thread.terminate()));
    },
  };
}
