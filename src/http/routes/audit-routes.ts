import type { AuditAnchor, AuditLog } from '../../domain/audit/audit-event.ts';
import { invalidRequest } from '../../domain/errors.ts';
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

export function auditRoutes(deps: { audit: AuditLog }): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/audit-events/verify',
      summary:
        'Recompute the audit hash chain; with ?seq&hash from an earlier head, also prove no event up to it was cut off',
      tag: 'audit',
      access: ['auditor'],
      query: [
        { name: 'seq', required: false, description: 'Sequence number of an anchored event (from /audit-events/head)' },
        { name: 'hash', required: false, description: 'Its hash' },
      ],
      responses: { 200: '{intact, events, firstBrokenAt?}', 400: 'Malformed anchor' },
      handle: ({ query }) => ({ status: 200, body: deps.audit.verify(readAnchor(query)) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/audit-events/head',
      summary: "The newest event's sequence number and hash, to keep outside the service as an anchor",
      tag: 'audit',
      access: ['auditor'],
      responses: { 200: '{seq, hash}' },
      handle: () => ({ status: 200, body: deps.audit.head(), headers: { 'Cache-Control': 'no-store' } }),
    }),
  ];
}
