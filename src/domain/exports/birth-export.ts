import type { PrincipalOf } from '../accounts/account.ts';
import { type AuditLog, eventBy } from '../audit/audit-event.ts';
import { DomainError, type ErrorDetail, invalidRequest } from '../errors.ts';
import { visibility } from '../lifecycle/visibility.ts';
import type { Clock } from '../ports.ts';

/*
 * The monthly sharing export (2016 five-ministry notice): the births of a period, one row per
 * birth by its certificate current at `asOf`, with only the columns the receiving role may have.
 * Rows stream from the register; the same query (period, asOf, role, filters) gives the same
 * bytes every time, so a signed manifest of row count and SHA-256 proves a download complete.
 */

export type ExportReader = PrincipalOf<'statistician' | 'agency'>;
export type ExportFormat = 'csv' | 'ndjson';

export type ExportColumn =
  | 'certificateNo'
  | 'licenceId'
  | 'licenceVersion'
  | 'newbornName'
  | 'sex'
  | 'birthTime'
  | 'birthDate'
  | 'weightGrams'
  | 'lengthCm'
  | 'gestationWeeks'
  | 'gestationDays'
  | 'health'
  | 'birthPlaceDivision'
  | 'birthPlaceCategory'
  | 'institution'
  | 'issuerName'
  | 'issueDate'
  | 'motherName'
  | 'motherAge'
  | 'motherNationality'
  | 'motherEthnicity'
  | 'householdRegistered';

/**
 * What each role receives. Statistics needs the items that are counted (sex, weight, gestation,
 * place, the mother's age and nationality) and no one's name; an agency gets what a verification
 * shows (visibility.ts: `verification-fields`) plus the codes it routes by. No role gets an ID
 * number, an address or a 登记 item here.
 */
export const exportColumns: Readonly<Record<ExportReader['role'], readonly ExportColumn[]>> = {
  statistician: [
    'certificateNo',
    'birthDate',
    'sex',
    'weightGrams',
    'lengthCm',
    'gestationWeeks',
    'gestationDays',
    'health',
    'birthPlaceDivision',
    'birthPlaceCategory',
    'institution',
    'motherAge',
    'motherNationality',
    'motherEthnicity',
    'householdRegistered',
  ],
  agency: [
    'certificateNo',
    'licenceId',
    'licenceVersion',
    'newbornName',
    'sex',
    'birthTime',
    'motherName',
    'issuerName',
    'institution',
    'issueDate',
    'birthPlaceDivision',
    'householdRegistered',
  ],
};

export type ExportValue = string | number | boolean | null;

export interface ExportQuery {
  /** China-time calendar dates of birth, `from` ≤ day < `to`. */
  from: string;
  to: string;
  /** The register as it stood at this instant (ISO, whole seconds, UTC). */
  asOf: string;
  columns: readonly ExportColumn[];
  institution: string | null;
  /** A division code prefix: 2 digits (province), 4 (city) or 6 (county). */
  divisionPrefix: string | null;
}

/** Reads the rows of an export; each call is one consistent snapshot, released when iteration ends. */
export interface BirthExportSource {
  rows(query: ExportQuery): Iterable<ExportValue[]>;
}

/** SHA-256 over text fed in pieces (UTF-8), hex. */
export interface Sha256 {
  update(text: string): void;
  hex(): string;
}

export interface ExportPorts {
  source: BirthExportSource;
  sha256(): Sha256;
  audit: Pick<AuditLog, 'record'>;
  clock: Clock;
}

/**
 * An `asOf` must lie this far in the past: a certificate signed just before it may still be on its
 * way to the register (signing, rendering, the request's own time limit), and must not appear in
 * a later download of the same export when it was missing from the first.
 */
export const AS_OF_SETTLE_MS = 2 * 60_000;

const isoDate = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export interface ExportRequest extends ExportQuery {
  role: ExportReader['role'];
  /** The division asked for (`divisionPrefix` is what it covers). */
  division: string | null;
  format: ExportFormat | null;
  purpose: string | null;
}

