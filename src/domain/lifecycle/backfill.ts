import { type AuditLog, eventBy, type Operator } from '../audit/audit-event.ts';
import type { Certificate } from '../certificate.ts';
import type { ErrorDetail } from '../errors.ts';
import type { EventOutbox } from '../events/birth-event.ts';
import { backfilledEvent } from '../events/lifecycle-events.ts';
import type { InstitutionRecord } from '../institution.ts';
import type { StatusReference } from '../verification/ports.ts';
import { envelope } from './compose.ts';
import type { LifecyclePorts } from './ports.ts';
import type { CertificateRecord } from './records.ts';

/*
 * Back-issuance (补录) of paper certificates as e-licences: the paper's number and original issue
 * date, the issuing institution's current key, `supersedes` empty, marked back-issued, no number
 * from stock and no PDF until its first download.
 *
 * A batch of input lines goes through four steps. `checkBackfillLines` (parse, validate by the
 * API's rules) and `signBackfillRecords` (two ECDSA signatures each) are pure CPU and run on
 * worker threads (`BackfillWorkers`), one batch per core; admitting (idempotency, status-list
 * places) and committing (certificates, audit events, outbox events, rejects and the run's
 * progress in one unit of work) touch the register and stay on the calling thread, in input
 * order, so a run stopped at any moment continues after its last committed line.
 */

/** One line of the input: its text (NDJSON), its record as read (CSV), or why it could not be read. */
export type BackfillLine =
  | { line: number; text: string }
  | { line: number; record: unknown }
  | { line: number; unreadable: string };

export interface BackfillCounts {
  issued: number;
  rejected: number;
  skipped: number;
}

export interface BackfillReject {
  line: number;
  certificateNo: string | null;
  errors: ErrorDetail[];
}

/** How far a run over one input got; kept with the certificates, in the same unit of work. */
export interface BackfillProgressStore {
  /** The run of this input, started now if there is none. */
  open(source: string, fileName: string, at: Date): BackfillCounts & { linesDone: number; finishedAt: string | null };
  advance(source: string, linesDone: number, batch: BackfillCounts, at: Date): void;
  reject(source: string, reject: BackfillReject): void;
  finish(source: string, at: Date): void;
  rejects(source: string): Iterable<BackfillReject>;
}

/**
 * A line that passed validation, as the calling thread sees it: its number and issuer. The
 * certificate itself stays with the worker that checked it until that worker signs it, so it
 * crosses between threads once (as the signed record), not three times.
 */
export interface AcceptedLine {
  line: number;
  certificateNo: string;
  institution: string;
}

export interface CheckedLines {
  /** Names the checked certificates held by the worker for `sign`. */
  ticket: number;
  accepted: AcceptedLine[];
  rejects: BackfillReject[];
}

/**
 * A certificate's register row as the storage binds it, made by the thread that signed it
 * (BackfillSignPorts.storedRows): the committing thread only binds and steps it, and a record
 * crosses between threads as a flat row of strings rather than as nested objects. `shared` is
 * what many rows refer to and the storage keeps once (a batch's signature header): the first row
 * of a batch that refers to it carries it, so each batch brings what its rows need.
 */
export interface StoredBackfillRow {
  readonly values: readonly (string | number | null)[];
  readonly shared?: readonly (string | number | null)[];
}

/** A signed back-issued certificate as the committing thread gets it: what its audit and outbox events name, and its row. */
export interface SignedBackfillRecord {
  certificateNo: string;
  licenceId: string;
  lineage: string;
  version: number;
  institution: string;
  /** The paper's issue date and the birth place's division (the outbox event's). */
  certificate: Pick<Certificate, 'issueDate' | 'birthPlace'>;
  row: StoredBackfillRow;
}

/** An admitted line and its status-list place. */
export interface PlacedLine {
  line: number;
  place: StatusReference;
}

