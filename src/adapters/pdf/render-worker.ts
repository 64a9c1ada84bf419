/**
 * A PDF render worker thread (see render-pool.ts): lays out, saves and signs certificate PDFs,
 * one at a time, off the service's event loop. It holds no private key: every private-key
 * operation (the institution's CMS signature, the timestamp authority's token signature) goes
 * back over the port to the main thread's key store, which signs only with the keys of the job
 * in hand. Fonts are parsed and warmed here once, before the thread reports ready.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { KeyStore } from '../../domain/ports.ts';
import type { SigningKeyRecord } from '../../domain/trust/ports.ts';
import { timestampDigest } from '../../domain/trust/timestamp-authority.ts';
import { nodeTimestampTokens } from '../pki/timestamp-authority.ts';
import { type LoadFontsOptions, loadFonts } from './fonts.ts';
import { renderCertificatePdf, warmUpFonts } from './render.ts';
import type { PdfRenderJob, RenderWorkerReply, RenderWorkerRequest } from './render-pool.ts';

const port = parentPort!;
const fonts = loadFonts((workerData as { fonts?: LoadFontsOptions } | undefined)?.fonts ?? {});
await warmUpFonts(fonts);

let nextAsk = 1;
const asks = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

type Question = { type: 'sign'; job: number; kid: string; data: Uint8Array } | { type: 'now'; job: number };

function ask<T>(question: Question): Promise<T> {
  const id = nextAsk++;
  return new Promise<T>((resolve, reject) => {
    asks.set(id, { resolve: resolve as (value: unknown) => void, reject });
    port.postMessage({ ...question, ask: id } as RenderWorkerReply);
  });
}

/** The main thread's key store, reached over the port: it hands out signatures, never keys. */
const remoteKeyStore = (job: number): Pick<KeyStore, 'sign'> => ({
  sign: (kid, data) => ask<Uint8Array>({ type: 'sign', job, kid, data }),
});

async function render(id: number, job: PdfRenderJob): Promise<Uint8Array> {
  const keyStore = remoteKeyStore(id) as KeyStore;
  const pades = job.pades;
  return renderCertificatePdf({
    ...job,
    now: new Date(job.nowMs),
    keyStore,
    fonts,
    pades: pades
      ? {
          async timestamp(digest) {
            // The token's time is the main thread's clock at the moment of timestamping.
            const genTime = new Date(await ask<number>({ type: 'now', job: id }));
            const tsa = { ...pades.tsa } as SigningKeyRecord;
            return timestampDigest(
              {
                register: { active: (purpose) => (purpose === 'tsa' ? tsa : null) },
                keyStore,
                tokens: nodeTimestampTokens,
                clock: { now: () => genTime },
              },
              digest,
            );
          },
          validationData: async () => pades.validationData,
        }
      : null,
  });
}

port.on('message', (message: RenderWorkerRequest) => {
  if (message.type === 'answer') {
    const pending = asks.get(message.ask);
    asks.delete(message.ask);
    if ('error' in message) pending?.reject(new Error(message.error));
    else pending?.resolve(message.value);
    return;
  }
  render(message.id, message.job).then(
    (rendered) => {
      // Moved, not copied; a view into a shared buffer is copied first.
      const pdf =
        rendered.byteOffset === 0 && rendered.byteLength === rendered.buffer.byteLength ? rendered : rendered.slice();
      port.postMessage({ type: 'done', id: message.id, pdf } satisfies RenderWorkerReply, [pdf.buffer as ArrayBuffer]);
    },
    (error: unknown) =>
      port.postMessage({
        type: 'failed',
        id: message.id,
        error: error instanceof Error ? error.message : String(error),
        code: (error as { code?: string }).code ?? null,
      } satisfies RenderWorkerReply),
  );
});
port.postMessage({ type: 'ready' } satisfies RenderWorkerReply);
