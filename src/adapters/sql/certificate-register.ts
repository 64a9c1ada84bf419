import { createHash } from 'node:crypto';
import { type ExpressionBuilder, sql as raw } from 'kysely';
import type { CertificateRegister } from '../../domain/lifecycle/ports.ts';
import type { CertificateRecord } from '../../domain/lifecycle/records.ts';
import { compileOnce } from './compile-once.ts';
import type { DB } from './schema.generated.ts';
import { insertJwsHeader, sharedHeaderOf, signedJsonColumn } from './shared-jws-headers.ts';
import { atomically, type Sql } from './sql.ts';

interface CertificateRow {
  certificate_no: string;
  licence_id: string;
  lineage: string;
  version: number;
  institution: string;
  application_id: string | null;
  kind: string;
  status: string;
  status_reason: string | null;
  status_note: string | null;
  status_changed_at: string | null;
  supersedes: string | null;
  superseded_by: string | null;
  change_reason: string | null;
  child_registered: number | null;
  certificate: string;
  licence: string;
  registration: string;
  signed_json: string;
  licence_digest: string;
  qr_text: string;
  issued_at: string;
  issued_by: string;
  backfilled: number;
}

/** The columns a read selects: the inserted ones and the back-issuance mark (migration 011); not the PDF. */
const selectColumns = [
  'certificate_no',
  'licence_id',
  'lineage',
  'version',
  'institution',
  'application_id',
  'kind',
  'status',
  'status_reason',
  'status_note',
  'status_changed_at',
  'supersedes',
  'superseded_by',
  'change_reason',
  'child_registered',
  'certificate',
  'licence',
  'registration',
  'licence_digest',
  'qr_text',
  'issued_at',
  'issued_by',
  'backfilled',
] as const;

const toCertificate = (row: CertificateRow): CertificateRecord => ({
  certificateNo: row.certificate_no,
  licenceId: row.licence_id,
  lineage: row.lineage,
  version: row.version,
  institution: row.institution,
  applicationId: row.application_id,
  kind: row.kind as CertificateRecord['kind'],
  status: row.status as CertificateRecord['status'],
  statusReason: row.status_reason,
  statusNote: row.status_note,
  statusChangedAt: row.status_changed_at,
  supersedes: row.supersedes,
  supersededBy: row.superseded_by,
  changeReason: row.change_reason,
  householdRegisteredAtReissue: row.child_registered === null ? null : row.child_registered === 1,
  certificate: JSON.parse(row.certificate),
  licence: JSON.parse(row.licence),
  registrationItems: JSON.parse(row.registration),
  signedJson: row.signed_json,
  licenceDigest: row.licence_digest,
  qrText: row.qr_text,
  issuedAt: row.issued_at,
  issuedBy: row.issued_by,
  ...(row.backfilled === 1 && { backfilled: true }),
});

interface RegisterRow {
  certificate_no: string;
  status: string;
  superseded_by: string | null;
  licence_id: string;
  licence_digest: string;
  pdf_sha256: string | null;
  household_registered: number;
  backfilled: number;
  earlier_pdf_digests?: string | null;
  /** The status list entry the register assigned (verification's lookup joins it). */
  status_idx?: number | null;
  status_uri?: string | null;
}

const toRegisterEntry = (row: RegisterRow) => ({
  status: row.status as CertificateRecord['status'],
  supersededBy: row.superseded_by,
  licenceId: row.licence_id,
  licenceDigest: row.licence_digest,
  pdfDigest: row.pdf_sha256,
  ...(row.earlier_pdf_digests ? { earlierPdfDigests: row.earlier_pdf_digests.split(',') } : {}),
  householdRegistered: row.household_registered === 1,
  ...(row.backfilled === 1 && { backfilled: true }),
});

