import { DomainError } from '../errors.ts';
import type { KeyStore } from '../ports.ts';
import type { FlattenedJws } from '../trust/build-offline-bundle.ts';
import type { KeyRegister, X509Checker } from '../trust/ports.ts';
import { encodeBase64url } from '../verification/base64url.ts';
import {
  auditExport,
  csvHeader,
  csvLine,
  type ExportColumn,
  type ExportFormat,
  type ExportPorts,
  type ExportReader,
  type ExportRequest,
  exportLink,
  ndjsonLine,
} from './birth-export.ts';

export const EXPORT_MANIFEST_TYP = 'birth-export-manifest+jws';

export interface ExportManifest {
  version: 1;
  dataset: 'births';
  /** China-time dates of birth: `from` ≤ day < `to`. */
  period: { from: string; to: string };
  /** The register as it stood then; the files are exactly reproducible for it. */
  asOf: string;
  generatedAt: string;
  recipientRole: ExportReader['role'];
  filters: { institution?: string; division?: string };
  columns: readonly ExportColumn[];
  rowCount: number;
  files: { format: ExportFormat; mediaType: string; sha256: string; href: string }[];
}

/**
 * Signs with the service's trust-list key (its certificate, in `x5c`, chains to the trust-list
 * root), as the offline bundle is: a receiver that trusts the root can prove who made the manifest.
 */
export interface ManifestSigning {
  register: Pick<KeyRegister, 'active'>;
  keyStore: KeyStore;
  x509: Pick<X509Checker, 'x5cOf'>;
}

const mediaTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
};

const utf8 = new TextEncoder();

/** Both files hashed in one pass over the rows (the same snapshot the downloads read). */
export async function signedExportManifest(
  ports: ExportPorts & ManifestSigning,
  actor: ExportReader,
  request: ExportRequest,
): Promise<FlattenedJws> {
  const signer = ports.register.active('trust-list');
  if (!signer) throw new DomainError('SERVICE_UNAVAILABLE', 'No trust-list signing key is provisioned');
  const csv = ports.sha256();
  const ndjson = ports.sha256();
  csv.update(csvHeader(request.columns));
  let rowCount = 0;
  for (const row of ports.source.rows(request)) {
    csv.update(csvLine(row));
    ndjson.update(ndjsonLine(request.columns, row));
    rowCount++;
  }
  const manifest: ExportManifest = {
    version: 1,
    dataset: 'births',
    period: { from: request.from, to: request.to },
    asOf: request.asOf,
    generatedAt: ports.clock.now().toISOString(),
    recipientRole: request.role,
    filters: {
      ...(request.institution ? { institution: request.institution } : {}),
      ...(request.division ? { division: request.division } : {}),
    },
    columns: request.columns,
    rowCount,
    files: (['csv', 'ndjson'] as const).map((format) => ({
      format,
      mediaType: mediaTypes[format],
      sha256: (format === 'csv' ? csv : ndjson).hex(),
      href: exportLink(request, format),
    })),
  };
  const header = { alg: 'ES256', typ: EXPORT_MANIFEST_TYP, kid: signer.kid, x5c: [ports.x509.x5cOf(signer.x509Pem)] };
  const protectedPart = encodeBase64url(utf8.encode(JSON.stringify(header)));
  const payloadPart = encodeBase64url(utf8.encode(JSON.stringify(manifest)));
  const signature = await ports.keyStore.sign(signer.kid, utf8.encode(`${protectedPart}.${payloadPart}`));
  auditExport(ports, actor, request, 'export.manifest');
  return { protected: protectedPart, payload: payloadPart, signature: encodeBase64url(signature) };
}

export { mediaTypes as exportMediaTypes };
