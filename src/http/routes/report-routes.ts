import {
  birthRollReport,
  certificateUsageByInstitutionReport,
  certificateUsageReport,
  type ReportPorts,
  type ReportReader,
  sexRatioReport,
} from '../../domain/reports/reports.ts';
import { defineRoute, type Route } from '../route.ts';

const period = [
  { name: 'from', required: false, description: 'First day, YYYY-MM-DD (China time); default 1 January of this year' },
  { name: 'to', required: false, description: 'Day after the last, YYYY-MM-DD; default 1 January of next year' },
];
const institution = { name: 'institution', required: true, description: "The institution's credit code" };

/** The health commissions' reports: births, sex ratio at birth, certificate usage. */
export function reportRoutes(ports: ReportPorts): Route[] {
  const report = (
    path: string,
    summary: string,
    query: Route['query'],
    build: (ports: ReportPorts, actor: ReportReader, query: Record<string, unknown>) => unknown,
    responseSchema: string,
  ): Route =>
    defineRoute({
      method: 'get',
      path,
      summary,
      tag: 'reports',
      access: ['statistician', 'admin'],
      query,
      responseSchema,
      responses: { 200: 'The report', 400: 'Invalid period or institution', 401: 'No token', 403: 'Role' },
      handle: ({ principal, query: q }) => ({
        status: 200,
        body: build(ports, principal, q),
        headers: { 'Cache-Control': 'no-store' },
      }),
    });
  return [
    report(
      '/api/v1/reports/sex-ratio',
      'Sex ratio at birth (boys / girls × 100) by institution or division',
      [
        ...period,
        { ...institution, required: false },
        { name: 'groupBy', required: false, description: 'institution (default), division or month (of birth)' },
      ],
      sexRatioReport,
      'SexRatioReport',
    ),
    report(
      '/api/v1/reports/birth-register',
      'Birth register of one institution (ID numbers masked)',
      [...period, institution],
      birthRollReport,
      'BirthRegisterReport',
    ),
    report(
      '/api/v1/reports/certificate-usage',
      'Certificate usage of one institution: stock, issues by kind, voids by reason, void rate, live births',
      [...period, institution],
      certificateUsageReport,
      'CertificateUsageReport',
    ),
    report(
      '/api/v1/reports/certificate-usage-by-institution',
      'Certificate usage of every institution: stock, issues by kind, voids by reason, void rate, live births',
      period,
      certificateUsageByInstitutionReport,
      'CertificateUsageByInstitutionReport',
    ),
  ];
}
