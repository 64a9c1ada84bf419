import { eventBy, type Operator } from '../audit/audit-event.ts';
import type { Certificate } from '../certificate.ts';
import type { ErrorDetail } from '../errors.ts';
import type { InstitutionRecord } from '../institution.ts';
import { envelope } from './compose.ts';
import type { LifecyclePorts } from './ports.ts';
import type { CertificateRecord } from './records.ts';

/*
 * Back-issuance (补录) of paper certificates as e-licences: the paper's number and original issue
 * date, the issuing institution's current key, `supersedes` empty, marked back-issued, no number
 * from stock and no PDF until its first download. A run works through an input in batches; each
 * batch lands in one unit of work together with the run's progress, so a run stopped at any
 * moment continues after its last committed line and never issues a number twice.
 */

/** One line of the input: its record as read, or why it could not be read. */
export type BackfillLine = { line: number; record: unknown } | { line: number; unreadable: string };

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

export type BackfillPorts = Pick<
  LifecyclePorts,
  'transactions' | 'register' | 'institutions' | 'signer' | 'statusLists' | 'validateCertificate' | 'secrets' | 'clock'
> & {
  audit: Pick<LifecyclePorts['audit'], 'record'>;
  progress: BackfillProgressStore;
  licenceTypeCode: string;
};

/** The input's fields besides the certificate's surface items (docs/backfill.md). */
const ISSUER_FIELD = 'issuerCreditCode';

interface Accepted {
  line: number;
  certificate: Certificate;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The certificate a line describes, with the issuer filled in from the institution directory, or its errors. */
function certificateOf(
  ports: Pick<BackfillPorts, 'institutions' | 'validateCertificate'>,
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
    institutions.set(creditCode, institution);
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

/**
 * One batch: every line validated, numbers already in the register skipped (a back-issued one
 * from an earlier run) or refused (one issued otherwise), the rest signed and committed with
 * their status-list places, audit events, rejects and the run's progress in one unit of work.
 */
export async function backfillBatch(
  ports: BackfillPorts,
  operator: Operator,
  source: string,
  lines: readonly BackfillLine[],
  institutions: Map<string, InstitutionRecord | null> = new Map(),
): Promise<BackfillCounts> {
  const counts: BackfillCounts = { issued: 0, rejected: 0, skipped: 0 };
  const rejects: BackfillReject[] = [];
  const accepted: Accepted[] = [];
  const seen = new Set<string>();
  for (const entry of lines) {
    if ('unreadable' in entry) {
      rejects.push({ line: entry.line, certificateNo: null, errors: [{ path: 'body', message: entry.unreadable }] });
      continue;
    }
    const outcome = certificateOf(ports, institutions, entry.record);
    if ('errors' in outcome) {
      const no =
        isObject(entry.record) && typeof entry.record.certificateNo === 'string' ? entry.record.certificateNo : null;
      rejects.push({ line: entry.line, certificateNo: no, errors: outcome.errors });
      continue;
    }
    const no = outcome.certificate.certificateNo;
    const backfilled = seen.has(no) ? true : ports.register.backfilledOf(no);
    if (backfilled === true) {
      counts.skipped++;
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
    seen.add(no);
    accepted.push({ line: entry.line, certificate: outcome.certificate });
  }

  const issuedAt = ports.clock.now();
  // The status-list places first, in a unit of work of their own: a number keeps its place when
  // a stopped batch is run again, and the places go into what is signed.
  const places = ports.transactions.run(() =>
    accepted.map((a) =>
      ports.statusLists.assign(a.certificate.certificateNo, a.certificate.issuer.creditCode, issuedAt),
    ),
  );
  const records: CertificateRecord[] = await Promise.all(
    accepted.map(async ({ certificate }, index) => {
      const lineage = ports.secrets.newLicenceSerial();
      const payload = envelope(
        certificate,
        { typeCode: ports.licenceTypeCode, serial: lineage, version: 1, supersedes: null },
        places[index]!,
      );
      const signed = await ports.signer.sign(payload, issuedAt);
      return {
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
      } satisfies CertificateRecord;
    }),
  );

  const lastLine = lines.at(-1)?.line;
  ports.transactions.run(() => {
    for (const record of records) {
      ports.register.insertBackfilled(record);
      ports.audit.record(
        eventBy(operator, 'certificate.backfilled', record.certificateNo, {
          licenceId: record.licenceId,
          paperIssueDate: record.certificate.issueDate,
          source,
        }),
        issuedAt,
      );
    }
    for (const reject of rejects) ports.progress.reject(source, reject);
    counts.issued = records.length;
    counts.rejected = rejects.length;
    if (lastLine !== undefined) ports.progress.advance(source, lastLine, counts, issuedAt);
  });
  return counts;
}
