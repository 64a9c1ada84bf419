import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { parse as parseCsv } from 'csv-parse';
import type { Operator } from '../domain/audit/audit-event.ts';
import {
  type AcceptedLine,
  admitBackfillLines,
  type BackfillCounts,
  type BackfillLine,
  type BackfillPorts,
  type BackfillReject,
  commitBackfillBatch,
  type SignedBackfillRecord,
} from '../domain/lifecycle/backfill.ts';
import { recordOfCsvRow } from './backfill-csv.ts';

/**
 * Lines per unit of work: large enough to amortise the commit and a message to a worker thread,
 * small enough to redo cheaply after a stop.
 */
const BATCH_LINES = 500;

/**
 * At most this many batches per unit of work of the register. The certificates' indexes take
 * random keys (number, identifier, lineage, mother's ID number, birth time), so a commit writes a
 * page of each index for nearly every row it adds; a unit of several batches writes each touched
 * page once for more rows (commit time per record −26 % with 4 batches against 1). A commit takes
 * the batches signed by then, so units grow when committing is what holds the run back.
 */
const COMMIT_BATCHES = 4;

/** Batches between two full collections of this thread's heap (BackfillPorts.compactMemory). */
const COMPACT_EVERY_BATCHES = 5;

export interface BackfillOptions {
  /** Where rejected lines go; defaults to `<file>.rejects.ndjson`. */
  rejectFile?: string;
  /** A terminal gets a progress bar; anything else a plain line every `progressEverySeconds`. */
  tty: boolean;
  progressEverySeconds?: number;
  log: (line: string) => void;
}

export interface BackfillSummary extends BackfillCounts {
  lines: number;
  seconds: number;
  rejectFile: string;
  resumedAfterLine: number;
  /**
   * Milliseconds (wall clock) per stage this run: admitting and committing on this thread,
   * checking and signing summed over the worker threads.
   */
  stages: { admitMs: number; commitMs: number; checkMs: number; signMs: number };
}

/**
 * The input's identity (a run of the same bytes continues the earlier run, whatever the file is
 * called) and its number of lines, for the progress bar's total, in one pass.
 */
async function fingerprint(file: string): Promise<{ source: string; lines: number }> {
  const hash = createHash('sha256');
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(file)) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) lines++;
    if (bytes.length > 0) last = bytes[bytes.length - 1]!;
  }
  if (last !== 0x0a) lines++;
  return { source: `sha256:${hash.digest('hex')}`, lines: isCsv(file) ? Math.max(lines - 1, 0) : lines };
}

const isCsv = (file: string) => file.toLowerCase().endsWith('.csv');

/** The records of an NDJSON or CSV file with their line numbers (1-based; a CSV's header is line 1). */
async function* readLines(file: string): AsyncGenerator<BackfillLine> {
  if (isCsv(file)) {
    const parser = createReadStream(file).pipe(
      parseCsv({ columns: true, info: true, bom: true, relax_column_count: false }),
    );
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      yield { line: info.lines, record: recordOfCsvRow(record) };
    }
    return;
  }
  let line = 0;
  // Parsed by the worker threads with the rest of the checks.
  for await (const text of textLines(file)) {
    line++;
    if (text.trim() !== '') yield { line, text };
  }
}

/**
 * The file's lines (LF or CRLF), read as they are consumed: a chunk is read only when the lines
 * before it are taken, so the input is never held whole. (readline's async iterator queues every
 * line of a file that is read faster than it is consumed, which here is always.)
 */
export async function* textLines(file: string): AsyncGenerator<string> {
  let carry: Buffer | null = null;
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) {
    const bytes: Buffer = carry ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let end = bytes.indexOf(0x0a); end !== -1; end = bytes.indexOf(0x0a, start)) {
      const stop = end > start && bytes[end - 1] === 0x0d ? end - 1 : end;
      yield bytes.toString('utf8', start, stop);
      start = end + 1;
    }
    carry = start < bytes.length ? Buffer.from(bytes.subarray(start)) : null;
  }
  if (carry) yield carry.toString('utf8', 0, carry[carry.length - 1] === 0x0d ? carry.length - 1 : carry.length);
}

