import { type AuditEventReader, browseAuditEvents } from '../../domain/audit/audit-browse.ts';
import type { AuditCheckpoint, AuditCheckpointer } from '../../domain/audit/audit-checkpoint.ts';
import type { AuditAnchor, AuditLog } from '../../domain/audit/audit-event.ts';
import { DomainError, invalidRequest } from '../../domain/errors.ts';
import type { SigningKeyRecord } from '../../domain/trust/ports.ts';
import { defineRoute, type Route } from '../route.ts';

/** `?seq=N&hash=H`: an anchor the auditor kept from an earlier `head`; both or neither. */
function readAnchor(query: Record<string, unknown>): AuditAnchor | undefined {
  if (query.seq === undefined && query.hash === undefined) return undefined;
  const seq = typeof query.seq === 'string' && /^[1-9]\d{0,15}$/.test(query.seq) ? Number(query.seq) : null;
  const hash = typeof query.hash === 'string' && /^[0-9a-f]{64}$/.test(query.hash) ? query.hash : null;
  const details = [];
  if (seq === null) details.push({ path: 'seq', message: 'seq must be the sequence number of an event' });
  if (hash === null) details.push({ path: 'hash', message: 'hash must be 64 lower-case hex digits' });
  if (details.length > 0) throw invalidRequest(details);
  return { seq: seq!, hash: hash! };
}

const published = ({ number, seq, hash, at, kid, jws }: AuditCheckpoint) => ({ number, seq, hash, at, kid, jws });

export function auditRoutes(deps: {
  audit: AuditLog & AuditEventReader;
  checkpoints: AuditCheckpointer;
  /** Every audit key ever provisioned: their certificates let an auditor check checkpoints elsewhere. */
  auditKeys: () => readonly SigningKeyRecord[];
}): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/audit-events',
      summary:
        'Audit events, newest first, filtered by time, actor, action and certificate number; page on with ?before=nextBefore. ID numbers in free text are masked',
      tag: 'audit',
      access: ['auditor'],
      query: [
        {
          name: 'from',
          required: false,
          description: 'First instant (ISO 8601) or China-time date YYYY-MM-DD, inclusive',
        },
        { name: 'to', required: false, description: 'Last instant or date, exclusive' },
        { name: 'actor', required: false, description: 'Username of whoever acted' },
        { name: 'action', required: false, description: 'e.g. certificate.issued' },
        { name: 'certificateNo', required: false, description: 'Events about this certificate' },
        {
          name: 'before',
          required: false,
          description: 'Only events with a smaller sequence number (the nextBefore of the previous page)',
        },
        { name: 'limit', required: false, description: 'Events per page, 1–500 (default 50)' },
      ],
      responseSchema: 'AuditEventPage',
      responses: { 200: '{events: [...], nextBefore?}', 400: 'A filter is malformed' },
      handle: ({ query }) => ({
        status: 200,
        body: browseAuditEvents(deps.audit, query),
        headers: { 'Cache-Control': 'no-store' },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/audit-events/verify',
      summary:
        'Recompute the audit hash chain and check it against every signed checkpoint; with ?seq&hash from an earlier head, also prove no event up to it was cut off',
      tag: 'audit',
      access: ['auditor'],
      query: [
        { name: 'seq', required: false, description: 'Sequence number of an anchored event (from /audit-events/head)' },
        { name: 'hash', required: false, description: 'Its hash' },
      ],
      responseSchema: 'AuditVerification',
      responses: {
        200: '{intact, events, checkpoints, pinnedThrough?, firstBrokenAt?, checkpoint?: {number, seq, at, problem}}',
        400: 'Malformed anchor',
      },
      handle: ({ query }) => ({ status: 200, body: deps.checkpoints.verify(readAnchor(query)) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/audit-events/head',
      summary: "The newest event's sequence number and hash, to keep outside the service as an anchor",
      tag: 'audit',
      access: ['auditor'],
      responseSchema: 'AuditHead',
      responses: { 200: '{seq, hash}' },
      handle: () => ({ status: 200, body: deps.audit.head(), headers: { 'Cache-Control': 'no-store' } }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/audit-checkpoints',
      summary:
        'Every signed checkpoint of the audit chain (a compact JWS, ES256, over {seq, hash, at}) and the audit keys’ certificates',
      tag: 'audit',
      access: ['auditor'],
      responseSchema: 'AuditCheckpointList',
      responses: { 200: '{checkpoints: [{number, seq, hash, at, kid, jws}], keys: [{kid, status, x509Pem}]}' },
      handle: () => ({
        status: 200,
        body: {
          checkpoints: deps.checkpoints.list().map(published),
          keys: deps.auditKeys().map(({ kid, status, x509Pem }) => ({ kid, status, x509Pem })),
        },
        headers: { 'Cache-Control': 'no-store' },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/audit-checkpoints/export',
      summary: 'The signed checkpoints as NDJSON, one per line, for auditors to keep outside the service',
      tag: 'audit',
      access: ['auditor'],
      responseMediaType: 'application/x-ndjson',
      responseSchema: 'AuditCheckpoint',
      responses: { 200: 'One {number, seq, hash, at, kid, jws} per line' },
      handle: () => ({
        status: 200,
        body: Buffer.from(
          deps.checkpoints
            .list()
            .map((checkpoint) => `${JSON.stringify(published(checkpoint))}\n`)
            .join(''),
        ),
        contentType: 'application/x-ndjson',
        headers: {
          'Cache-Control': 'no-store',
          'Content-Disposition': 'attachment; filename="audit-checkpoints.ndjson"',
        },
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/audit-checkpoints',
      summary: 'Sign the audit chain head now (besides the periodic checkpoints)',
      tag: 'audit',
      access: ['auditor'],
      responseSchema: 'AuditCheckpoint',
      responses: { 201: '{number, seq, hash, at, kid, jws}', 503: 'No audit key is provisioned' },
      async handle() {
        const checkpoint = await deps.checkpoints.sign({ onlyIfMoved: false });
        if (!checkpoint) throw new DomainError('SERVICE_UNAVAILABLE', 'No audit key is provisioned');
        return { status: 201, body: published(checkpoint), headers: { 'Cache-Control': 'no-store' } };
      },
    }),
  ];
}
