import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFName, type PDFRawStream } from 'pdf-lib';

/**
 * How many bytes inflating one request's PDF may produce. A certificate PDF inflates to well under
 * 1 MB (object streams, the page, the QR form, two attachments of a few KB each); a crafted
 * "deflate bomb" of a few KB would otherwise inflate to gigabytes.
 */
export interface InflationLimits {
  /** Per stream, after every filter stage. */
  perStreamBytes: number;
  /** All streams of one request together, intermediate stages included. */
  totalBytes: number;
}

export const DEFAULT_INFLATION_LIMITS: InflationLimits = {
  perStreamBytes: 2 * 1024 * 1024,
  totalBytes: 8 * 1024 * 1024,
};

/** A stream would inflate past its cap: the PDF is refused, nothing more is inflated. */
export class InflationLimitError extends Error {
  readonly code = 'INFLATION_LIMIT';
}

/** A stream whose filter we do not decode, or whose data is not valid zlib. */
export class StreamDecodeError extends Error {
  readonly code = 'STREAM_DECODE';
}

export class InflationBudget {
  private remaining: number;
  /**
   * Why a cap was hit, once one was: pdf-lib catches errors thrown while it parses an object and
   * reports the object as invalid, so callers ask the budget rather than the error.
   */
  exceeded: string | null = null;
  constructor(readonly limits: InflationLimits = DEFAULT_INFLATION_LIMITS) {
    this.remaining = limits.totalBytes;
  }

  /**
   * Decodes a stream's FlateDecode stages with node's zlib, which stops producing output at
   * `maxOutputLength` (pdf-lib's own inflater decodes a whole deflate block at once, however large
   * a crafted block makes it). Other filters are refused: our PDFs use none.
   */
  decode(stream: PDFRawStream, capBytes = this.limits.perStreamBytes): Uint8Array {
    const filter = stream.dict.lookup(PDFName.of('Filter'));
    const filters =
      filter === undefined
        ? []
        : filter instanceof PDFArray
          ? filter.asArray().map((f) => stream.dict.context.lookup(f))
          : [filter];
    let data: Uint8Array = stream.contents;
    for (const stage of filters) {
      if (stage !== PDFName.of('FlateDecode'))
        throw new StreamDecodeError('a stream uses a filter other than FlateDecode');
      const cap = Math.min(capBytes, this.remaining);
      if (cap <= 0) {
        this.exceeded = `the streams inflate past ${this.limits.totalBytes} bytes in total`;
        throw new InflationLimitError(this.exceeded);
      }
      try {
        data = inflateSync(data, { maxOutputLength: cap });
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
          this.exceeded =
            cap < capBytes
              ? `the streams inflate past ${this.limits.totalBytes} bytes in total`
              : `a stream inflates past ${capBytes} bytes`;
          throw new InflationLimitError(this.exceeded);
        }
        throw new StreamDecodeError('a stream is not valid FlateDecode data');
      }
      this.remaining -= data.length;
    }
    return data;
  }
}

/**
 * pdf-lib inflates object streams while it loads a document, with no limit. It reads
 * `decodePDFRawStream` from its decode module at each call, so replacing that export routes those
 * streams through `budget()` too. Used only inside the PDF worker, whose pdf-lib (loaded by node,
 * not a bundler) is the CommonJS build this path names.
 */
export function routePdfLibDecodingThrough(budget: () => InflationBudget): void {
  const require = createRequire(import.meta.url);
  const decodeModule = require('pdf-lib/cjs/core/streams/decode.js') as {
    decodePDFRawStream: (stream: PDFRawStream) => { decode(): Uint8Array };
  };
  decodeModule.decodePDFRawStream = (stream) => ({ decode: () => budget().decode(stream) });
}