/** The CPU-bound steps, run where the cores are (worker threads, or in-process). */
export interface BackfillWorkers {
  check(lines: BackfillLine[]): Promise<CheckedLines>;
  /**
   * Signs the admitted lines of a checked ticket (in the order given) and lets the ticket go;
   * lines of the ticket not named are dropped.
   */
  sign(ticket: number, placed: PlacedLine[], issuedAt: Date, operator: Operator): Promise<SignedBackfillRecord[]>;
  /** How many batches it works on at once (the number of threads). */
  readonly parallelism: number;
  /** Milliseconds spent so far in each step, summed over the threads (the benchmark's stage table). */
  timings?(): { checkMs: number; signMs: number };
  close(): Promise<void>;
}

export type BackfillCheckPorts = Pick<LifecyclePorts, 'institutions' | 'validateCertificate'>;
export type BackfillSignPorts = Pick<LifecyclePorts, 'signer' | 'secrets' | 'licenceTypeCode'> & {
  /** The register rows of a batch's signed records, made on the signing thread (the storage's own serialisation). */
  storedRows(records: readonly CertificateRecord[]): StoredBackfillRow[];
};

export type BackfillPorts = Pick<LifecyclePorts, 'transactions' | 'register' | 'statusLists' | 'clock'> & {
  audit: Pick<AuditLog, 'recordAll'>;
  events: EventOutbox;
  progress: BackfillProgressStore;
  /** Inserts the rows made by `BackfillSignPorts.storedRows`, inside the caller's unit of work. */
  rows: { insert(row: StoredBackfillRow): void };
  workers: BackfillWorkers;
  /**
   * Storage tuned for a long run of commits (say, checkpoints off the committing thread) until
   * `finish`; told after each commit.
   */
  bulkWrites?: () => { committed(): void; finish(): Promise<void> };
  /** A full garbage collection of the committing thread, run every few batches to keep its memory flat. */
  compactMemory?: () => void;
};

/** The input's fields besides the certificate's surface items (docs/backfill.md). */
const ISSUER_FIELD = 'issuerCreditCode';

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The certificate a record describes, with the issuer filled in from the institution directory, or its errors. */
function certificateOf(
  ports: BackfillCheckPorts,
  institutions: Map<string, InstitutionRecord | null>,
  record: unknown,
): { certificate: Certificate } | { errors: ErrorDetail[] } {
  if (!isObject(record)) return { errors: [{ path: 'body', message: 'must be a JSON object' }] };
  const { [ISSUER_FIELD]: creditCode, ...items } = record;
  if (typeof creditCode !== 'string') {
    return { errors: [{ path: ISSUER_FIELD, message: 'is required: the issuing institution’s credit code' }] };
  }
  let institution = institutions.get(creditCode);
  if (institution === undefined) {
    institution = ports.institutions.find(creditCode);
    // Bounded: a file naming a million invented codes must not grow this without end.
    if (institutions.size < 10_000) institutions.set(creditCode, institution);
  }
  if (!institution) return { errors: [{ path: ISSUER_FIELD, message: 'names no institution of this service' }] };
  const certificate = {
    ...items,
    issuer: { name: institution.name, creditCode: institution.creditCode, divisionCode: institution.divisionCode },
  } as unknown as Certificate;
  // The same rules as a certificate issued through the API (schema, check digits, codes, glyphs).
  const errors = ports.validateCertificate(certificate);
  return errors.length > 0 ? { errors } : { certificate };
}

/** Parses and validates lines; `institutions` caches the directory across batches of one thread. */
export function checkBackfillLines(
  ports: BackfillCheckPorts,
  lines: readonly BackfillLine[],
  institutions: Map<string, InstitutionRecord | null> = new Map(),
): { accepted: { line: number; certificate: Certificate }[]; rejects: BackfillReject[] } {
  const accepted: { line: number; certificate: Certificate }[] = [];
  const rejects: BackfillReject[] = [];
  for (const entry of lines) {
    let record: unknown;
    if ('unreadable' in entry) {
      rejects.push({ line: entry.line, certificateNo: null, errors: [{ path: 'body', message: entry.unreadable }] });
      continue;
    }
    if ('text' in entry) {
      try {
        record = JSON.parse(entry.text);
      } catch (error) {
        const message = `is not valid JSON: ${(error as Error).message}`;
        rejects.push({ line: entry.line, certificateNo: null, errors: [{ path: 'body', message }] });
        continue;
      }
    } else record = entry.record;
    const outcome = certificateOf(ports, institutions, record);
    if ('errors' in outcome) {
      const no = isObject(record) && typeof record.certificateNo === 'string' ? record.certificateNo : null;
      rejects.push({ line: entry.line, certificateNo: no, errors: outcome.errors });
    } else accepted.push({ line: entry.line, certificate: outcome.certificate });
  }
  return { accepted, rejects };
}