/**
 * `backfill <file>`: back-issues every record of the file (docs/backfill.md), continuing an
 * earlier run of the same input after its last committed line.
 */
export async function runBackfill(
  ports: BackfillPorts,
  operator: Operator,
  file: string,
  options: BackfillOptions,
): Promise<BackfillSummary> {
  const started = Date.now();
  const { source, lines: total } = await fingerprint(file);
  const run = ports.progress.open(source, path.basename(file), ports.clock.now());
  const resumedAfterLine = run.linesDone;
  if (resumedAfterLine > 0) options.log(`continuing an earlier run of this input after line ${resumedAfterLine}`);

  const counts: BackfillCounts = { issued: run.issued, rejected: run.rejected, skipped: run.skipped };
  let done = counts.issued + counts.rejected + counts.skipped;
  const doneAtStart = done;
  const progress = createProgress(options, total, done, started);

  /*
   * A pipeline: while the worker threads check and sign some batches, this thread admits and
   * commits others. Admission and commits go in input order (each waits for the batch before),
   * so the run's progress only ever names a line all before which is committed, and of two
   * lines with one number the first is the one issued.
   */
  const pending = new Set<string>();
  const stages = { admitMs: 0, commitMs: 0, checkMs: 0, signMs: 0 };
  let batchesSinceCompaction = 0;
  let admitted: Promise<unknown> = Promise.resolve();
  let committed: Promise<unknown> = Promise.resolve();
  const inFlight: Promise<void>[] = [];
  // Twice a group: the worker threads check and sign the next group while one commits.
  const window = Math.max(2 * COMMIT_BATCHES, ports.workers.parallelism * 2);
  /** The first failure of a batch: the run stops, and no later batch commits. */
  let stopped: { error: unknown } | null = null;
  /** Signed batches waiting for the rest of their group, in input order. */
  let group: {
    admitted: AcceptedLine[];
    records: SignedBackfillRecord[];
    rejects: BackfillReject[];
    skipped: number;
    lastLine: number;
    lines: number;
  }[] = [];
  const commitGroup = () => {
    if (group.length === 0) return;
    const batches = group;
    group = [];
    const t = performance.now();
    const outcome = commitBackfillBatch(
      ports,
      operator,
      source,
      {
        records: batches.flatMap((b) => b.records),
        rejects: batches.flatMap((b) => b.rejects),
        skipped: batches.reduce((sum, b) => sum + b.skipped, 0),
        lastLine: batches.at(-1)!.lastLine,
      },
      ports.clock.now(),
    );
    bulk?.committed();
    stages.commitMs += performance.now() - t;
    for (const b of batches) for (const entry of b.admitted) pending.delete(entry.certificateNo);
    counts.issued += outcome.issued;
    counts.rejected += outcome.rejected;
    counts.skipped += outcome.skipped;
    done += batches.reduce((sum, b) => sum + b.lines, 0);
    progress.update(done, counts);
    batchesSinceCompaction += batches.length;
    if (batchesSinceCompaction >= COMPACT_EVERY_BATCHES) {
      batchesSinceCompaction = 0;
      ports.compactMemory?.();
    }
  };
  let flushScheduled = false;
  const flush = () => {
    flushScheduled = false;
    try {
      commitGroup();
    } catch (error) {
      stopped ??= { error };
    }
  };
  const process = (lines: BackfillLine[]): Promise<void> => {
    const lastLine = lines.at(-1)!.line;
    const checked = ports.workers.check(lines);
    const admission = Promise.all([checked, admitted]).then(([result]) => {
      const t = performance.now();
      const issuedAt = ports.clock.now();
      const outcome = { issuedAt, ticket: result.ticket, ...admitBackfillLines(ports, result, pending, issuedAt) };
      stages.admitMs += performance.now() - t;
      return outcome;
    });
    admitted = admission.catch(() => {});
    const signed = admission.then((a) =>
      ports.workers.sign(
        a.ticket,
        a.admitted.map((entry, i) => ({ line: entry.line, place: a.places[i]! })),
        a.issuedAt,
        operator,
      ),
    );
    // In input order: the batch joins its group, and the group's last batch commits it.
    const commit = Promise.all([admission, signed, committed]).then(([a, records]) => {
      // Nothing after a failed batch commits: the run's progress must not pass its lines.
      if (stopped) throw stopped.error;
      const { admitted, rejects, skipped } = a;
      group.push({ admitted, records, rejects, skipped, lastLine, lines: lines.length });
      if (group.length >= COMMIT_BATCHES) commitGroup();
      else if (!flushScheduled) {
        // After the events already here: admissions first (the threads wait for them), and the
        // batches signed meanwhile join this unit.
        flushScheduled = true;
        setImmediate(flush);
      }
    });
    committed = commit.catch((error: unknown) => {
      stopped ??= { error };
    });
    return commit;
  };

  let batch: BackfillLine[] = [];
  const bulk = ports.bulkWrites?.();
  try {
    for await (const entry of readLines(file)) {
      if (entry.line <= resumedAfterLine) continue;
      batch.push(entry);
      if (batch.length < BATCH_LINES) continue;
      inFlight.push(process(batch));
      batch = [];
      if (inFlight.length >= window) await inFlight.shift();
    }
    if (batch.length > 0) inFlight.push(process(batch));
    // The last group, however short, after every batch before it.
    inFlight.push(
      Promise.all(inFlight).then(() => {
        commitGroup();
        if (stopped) throw stopped.error;
      }),
    );
    while (inFlight.length > 0) await inFlight.shift();
  } finally {
    // A failed batch stops the run; the others settle before the workers go.
    await Promise.allSettled(inFlight);
    await ports.workers.close();
    await bulk?.finish();
  }
  ports.progress.finish(source, ports.clock.now());
  progress.stop();

  // Written whole from the register of rejects, so a resumed run's file lists every reject once.
  const rejectFile = options.rejectFile ?? `${file}.rejects.ndjson`;
  const out = createWriteStream(rejectFile);
  for (const reject of ports.progress.rejects(source)) {
    if (!out.write(`${JSON.stringify(reject)}\n`))
      await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));

  const seconds = (Date.now() - started) / 1000;
  Object.assign(stages, ports.workers.timings?.());
  for (const key of Object.keys(stages) as (keyof typeof stages)[]) stages[key] = Math.round(stages[key]);
  const summary = { ...counts, lines: done, seconds, rejectFile, resumedAfterLine, stages };
  const rate = Math.round((done - doneAtStart) / Math.max(seconds, 0.001));
  options.log(
    `backfill done: ${counts.issued} issued, ${counts.rejected} rejected, ${counts.skipped} skipped ` +
      `(already back-issued) in ${seconds.toFixed(1)} s (${rate} records/s this run); rejects: ${rejectFile}`,
  );
  return summary;
}