/** The `kid` and `sigT` of a stored flattened JWS's protected header; null if unreadable. */
function signingHeaderOf(signedJson: string): { kid: string; sigT: string } | null {
  try {
    const jws = JSON.parse(signedJson) as { protected?: unknown };
    if (typeof jws.protected !== 'string') return null;
    const header = JSON.parse(Buffer.from(jws.protected, 'base64url').toString('utf8')) as Record<string, unknown>;
    return typeof header.kid === 'string' && typeof header.sigT === 'string'
      ? { kid: header.kid, sigT: header.sigT }
      : null;
  } catch {
    return null;
  }
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64url');

/**
 * Stored PDFs of rows issued before migration 004, whose digest is still to be filled in. Such
 * rows are the only ones in migration 024's partial index (a back-issued row has no digest until
 * its PDF is rendered, and is left out of it), so on a register without any this is one look into
 * an empty index. The index's conditions are written as literals: the planners use a partial
 * index only for a query whose own text implies them.
 */
export const undigestedPdfs = (sql: Sql, limit: number) =>
  sql.db
    .selectFrom('certificates as c')
    .innerJoin('certificate_pdfs as p', 'p.certificate_no', 'c.certificate_no')
    .select(['c.certificate_no', 'p.pdf'])
    .where('c.pdf_sha256', 'is', null)
    .where('c.backfilled', '=', raw.lit(0))
    .limit(limit);

/** Fills in those digests, once (see above). */
function backfillPdfDigests(sql: Sql): void {
  const { db } = sql;
  // In batches: a register's PDFs together are far larger than memory should hold at once.
  const batch = () =>
    sql.transaction(() => {
      const rows = sql.all(undigestedPdfs(sql, 200));
      for (const row of rows) {
        sql.run(
          db
            .updateTable('certificates')
            .set({ pdf_sha256: sha256(row.pdf) })
            .where('certificate_no', '=', row.certificate_no),
        );
      }
      return rows.length;
    });
  while (batch() > 0);
}

type RegisterScope = ExpressionBuilder<DB & { c: DB['certificates'] }, 'c'>;

/**
 * Whether some version of the birth went through 落户, as 0/1: EXISTS in a select list is 0/1 in
 * SQLite but a boolean in PostgreSQL; a CASE is 0/1 in both.
 */
const householdRegistered = (eb: RegisterScope) =>
  eb
    .case()
    .when(
      eb.exists(
        eb
          .selectFrom('household_registrations as h')
          .select(eb.lit(1).as('one'))
          .whereRef('h.lineage', '=', 'c.lineage'),
      ),
    )
    .then(eb.lit(1))
    .else(eb.lit(0))
    .end()
    .as('household_registered');

/**
 * The digests of a certificate's earlier PDFs, comma-separated (digests are base64url: a comma
 * cannot occur in one), null when there are none. The aggregate is group_concat in SQLite and
 * string_agg in PostgreSQL; neither promises an order, and verification only asks for membership.
 */
const earlierPdfDigests = (sql: Sql, eb: RegisterScope) =>
  eb
    .selectFrom('certificate_pdf_history as h')
    .select((sub) =>
      sub.fn
        .agg<string | null>(sql.engine === 'sqlite' ? 'group_concat' : 'string_agg', ['h.pdf_sha256', raw.lit(',')])
        .as('digests'),
    )
    .whereRef('h.certificate_no', '=', 'c.certificate_no')
    .as('earlier_pdf_digests');

const registerEntryColumns = [
  'c.certificate_no',
  'c.status',
  'c.superseded_by',
  'c.licence_id',
  'c.licence_digest',
  'c.pdf_sha256',
  'c.backfilled',
] as const;

/**
 * Verification's read of a certificate: its status, what a presented credential is checked
 * against, and the status list entry it was given (a credential must name this one).
 */
export const registerLookup = (sql: Sql, no: string) =>
  sql.db
    .selectFrom('certificates as c')
    .leftJoin('status_list_entries as e', 'e.certificate_no', 'c.certificate_no')
    .leftJoin('status_lists as l', 'l.id', 'e.list_id')
    .select((eb) => [
      ...registerEntryColumns,
      householdRegistered(eb),
      earlierPdfDigests(sql, eb),
      'e.idx as status_idx',
      'l.uri as status_uri',
    ])
    .where('c.certificate_no', '=', no);

/** The columns of a certificate row but its PDF (back-issuance's rows are made from it too: backfill-rows.ts). */
export const certificateRowOf = (r: CertificateRecord) => ({
  certificate_no: r.certificateNo,
  licence_id: r.licenceId,
  lineage: r.lineage,
  version: r.version,
  institution: r.institution,
  application_id: r.applicationId,
  kind: r.kind,
  status: r.status,
  status_reason: r.statusReason,
  status_note: r.statusNote,
  status_changed_at: r.statusChangedAt,
  supersedes: r.supersedes,
  superseded_by: r.supersededBy,
  change_reason: r.changeReason,
  child_registered: r.householdRegisteredAtReissue === null ? null : Number(r.householdRegisteredAtReissue),
  certificate: JSON.stringify(r.certificate),
  licence: JSON.stringify(r.licence),
  registration: JSON.stringify(r.registrationItems),
  signed_json: r.signedJson,
  licence_digest: r.licenceDigest,
  qr_text: r.qrText,
  issued_at: r.issuedAt,
  issued_by: r.issuedBy,
  mother_id_number: r.certificate.mother.idNumber,
  birth_time: r.certificate.newborn.birthTime,
  sex: r.certificate.newborn.sex,
  division_code: r.certificate.birthPlace.divisionCode,
});

/**
 * A back-issued certificate's columns (the PDF aside): its JWS's protected header apart when it
 * has the usual form, to be stored once for the batch (`insertJwsHeader`).
 */
export function backfilledRowOf(r: CertificateRecord) {
  const shared = sharedHeaderOf(r.signedJson);
  return {
    row: {
      ...certificateRowOf(r),
      signed_json: shared?.rest ?? r.signedJson,
      jws_header: shared?.header.digest ?? null,
    },
    header: shared?.header ?? null,
  };
}

/**
 * The certificate register: certificates, their status and documents. The claim code columns of
 * the same rows are the claim code store's; a lookup also says whether the birth went through 落户.
 */
export function createSqlCertificateRegister(sql: Sql): CertificateRegister {
  backfillPdfDigests(sql);
  const { db } = sql;
  const certificates = () => db.selectFrom('certificates').select([...selectColumns, signedJsonColumn]);
  // Verification's one read per request: compiled once here, only its parameter bound per call.
  const lookup = compileOnce<{ no: string }, RegisterRow>(sql, (value) => registerLookup(sql, value('no')));

  const pdfRow = (no: string, pdf: Uint8Array) =>
    db.insertInto('certificate_pdfs').values({ certificate_no: no, pdf: Buffer.from(pdf) });

  return {
    insert(r, pdf) {
      // Both rows of a certificate or neither.
      atomically(sql, () => {
        sql.write(db.insertInto('certificates').values({ ...certificateRowOf(r), pdf_sha256: sha256(pdf) }));
        sql.write(pdfRow(r.certificateNo, pdf));
      });
    },
    insertBackfilled(r) {
      // A back-issued certificate enters without its PDF (no row in certificate_pdfs until first download).
      const { row, header } = backfilledRowOf(r);
      if (header) insertJwsHeader(sql, header);
      sql.run(db.insertInto('certificates').values({ ...row, pdf_sha256: null, backfilled: 1 }));
    },
    backfilledOf(no) {
      const row = sql.get(db.selectFrom('certificates').select('backfilled').where('certificate_no', '=', no));
      return row === undefined ? null : row.backfilled === 1;
    },
    storePdf(no, pdf) {
      return atomically(sql, () => {
        if (!sql.get(db.selectFrom('certificates').select('certificate_no').where('certificate_no', '=', no)))
          return false;
        // The first PDF stored wins; a certificate that has one keeps it.
        if (sql.run(pdfRow(no, pdf).onConflict((oc) => oc.column('certificate_no').doNothing())) !== 1) return false;
        sql.write(
          db
            .updateTable('certificates')
            .set({ pdf_sha256: sha256(pdf) })
            .where('certificate_no', '=', no),
        );
        return true;
      });
    },
    find(no) {
      const row = sql.get(certificates().where('certificate_no', '=', no));
      return row ? toCertificate(row) : null;
    },
    findByMother: (id) =>
      sql
        .all(
          certificates()
            .where('mother_id_number', '=', id)
            .orderBy('issued_at')
            .orderBy('version')
            .orderBy('certificate_no'),
        )
        .map(toCertificate),
    lineage: (lineage) => sql.all(certificates().where('lineage', '=', lineage).orderBy('version')).map(toCertificate),
    pdf(no) {
      // None: a back-issued certificate whose PDF nobody has downloaded yet.
      const row = sql.get(db.selectFrom('certificate_pdfs').select('pdf').where('certificate_no', '=', no));
      return row ? new Uint8Array(row.pdf) : null;
    },
    supersede(no, successor, reason, at) {
      sql.run(
        db
          .updateTable('certificates')
          .set({
            status: 'superseded',
            superseded_by: successor,
            status_reason: reason,
            status_changed_at: at.toISOString(),
          })
          .where('certificate_no', '=', no),
      );
    },
    setStatus(no, status, reason, note, at) {
      sql.run(
        db
          .updateTable('certificates')
          .set({ status, status_reason: reason, status_note: note, status_changed_at: at.toISOString() })
          .where('certificate_no', '=', no),
      );
    },
    lookup(no) {
      const row = sql.get(lookup({ no }));
      if (!row) return null;
      const statusList = row.status_uri ? { idx: row.status_idx!, uri: row.status_uri } : null;
      return { ...toRegisterEntry(row), statusList };
    },
    signedWithKeySince(institution, kid, since) {
      // issued_at is never before the signing time (`sigT` is issued_at to the whole second below).
      const rows = sql.all(
        db
          .selectFrom('certificates')
          .select(['certificate_no', signedJsonColumn])
          .where('institution', '=', institution)
          .where('issued_at', '>=', since.toISOString())
          .orderBy('issued_at')
          .orderBy('certificate_no'),
      );
      return rows
        .filter((row) => {
          const header = signingHeaderOf(row.signed_json);
          return header !== null && header.kid === kid && Date.parse(header.sigT) >= since.getTime();
        })
        .map((row) => row.certificate_no);
    },
    snapshot: () =>
      sql
        .all(
          db
            .selectFrom('certificates as c')
            .select((eb) => [...registerEntryColumns, householdRegistered(eb)])
            .orderBy('c.certificate_no'),
        )
        .map((row) => ({ certificateNo: row.certificate_no, ...toRegisterEntry(row) })),
  };
}
