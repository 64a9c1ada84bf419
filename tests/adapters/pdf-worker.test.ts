import { afterEach, describe, expect, it } from 'vitest';
import {
  createWorkerPdfInspector,
  DEFAULT_PDF_WORKER_OPTIONS,
  type PdfWorkerOptions,
} from '../../src/adapters/pdf/worker-pdf-inspector.ts';
import { zerosDeflated } from '../fixtures/pdf-bomb.ts';

/** A PDF whose one object stream inflates to `mebibytes` MiB: pdf-lib inflates it while loading. */
function objectStreamBomb(mebibytes: number): Uint8Array {
  const data = zerosDeflated(mebibytes);
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const add = (chunk: string | Buffer) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    parts.push(bytes);
    length += bytes.length;
  };
  add('%PDF-1.7\n');
  offsets.push(length);
  add('1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n');
  offsets.push(length);
  add('2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n');
  offsets.push(length);
  add(`3 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${data.length} >>\nstream\n`);
  add(data);
  add('\nendstream\nendobj\n');
  const xref = length;
  add(`xref\n0 4\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`);
  add(`trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return new Uint8Array(Buffer.concat(parts));
}

let inspector: ReturnType<typeof createWorkerPdfInspector> | undefined;
const open = (options: Partial<PdfWorkerOptions> = {}) => {
  inspector = createWorkerPdfInspector({ ...DEFAULT_PDF_WORKER_OPTIONS, ...options });
  return inspector;
};
afterEach(async () => {
  await inspector?.close();
  inspector = undefined;
});

describe('the PDF worker pool', () => {
  it('inflates the object streams pdf-lib reads while loading under the per-stream cap too', async () => {
    const result = await open().readContents(objectStreamBomb(64));
    expect(result).toEqual({ ok: false, reason: 'RESOURCE_LIMIT', detail: 'a stream inflates past 2097152 bytes' });
  });

  it('caps the bytes one request inflates in total', async () => {
    const pdf = open({ inflation: { perStreamBytes: 8 * 1024 * 1024, totalBytes: 1024 * 1024 } });
    const result = await pdf.readContents(objectStreamBomb(4));
    expect(result).toEqual({
      ok: false,
      reason: 'RESOURCE_LIMIT',
      detail: 'the streams inflate past 1048576 bytes in total',
    });
  });

  it('refuses a PDF beyond its workers and queue with SERVICE_UNAVAILABLE instead of queueing it', async () => {
    const pdf = open({ workers: 1, queue: 0 });
    const first = pdf.readSignature(new Uint8Array(Buffer.from('%PDF-1.7\n%%EOF\n')));
    await expect(pdf.readSignature(new Uint8Array(8))).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    await expect(first).resolves.toMatchObject({ ok: false, reason: 'NO_SIGNATURE' });
  });

  it('ends a job that runs past its time limit and replaces the worker', async () => {
    const pdf = open({ workers: 1, timeoutMs: 1 });
    const big = new Uint8Array(4 * 1024 * 1024).fill(0x20);
    big.set(Buffer.from('%PDF-1.7\n'));
    expect(await pdf.readContents(big)).toEqual({
      ok: false,
      reason: 'RESOURCE_LIMIT',
      detail: 'reading the PDF takes longer than 1 ms',
    });
  });
});
