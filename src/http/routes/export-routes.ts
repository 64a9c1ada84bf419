import { auditExport, type ExportPorts, exportChunks, readExportRequest } from '../../domain/exports/birth-export.ts';
import { exportMediaTypes, type ManifestSigning, signedExportManifest } from '../../domain/exports/export-manifest.ts';
import { defineRoute, type Route } from '../route.ts';

const query = [
  { name: 'from', required: true, description: 'First day of birth, YYYY-MM-DD (China time)' },
  { name: 'to', required: true, description: 'Day after the last, YYYY-MM-DD' },
  {
    name: 'asOf',
    required: false,
    description: 'The register as it stood then (YYYY-MM-DDTHH:MM:SSZ, ≥ 2 minutes ago); default 2 minutes ago',
  },
  { name: 'institution', required: false, description: "Only this institution's births (credit code)" },
  {
    name: 'division',
    required: false,
    description: 'Only births in this division (a province or city covers its parts)',
  },
  { name: 'purpose', required: false, description: 'Why (1–200 characters); required for agencies, audited' },
];

/** The monthly sharing export (statistics, agencies) and its signed manifest. */
export function exportRoutes(ports: ExportPorts & ManifestSigning): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/exports/births',
      summary: "The period's births as CSV or NDJSON, streamed, with the columns the caller's role may receive",
      tag: 'exports',
      access: ['statistician', 'agency'],
      query: [...query, { name: 'format', required: true, description: 'csv or ndjson' }],
      responses: { 200: 'The file; Export-As-Of names the snapshot', 400: 'Invalid parameter or PURPOSE_REQUIRED' },
      responseMediaType: 'text/csv',
      handle: ({ principal, query: q }) => {
        const request = readExportRequest(principal, q, ports.clock.now(), true);
        const format = request.format!;
        auditExport(ports, principal, request, 'export.downloaded');
        return {
          status: 200,
          body: undefined,
          stream: exportChunks(ports, request, format),
          contentType: exportMediaTypes[format],
          headers: {
            'Cache-Control': 'no-store',
            'Export-As-Of': request.asOf,
            'Content-Disposition': `attachment; filename="births-${request.from}-${request.to}.${format}"`,
          },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/exports/births/manifest',
      summary: 'The signed manifest (flattened JWS): period, asOf, row count and SHA-256 of each file',
      tag: 'exports',
      access: ['statistician', 'agency'],
      query,
      responses: { 200: 'The manifest as a flattened JWS', 400: 'Invalid parameter or PURPOSE_REQUIRED' },
      async handle({ principal, query: q }) {
        const request = readExportRequest(principal, q, ports.clock.now(), false);
        return {
          status: 200,
          body: await signedExportManifest(ports, principal, request),
          headers: { 'Cache-Control': 'no-store', 'Export-As-Of': request.asOf },
        };
      },
    }),
  ];
}