/** What signing needs per certificate: it and its status-list place. */
export interface PlacedCertificate {
  certificate: Certificate;
  place: StatusReference;
}

/** The e-licences of placed certificates, both signatures each, signed at `issuedAt`. */
export async function signBackfillRecords(
  ports: BackfillSignPorts,
  items: readonly PlacedCertificate[],
  issuedAt: Date,
  operator: Operator,
): Promise<CertificateRecord[]> {
  const records: CertificateRecord[] = [];
  for (const { certificate, place } of items) {
    const lineage = ports.secrets.newLicenceSerial();
    const payload = envelope(
      certificate,
      { typeCode: ports.licenceTypeCode, serial: lineage, version: 1, supersedes: null },
      place,
    );
    const signed = await ports.signer.sign(payload, issuedAt);
    records.push({
      certificateNo: certificate.certificateNo,
      licenceId: payload.licence.id,
      lineage,
      version: 1,
      institution: certificate.issuer.creditCode,
      applicationId: null,
      kind: 'first',
      status: 'valid',
      statusReason: null,
      statusNote: null,
      statusChangedAt: null,
      supersedes: null,
      supersededBy: null,
      changeReason: null,
      householdRegisteredAtReissue: null,
      certificate: payload.certificate,
      licence: payload.licence,
      registrationItems: {},
      signedJson: signed.signedJson,
      licenceDigest: signed.licenceDigest,
      qrText: signed.qrText,
      issuedAt: issuedAt.toISOString(),
      issuedBy: operator.username,
      backfilled: true,
    });
  }
  return records;
}

/**
 * The checked certificates of one thread, by ticket, between `check` and `sign`: what a worker
 * thread (or the calling thread, in-process) keeps so the certificates need not travel.
 */
export function createBackfillTickets(ports: BackfillCheckPorts & BackfillSignPorts) {
  const institutions = new Map<string, InstitutionRecord | null>();
  const held = new Map<number, Map<number, Certificate>>();
  return {
    check(ticket: number, lines: readonly BackfillLine[]): CheckedLines {
      const checked = checkBackfillLines(ports, lines, institutions);
      held.set(ticket, new Map(checked.accepted.map((a) => [a.line, a.certificate])));
      return {
        ticket,
        rejects: checked.rejects,
        accepted: checked.accepted.map(({ line, certificate }) => ({
          line,
          certificateNo: certificate.certificateNo,
          institution: certificate.issuer.creditCode,
        })),
      };
    },
    sign(ticket: number, placed: readonly PlacedLine[], issuedAt: Date, operator: Operator) {
      const certificates = held.get(ticket);
      held.delete(ticket);
      if (!certificates) throw new Error(`No checked batch ${ticket} on this thread`);
      const items = placed.map(({ line, place }) => {
        const certificate = certificates.get(line);
        if (!certificate) throw new Error(`Line ${line} was not accepted in batch ${ticket}`);
        return { certificate, place };
      });
      return signBackfillRecords(ports, items, issuedAt, operator).then((records) => {
        const rows = ports.storedRows(records);
        return records.map((record, i) => signedBackfillRecord(record, rows[i]!));
      });
    },
  };
}

/** What the committing thread needs of a signed record: its events' items and its stored row. */
function signedBackfillRecord(record: CertificateRecord, row: StoredBackfillRow): SignedBackfillRecord {
  return {
    certificateNo: record.certificateNo,
    licenceId: record.licenceId,
    lineage: record.lineage,
    version: record.version,
    institution: record.institution,
    certificate: { issueDate: record.certificate.issueDate, birthPlace: record.certificate.birthPlace },
    row,
  };
}

