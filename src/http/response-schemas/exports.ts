import { type ExportColumn, exportColumns } from '../../domain/exports/birth-export.ts';
import {
  base64url,
  certificateNo,
  closed,
  count,
  creditCode,
  day,
  exampleCreditCode,
  exampleLicenceId,
  flattenedJws,
  instant,
  ref,
  type Schema,
} from './common.ts';

const certificate = (def: string) => ref(`certificate.${def}`);

/** What each column holds; a column added to the export without one here does not compile. */
const columnSchemas: Record<ExportColumn, Schema> = {
  certificateNo,
  licenceId: ref('licence-envelope/properties/id'),
  licenceVersion: { type: 'integer', minimum: 1 },
  newbornName: certificate('personName'),
  sex: certificate('sex'),
  birthTime: certificate('birthTime'),
  birthDate: { ...day, description: 'China time' },
  weightGrams: certificate('weightGrams'),
  lengthCm: certificate('lengthCm'),
  gestationWeeks: ref('certificate.gestation/properties/weeks'),
  gestationDays: ref('certificate.gestation/properties/days'),
  health: certificate('health'),
  birthPlaceDivision: certificate('divisionCode'),
  birthPlaceCategory: certificate('birthPlaceCategory'),
  institution: creditCode,
  issuerName: certificate('institutionName'),
  issueDate: day,
  motherName: certificate('personName'),
  motherAge: certificate('age'),
  motherNationality: certificate('nationality'),
  motherEthnicity: certificate('ethnicity'),
  householdRegistered: { type: 'boolean', description: '落户 recorded as of the snapshot' },
};

const rowOf = (columns: readonly ExportColumn[]) =>
  closed(Object.fromEntries(columns.map((column) => [column, columnSchemas[column]])));

const exampleAgencyRow: Record<string, string | number | boolean> = {
  certificateNo: 'Q440000001',
  licenceId: exampleLicenceId,
  licenceVersion: 1,
  newbornName: '李沐宸',
  sex: '1',
  birthTime: '2026-11-30T00:04+08:00',
  motherName: '王秀英',
  issuerName: '广州市天河区示范妇幼保健院',
  institution: exampleCreditCode,
  issueDate: '2026-11-30',
  birthPlaceDivision: '440106',
  householdRegistered: false,
};
const exampleStatisticsRow = {
  certificateNo: 'Q440000001',
  birthDate: '2026-11-30',
  sex: '1',
  weightGrams: 3350,
  lengthCm: 50.5,
  gestationWeeks: 39,
  gestationDays: 2,
  health: '1',
  birthPlaceDivision: '440106',
  birthPlaceCategory: '2',
  institution: exampleCreditCode,
  motherAge: 33,
  motherNationality: 'CHN',
  motherEthnicity: '01',
  householdRegistered: false,
};

const headerOf = (columns: readonly ExportColumn[]) => columns.join(',');
const exampleCsv = [
  headerOf(exportColumns.agency),
  exportColumns.agency.map((column) => String(exampleAgencyRow[column])).join(','),
  '',
].join('\r\n');

const files = ['csv', 'ndjson'] as const;

export const exportSchemas: Record<string, Schema> = {
  BirthExportRow: {
    description:
      "One birth of the export with the columns of the caller's role: statistics gets the counted items and no " +
      'name, an agency what a verification shows and the codes it routes by; no role gets an ID number or an address',
    oneOf: [
      { title: 'statistician', ...rowOf(exportColumns.statistician) },
      { title: 'agency', ...rowOf(exportColumns.agency) },
    ],
    examples: [exampleStatisticsRow],
  },
  BirthExportCsv: {
    description:
      "CSV (RFC 4180, UTF-8, CRLF): a header line naming the columns of the caller's role (as BirthExportRow), " +
      'then one line per birth; an absent value is an empty field',
    type: 'string',
    pattern: `^(${headerOf(exportColumns.statistician)}|${headerOf(exportColumns.agency)})\\r\\n`,
    examples: [exampleCsv],
  },
  ExportManifest: {
    ...flattenedJws,
    description:
      'A flattened JWS (ES256, typ birth-export-manifest+jws) signed by the trust-list key; the payload is an ' +
      'ExportManifestPayload',
    properties: {
      ...(flattenedJws.properties as Schema),
      payload: { ...base64url, contentMediaType: 'application/json', contentSchema: ref('ExportManifestPayload') },
    },
  },
  ExportManifestPayload: {
    description: 'Period, snapshot, row count and the SHA-256 of each file: proof that a download is complete',
    ...closed({
      version: { const: 1 },
      dataset: { const: 'births' },
      period: closed({ from: day, to: { ...day, description: 'The day after the last' } }),
      asOf: instant,
      generatedAt: instant,
      recipientRole: { enum: Object.keys(exportColumns) },
      filters: closed({ institution: creditCode, division: certificate('divisionCode') }, ['institution', 'division']),
      columns: { type: 'array', items: { enum: Object.keys(columnSchemas) } },
      rowCount: count,
      files: {
        type: 'array',
        items: closed({
          format: { enum: [...files] },
          mediaType: { type: 'string' },
          sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
          href: { type: 'string', description: 'The query that downloads exactly this file' },
        }),
      },
    }),
    examples: [
      {
        version: 1,
        dataset: 'births',
        period: { from: '2026-11-01', to: '2026-12-01' },
        asOf: '2026-12-01T02:00:00Z',
        generatedAt: '2026-12-01T02:05:00.000Z',
        recipientRole: 'agency',
        filters: { division: '440100' },
        columns: exportColumns.agency,
        rowCount: 1,
        files: files.map((format) => ({
          format,
          mediaType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
          sha256: format === 'csv' ? '5d0e4c3b'.repeat(8) : '9a1f22c7'.repeat(8),
          href: `/api/v1/exports/births?from=2026-11-01&to=2026-12-01&format=${format}&asOf=2026-12-01T02%3A00%3A00Z&division=440100`,
        })),
      },
    ],
  },
};
