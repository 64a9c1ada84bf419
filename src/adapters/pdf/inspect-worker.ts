/**
 * The PDF worker's entry: parses uploaded PDFs off the service's event loop. One job at a time;
 * every stream it inflates, pdf-lib's object streams included, counts against that job's budget.
 */
import { parentPort } from 'node:worker_threads';
import { InflationBudget, type InflationLimits, routePdfLibDecodingThrough } from './capped-decode.ts';
import { readPdfContents, readPdfSignature } from './inspect.ts';

export interface PdfJob {
  id: number;
  op: 'signature' | 'contents';
  bytes: Uint8Array;
  limits: InflationLimits;
}

let budget = new InflationBudget();
routePdfLibDecodingThrough(() => budget);

parentPort?.on('message', async (job: PdfJob) => {
  budget = new InflationBudget(job.limits);
  const result = job.op === 'signature' ? readPdfSignature(job.bytes) : await readPdfContents(job.bytes, budget);
  parentPort?.postMessage({ id: job.id, result });
});
// Told once the modules are loaded: the per-job timeout starts after this, not during start-up.
parentPort?.postMessage({ ready: true });