/** The CPU-bound steps on the calling thread: for tests, and the one-core baseline of the benchmark. */
export function inProcessBackfillWorkers(ports: BackfillCheckPorts & BackfillSignPorts): BackfillWorkers {
  const tickets = createBackfillTickets(ports);
  const timings = { checkMs: 0, signMs: 0 };
  let next = 1;
  return {
    parallelism: 1,
    async check(lines) {
      const started = performance.now();
      const checked = tickets.check(next++, lines);
      timings.checkMs += performance.now() - started;
      return checked;
    },
    async sign(ticket, placed, issuedAt, operator) {
      const started = performance.now();
      const records = await tickets.sign(ticket, placed, issuedAt, operator);
      timings.signMs += performance.now() - started;
      return records;
    },
    timings: () => ({ ...timings }),
    close: async () => {},
  };
}

/**
 * Numbers already in the register are skipped (back-issued by an earlier run) or refused (issued
 * otherwise); so is a number a line before it in this run already took (`pending`: accepted but
 * not committed yet). The rest get their status-list places, in a unit of work of their own: a
 * number keeps its place when a stopped batch is run again, and the place goes into what is signed.
 */
export function admitBackfillLines(
  ports: Pick<BackfillPorts, 'register' | 'statusLists'>,
  checked: CheckedLines,
  pending: Set<string>,
  issuedAt: Date,
): { admitted: AcceptedLine[]; places: StatusReference[]; rejects: BackfillReject[]; skipped: number } {
  const rejects = [...checked.rejects];
  const admitted: AcceptedLine[] = [];
  let skipped = 0;
  for (const entry of checked.accepted) {
    const no = entry.certificateNo;
    const backfilled = pending.has(no) ? true : ports.register.backfilledOf(no);
    if (backfilled === true) {
      skipped++;
      continue;
    }
    if (backfilled === false) {
      rejects.push({
        line: entry.line,
        certificateNo: no,
        errors: [
          { path: 'certificateNo', message: 'is already in the register as an e-licence issued by this service' },
        ],
      });
      continue;
    }
    pending.add(no);
    admitted.push(entry);
  }
  rejects.sort((a, b) => a.line - b.line);
  const places = ports.statusLists.assignAll(admitted, issuedAt);
  return { admitted, places, rejects, skipped };
}

/**
 * One unit of work: the certificates, one audit event and one outbox event each, the rejects
 * and the run's progress up to `lastLine`.
 */
export function commitBackfillBatch(
  ports: Pick<BackfillPorts, 'transactions' | 'rows' | 'audit' | 'events' | 'progress'>,
  operator: Operator,
  source: string,
  batch: { records: SignedBackfillRecord[]; rejects: BackfillReject[]; skipped: number; lastLine: number },
  at: Date,
): BackfillCounts {
  const counts = { issued: batch.records.length, rejected: batch.rejects.length, skipped: batch.skipped };
  ports.transactions.run(() => {
    for (const record of batch.records) {
      ports.rows.insert(record.row);
      ports.events.append(backfilledEvent(record, at));
    }
    ports.audit.recordAll(
      batch.records.map((record) =>
        eventBy(operator, 'certificate.backfilled', record.certificateNo, {
          licenceId: record.licenceId,
          paperIssueDate: record.certificate.issueDate,
          source,
        }),
      ),
      at,
    );
    for (const reject of batch.rejects) ports.progress.reject(source, reject);
    ports.progress.advance(source, batch.lastLine, counts, at);
  });
  return counts;
}

/** One batch from start to commit, on one thread (the pipelined run is in the CLI's runner). */
export async function backfillBatch(
  ports: BackfillPorts,
  operator: Operator,
  source: string,
  lines: readonly BackfillLine[],
): Promise<BackfillCounts> {
  const lastLine = lines.at(-1)?.line;
  if (lastLine === undefined) return { issued: 0, rejected: 0, skipped: 0 };
  const issuedAt = ports.clock.now();
  const checked = await ports.workers.check([...lines]);
  const pending = new Set<string>();
  const { admitted, places, rejects, skipped } = admitBackfillLines(ports, checked, pending, issuedAt);
  const records = await ports.workers.sign(
    checked.ticket,
    admitted.map((a, i) => ({ line: a.line, place: places[i]! })),
    issuedAt,
    operator,
  );
  return commitBackfillBatch(ports, operator, source, { records, rejects, skipped, lastLine }, issuedAt);
}
