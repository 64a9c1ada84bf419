import type { AuditLog } from '../../domain/audit/audit-event.ts';
import type { Route } from '../route.ts';

export function auditRoutes(deps: { audit: AuditLog }): Route[] {
  return [
    {
      method: 'get',
      path: '/api/v1/audit-events/verify',
      summary: 'Recompute the audit hash chain: is every event intact and in order?',
      tag: 'audit',
      access: ['auditor'],
      responses: { 200: '{intact, events, firstBrokenAt?}', 401: 'No token', 403: 'Not an auditor' },
      handle: () => ({ status: 200, body: deps.audit.verify() }),
    },
  ];
}
