import { invalidRequest } from '../errors.ts';
import type { Clock } from '../ports.ts';
import { type Acting, type AuditEvent, type AuditLog, eventBy } from './audit-event.ts';

/** Which events an auditor asks for; every field narrows, none widens. Instants are ISO UTC. */
export interface AuditEventFilter {
  /** First instant, inclusive. */
  from?: string;
  /** Last instant, exclusive. */
  to?: string;
  actor?: string;
  action?: string;
  /** The event's target: a certificate number. */
  certificateNo?: string;
  /** Only events older than this sequence number: the cursor of the next page. */
  before?: number;
  /** At most this many, newest first. */
  limit: number;
}

/** The filtered read of the log, newest first; separate from AuditLog so writers need not offer it. */
export interface AuditEventReader {
  find(filter: AuditEventFilter): AuditEvent[];
  /** Every event the filter names, oldest first, one at a time (an export may be long). */
  range(filter: Omit<AuditEventFilter, 'before' | 'limit'>): Iterable<AuditEvent>;
}

export const defaultAuditPageSize = 50;
export const maxAuditPageSize = 500;

const dateOnly = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const certificateNo = /^[A-Z]\d{9}$/;

/** A China-time calendar date means its midnight in Beijing; an instant is taken as it is. */
function readInstant(value: unknown, path: string, details: { path: string; message: string }[]) {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string' && dateOnly.test(value)) {
    const at = new Date(`${value}T00:00:00+08:00`);
    // Date rolls 2026-02-30 over into March: only a day that comes back as itself is real.
    const back = new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    if (!Number.isNaN(at.getTime()) && back === value) return at.toISOString();
  }
  if (typeof value === 'string' && instant.test(value)) {
    const at = new Date(value);
    if (!Number.isNaN(at.getTime())) return at.toISOString();
  }
  details.push({ path, message: `${path} must be a date YYYY-MM-DD (China time) or an ISO 8601 instant` });
  return undefined;
}

const text = (value: unknown, path: string, max: number, details: { path: string; message: string }[]) => {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > max || /[\p{Cc}\p{Cf}]/u.test(value)) {
    details.push({ path, message: `${path} must be up to ${max} characters of visible text` });
    return undefined;
  }
  return value.trim() || undefined;
};

/** Reads `from, to, actor, action, certificateNo, before, limit` as the API and the console take them. */
export function readAuditFilter(query: Record<string, unknown>): AuditEventFilter {
  const details: { path: string; message: string }[] = [];
  const from = readInstant(query.from, 'from', details);
  const to = readInstant(query.to, 'to', details);
  if (from && to && to <= from) details.push({ path: 'to', message: 'to must be after from' });
  const actor = text(query.actor, 'actor', 64, details);
  const action = text(query.action, 'action', 64, details);
  let number: string | undefined;
  if (query.certificateNo !== undefined && query.certificateNo !== '') {
    const upper = typeof query.certificateNo === 'string' ? query.certificateNo.trim().toUpperCase() : '';
    if (certificateNo.test(upper)) number = upper;
    else details.push({ path: 'certificateNo', message: 'certificateNo must be a letter and 9 digits' });
  }
  const positive = (value: unknown, path: string, max: number) => {
    if (value === undefined || value === '') return undefined;
    if (typeof value === 'string' && /^[1-9]\d{0,15}$/.test(value) && Number(value) <= max) return Number(value);
    details.push({ path, message: `${path} must be a whole number from 1 to ${max}` });
    return undefined;
  };
  const before = positive(query.before, 'before', Number.MAX_SAFE_INTEGER);
  const limit = positive(query.limit, 'limit', maxAuditPageSize) ?? defaultAuditPageSize;
  if (details.length > 0) throw invalidRequest(details);
  return {
    ...(from && { from }),
    ...(to && { to }),
    ...(actor && { actor }),
    ...(action && { action }),
    ...(number && { certificateNo: number }),
    ...(before && { before }),
    limit,
  };
}

const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const isResidentId = (id: string) =>
  id.length === 15 ||
  '10X98765432'[weights.reduce((sum, w, i) => sum + w * Number(id[i]), 0) % 11] === id[17]!.toUpperCase();
// A resident ID number standing alone in free text: 18 characters (check digit holds) or the old 15 digits.
const idLike = /(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;

/** `440106199305121249` → `440106********1249` in any text; other numbers are left alone. */
export function maskIdNumbersIn(value: string): string {
  return value.replace(idLike, (id) =>
    isResidentId(id) ? `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}` : id,
  );
}

function maskDeep(value: unknown): unknown {
  if (typeof value === 'string') return maskIdNumbersIn(value);
  if (Array.isArray(value)) return value.map(maskDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v)]));
  }
  return value;
}

/**
 * An event as an auditor sees it. The service records no ID numbers, but free text (a police
 * purpose, a void note, a username) is typed by people and might hold one: it is masked here.
 * `masked` says so, because the hash of a masked event can then not be recomputed from the copy.
 */
export function auditEventForReading(event: AuditEvent): AuditEvent & { masked?: true } {
  const shown = {
    ...event,
    actor: event.actor === null ? null : maskIdNumbersIn(event.actor),
    target: event.target === null ? null : maskIdNumbersIn(event.target),
    purpose: event.purpose === null ? null : maskIdNumbersIn(event.purpose),
    details: maskDeep(event.details) as Record<string, unknown>,
  };
  const masked = JSON.stringify(shown) !== JSON.stringify(event);
  return masked ? { ...shown, masked: true } : shown;
}

/** One page of events, newest first, and the cursor of the next (older) page when there is one. */
export function browseAuditEvents(reader: AuditEventReader, query: Record<string, unknown>) {
  const filter = readAuditFilter(query);
  const found = reader.find({ ...filter, limit: filter.limit + 1 });
  const events = found.slice(0, filter.limit).map(auditEventForReading);
  const last = events.at(-1);
  return { events, ...(found.length > filter.limit && last ? { nextBefore: last.seq } : {}) };
}

export interface AuditExportPorts {
  events: AuditEventReader;
  audit: AuditLog;
  clock: Clock;
}

/** An auditor's export of a range, recorded in the log it copies (the event lands after the copy). */
export function exportAuditEvents(ports: AuditExportPorts, actor: Acting, query: Record<string, unknown>): string {
  const { before: _b, limit: _l, ...filter } = readAuditFilter(query);
  let body = '';
  let lines = 0;
  for (const event of ports.events.range(filter)) {
    body += `${JSON.stringify(auditEventForReading(event))}\n`;
    lines++;
  }
  ports.audit.record(eventBy(actor, 'audit-events.exported', null, { ...filter, events: lines }), ports.clock.now());
  return body;
}