function createProgress(options: BackfillOptions, total: number, done: number, started: number) {
  if (options.tty) {
    const bar = new cliProgress.SingleBar(
      {
        format:
          'backfill [{bar}] {value}/{total} records | {rate}/s | ETA {eta_formatted} | {issued} issued, {rejected} rejected, {skipped} skipped',
        etaBuffer: 20,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, done, { rate: 0, issued: 0, rejected: 0, skipped: 0 });
    return {
      update(value: number, counts: BackfillCounts) {
        bar.update(value, {
          ...counts,
          rate: Math.round((value - done) / Math.max((Date.now() - started) / 1000, 0.001)),
        });
      },
      stop: () => bar.stop(),
    };
  }
  const everyMs = (options.progressEverySeconds ?? 5) * 1000;
  let last = started;
  return {
    update(value: number, counts: BackfillCounts) {
      const now = Date.now();
      if (now - last < everyMs && value < total) return;
      last = now;
      const rate = (value - done) / Math.max((now - started) / 1000, 0.001);
      const eta = rate > 0 ? Math.round((total - value) / rate) : 0;
      options.log(
        `backfill ${value}/${total} records, ${Math.round(rate)}/s, ETA ${eta} s: ` +
          `${counts.issued} issued, ${counts.rejected} rejected, ${counts.skipped} skipped`,
      );
    },
    stop: () => {},
  };
}