/** Reads and checks the query; every bad parameter is named. */
export function readExportRequest(actor: ExportReader, query: Record<string, unknown>, now: Date, withFormat: boolean) {
  const details: ErrorDetail[] = [];
  const { from, to, format, asOf, institution, division, purpose } = query;
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (typeof value !== 'string' || !isoDate.test(value)) {
      details.push({ path: name, message: `${name} must be a date YYYY-MM-DD` });
    }
  }
  if (details.length === 0 && (to as string) <= (from as string)) {
    details.push({ path: 'to', message: 'to must be after from (it is the day after the last)' });
  }
  if (withFormat && format !== 'csv' && format !== 'ndjson') {
    details.push({ path: 'format', message: 'format must be csv or ndjson' });
  }
  const latest = Math.floor((now.getTime() - AS_OF_SETTLE_MS) / 1000) * 1000;
  let asOfText = new Date(latest).toISOString().replace('.000Z', 'Z');
  if (asOf !== undefined) {
    if (typeof asOf !== 'string' || !isoInstant.test(asOf) || Number.isNaN(Date.parse(asOf))) {
      details.push({ path: 'asOf', message: 'asOf must be an instant YYYY-MM-DDTHH:MM:SSZ' });
    } else if (Date.parse(asOf) > latest) {
      details.push({ path: 'asOf', message: 'asOf must be at least 2 minutes in the past' });
    } else {
      asOfText = asOf;
    }
  }
  if (
    institution !== undefined &&
    (typeof institution !== 'string' || !/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(institution))
  ) {
    details.push({ path: 'institution', message: 'institution must be a unified social credit code' });
  }
  if (division !== undefined && (typeof division !== 'string' || !/^\d{6}$/.test(division))) {
    details.push({ path: 'division', message: 'division must be a 6-digit division code (GB/T 2260)' });
  }
  const rule = visibility[actor.role].purpose;
  if (purpose !== undefined && (typeof purpose !== 'string' || purpose.length < 1 || purpose.length > 200)) {
    details.push({ path: 'purpose', message: 'purpose must be 1–200 characters' });
  }
  if (details.length > 0) throw invalidRequest(details);
  if (rule === 'required' && purpose === undefined) {
    throw new DomainError('PURPOSE_REQUIRED', 'State the purpose of this export in the query parameter purpose', [
      { path: 'purpose', message: 'purpose is required' },
    ]);
  }
  const divisionCode = division as string | undefined;
  const request: ExportRequest = {
    from: from as string,
    to: to as string,
    asOf: asOfText,
    columns: exportColumns[actor.role],
    institution: (institution as string | undefined) ?? null,
    divisionPrefix: divisionCode
      ? divisionCode.endsWith('0000')
        ? divisionCode.slice(0, 2)
        : divisionCode.endsWith('00')
          ? divisionCode.slice(0, 4)
          : divisionCode
      : null,
    role: actor.role,
    division: divisionCode ?? null,
    format: withFormat ? (format as ExportFormat) : null,
    purpose: (purpose as string | undefined) ?? null,
  };
  return request;
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(value: ExportValue): string {
  if (value === null) return '';
  const text = typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvHeader = (columns: readonly ExportColumn[]) => `${columns.join(',')}\r\n`;
export const csvLine = (row: readonly ExportValue[]) => `${row.map(csvField).join(',')}\r\n`;
export function ndjsonLine(columns: readonly ExportColumn[], row: readonly ExportValue[]) {
  const object: Record<string, ExportValue> = {};
  columns.forEach((column, i) => {
    object[column] = row[i] ?? null;
  });
  return `${JSON.stringify(object)}\n`;
}

/** Lines gathered into chunks of about this many characters: fewer, larger writes to the socket. */
const CHUNK_CHARS = 64 * 1024;

/** The file, streamed: chunks of whole lines, read from the register as the receiver takes them. */
export function* exportChunks(ports: Pick<ExportPorts, 'source'>, request: ExportRequest, format: ExportFormat) {
  let chunk = format === 'csv' ? csvHeader(request.columns) : '';
  for (const row of ports.source.rows(request)) {
    chunk += format === 'csv' ? csvLine(row) : ndjsonLine(request.columns, row);
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Records who took which export, and why. */
export function auditExport(ports: ExportPorts, actor: ExportReader, request: ExportRequest, what: string) {
  ports.audit.record(
    eventBy(
      actor,
      what,
      `births ${request.from}..${request.to}`,
      {
        asOf: request.asOf,
        ...(request.format ? { format: request.format } : {}),
        ...(request.institution ? { institution: request.institution } : {}),
        ...(request.divisionPrefix ? { division: request.divisionPrefix } : {}),
      },
      request.purpose,
    ),
    ports.clock.now(),
  );
}

/** The query string that downloads exactly the file a manifest describes. */
export function exportLink(request: ExportRequest, format: ExportFormat) {
  const params = new URLSearchParams({ from: request.from, to: request.to, format, asOf: request.asOf });
  if (request.institution) params.set('institution', request.institution);
  if (request.division) params.set('division', request.division);
  return `/api/v1/exports/births?${params.toString()}`;
}
