import { DomainError } from '../errors.ts';
import type { Clock } from '../ports.ts';

/** The issued PDFs as stored (online register). */
export interface StoredPdfs {
  /** Up to `limit` PDFs with a number after `cursor`, by number. */
  batchAfter(cursor: string, limit: number): { certificateNo: string; pdf: Uint8Array; pdfDigest: string }[];
  /** Stores new bytes if the PDF still has `expectedDigest`, keeping that digest acceptable; false otherwise. */
  replace(certificateNo: string, expectedDigest: string, pdf: Uint8Array, at: Date): boolean;
}

export interface RetimestampPorts {
  pdfs: StoredPdfs;
  /** When the newest timestamp in the PDF stops being checkable (its TSA certificate's end); null: none. */
  timestampExpiry(pdf: Uint8Array): Promise<Date | null>;
  /** The active timestamp authority's certificate end; null when there is none. */
  activeTsaExpiry(): Date | null;
  /** Certifies a new timestamp authority key (the root key must be here); returns its certificate's end. */
  renewTimestampAuthority(): Promise<Date>;
  /** Appends validation data (DSS) and a document timestamp by the active authority: PAdES B-LTA renewed. */
  extend(pdf: Uint8Array): Promise<Uint8Array>;
  clock: Clock;
}

export interface RetimestampReport {
  examined: number;
  retimestamped: number;
  /** Changed by someone else between reading and storing; picked up by the next run. */
  skippedChanged: number;
  /** Set when the timestamp authority itself was renewed first. */
  renewedTsaUntil: string | null;
}

const DAY_MS = 86_400_000;
const BATCH = 100;

/**
 * Re-timestamps every stored PDF whose newest timestamp was made under a TSA certificate that
 * ends within `withinDays`: a new document timestamp (ISO 32000-2 archive timestamp) over the
 * whole file, with fresh validation data, by a TSA certificate that outlives the old one. The
 * timestamp authority is renewed first when its own certificate ends within the window. Runs
 * again at no cost: PDFs already covered are left alone.
 */
export async function retimestampPdfs(ports: RetimestampPorts, withinDays: number): Promise<RetimestampReport> {
  const now = ports.clock.now();
  const horizon = new Date(now.getTime() + withinDays * DAY_MS);
  let tsaEnd = ports.activeTsaExpiry();
  let renewedTsaUntil: string | null = null;
  if (!tsaEnd || tsaEnd <= horizon) {
    tsaEnd = await ports.renewTimestampAuthority();
    renewedTsaUntil = tsaEnd.toISOString();
    if (tsaEnd <= horizon) {
      throw new DomainError(
        'KEY_NOT_USABLE',
        `A new timestamp authority certificate ends ${renewedTsaUntil}, within the window`,
      );
    }
  }
  const report: RetimestampReport = { examined: 0, retimestamped: 0, skippedChanged: 0, renewedTsaUntil };
  let cursor = '';
  for (;;) {
    const batch = ports.pdfs.batchAfter(cursor, BATCH);
    if (batch.length === 0) return report;
    for (const stored of batch) {
      report.examined++;
      const expiry = await ports.timestampExpiry(stored.pdf);
      if (expiry && expiry > horizon) continue;
      const extended = await ports.extend(stored.pdf);
      if (ports.pdfs.replace(stored.certificateNo, stored.pdfDigest, extended, ports.clock.now()))
        report.retimestamped++;
      else report.skippedChanged++;
    }
    cursor = batch.at(-1)!.certificateNo;
  }
}
