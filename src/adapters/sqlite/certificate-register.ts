import { createHash } from 'node:crypto';
import type { CertificateRegister } from '../../domain/lifecycle/ports.ts';
import type { CertificateRecord } from '../../domain/lifecycle/records.ts';
import type { SqliteDatabase } from './database.ts';

interface CertificateRow {
  certificate_no: string;
  licence_id: string;
  lineage: string;
  version: number;
  institution: string;
  application_id: string | null;
  kind: CertificateRecord['kind'];
  status: CertificateRecord['status'];
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

const certificateColumns = `certificate_no, licence_id, lineage, version, institution, application_id, kind, status,
  status_reason, status_note, status_changed_at, supersedes, superseded_by, change_reason, child_registered,
  certificate, licence, registration, signed_json, licence_digest, qr_text, issued_at, issued_by`;

/** What a read selects: the inserted columns and the back-issuance mark (migration 011). */
const selectColumns = `${certificateColumns}, backfilled`;

const toCertificate = (row: CertificateRow): CertificateRecord => ({
  certificateNo: row.certificate_no,
  licenceId: row.licence_id,
  lineage: row.lineage,
  version: row.version,
  institution: row.institution,
  applicationId: row.application_id,
  kind: row.kind,
  status: row.status,
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
  status: CertificateRecord['status'];
  superseded_by: string | null;
  licence_id: string;
  licence_digest: string;
  pdf_sha256: string | null;
  household_registered: number;
  backfilled: number;
  earlier_pdf_digests?: string | null;
}

const toRegisterEntry = (row: RegisterRow) => ({
  status: row.status,
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

/** Fills in the PDF digest of rows issued before migration 004, once (a back-issued row without its PDF yet has none). */
function backfillPdfDigests(db: SqliteDatabase): void {
  // In batches: a register's PDFs together are far larger than memory should hold at once.
  const missing = db.prepare<[], { certificate_no: string; pdf: Buffer }>(
    'SELECT certificate_no, pdf FROM certificates WHERE pdf_sha256 IS NULL AND length(pdf) > 0 LIMIT 200',
  );
  const set = db.prepare('UPDATE certificates SET pdf_sha256 = ? WHERE certificate_no = ?');
  const batch = db.transaction(() => {
    const rows = missing.all();
    for (const row of rows) set.run(sha256(row.pdf), row.certificate_no);
    return rows.length;
  });
  while (batch() > 0);
}

const registerEntryColumns = `c.certificate_no, c.status, c.superseded_by, c.licence_id, c.licence_digest, c.pdf_sha256, c.backfilled,
  EXISTS (SELECT 1 FROM household_registrations h WHERE h.lineage = c.lineage) AS household_registered`;

/** The columns of a certificate row but its PDF. */
const rowOf = (r: CertificateRecord) => ({
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
 * The certificate register: certificates, their status and documents. The claim code columns of
 * the same rows are the claim code store's; a lookup also says whether the birth went through 落户.
 */
export function createSqliteCertificateRegister(db: SqliteDatabase): CertificateRegister {
  backfillPdfDigests(db);
  const q = {
    insert: db.prepare(
      `INSERT INTO certificates (${certificateColumns}, pdf, pdf_sha256, mother_id_number, birth_time, sex, division_code)
       VALUES (@certificate_no, @licence_id, @lineage, @version, @institution, @application_id, @kind, @status,
         @status_reason, @status_note, @status_changed_at, @supersedes, @superseded_by, @change_reason, @child_registered,
         @certificate, @licence, @registration, @signed_json, @licence_digest, @qr_text, @issued_at, @issued_by,
         @pdf, @pdf_sha256, @mother_id_number, @birth_time, @sex, @division_code)`,
    ),
    // A back-issued certificate enters without its PDF (the empty blob until first download).
    insertBackfilled: db.prepare(
      `INSERT INTO certificates (${certificateColumns}, pdf, pdf_sha256, mother_id_number, birth_time, sex, division_code, backfilled)
       VALUES (@certificate_no, @licence_id, @lineage, @version, @institution, @application_id, @kind, @status,
         @status_reason, @status_note, @status_changed_at, @supersedes, @superseded_by, @change_reason, @child_registered,
         @certificate, @licence, @registration, @signed_json, @licence_digest, @qr_text, @issued_at, @issued_by,
         X'', NULL, @mother_id_number, @birth_time, @sex, @division_code, 1)`,
    ),
    storePdf: db.prepare(
      `UPDATE certificates SET pdf = ?, pdf_sha256 = ? WHERE certificate_no = ? AND length(pdf) = 0`,
    ),
    backfilledOf: db.prepare<[string], { backfilled: number }>(
      'SELECT backfilled FROM certificates WHERE certificate_no = ?',
    ),
    find: db.prepare<[string], CertificateRow>(`SELECT ${selectColumns} FROM certificates WHERE certificate_no = ?`),
    byMother: db.prepare<[string], CertificateRow>(
      `SELECT ${selectColumns} FROM certificates WHERE mother_id_number = ? ORDER BY issued_at`,
    ),
    lineage: db.prepare<[string], CertificateRow>(
      `SELECT ${selectColumns} FROM certificates WHERE lineage = ? ORDER BY version`,
    ),
    pdf: db.prepare<[string], { pdf: Buffer }>('SELECT pdf FROM certificates WHERE certificate_no = ?'),
    supersede: db.prepare(
      `UPDATE certificates SET status = 'superseded', superseded_by = ?, status_reason = ?, status_changed_at = ?
       WHERE certificate_no = ?`,
    ),
    setStatus: db.prepare(
      `UPDATE certificates SET status = ?, status_reason = ?, status_note = ?, status_changed_at = ?
       WHERE certificate_no = ?`,
    ),
    // Digests are base64url: a comma cannot occur in one.
    lookup: db.prepare<[string], RegisterRow>(
      `SELECT ${registerEntryColumns},
         (SELECT group_concat(h.pdf_sha256) FROM certificate_pdf_history h WHERE h.certificate_no = c.certificate_no)
           AS earlier_pdf_digests
       FROM certificates c WHERE c.certificate_no = ?`,
    ),
    // issued_at is never before the signing time (`sigT` is issued_at to the whole second below).
    issuedSince: db.prepare<[string, string], { certificate_no: string; signed_json: string }>(
      `SELECT certificate_no, signed_json FROM certificates
        WHERE institution = ? AND issued_at >= ? ORDER BY issued_at, certificate_no`,
    ),
    snapshot: db.prepare<[], RegisterRow>(
      `SELECT ${registerEntryColumns} FROM certificates c ORDER BY c.certificate_no`,
    ),
  };

  return {
    insert(r, pdf) {
      q.insert.run({ ...rowOf(r), pdf: Buffer.from(pdf), pdf_sha256: sha256(pdf) });
    },
    insertBackfilled(r) {
      q.insertBackfilled.run(rowOf(r));
    },
    backfilledOf(no) {
      const row = q.backfilledOf.get(no);
      return row === undefined ? null : row.backfilled === 1;
    },
    storePdf(no, pdf) {
      return q.storePdf.run(Buffer.from(pdf), sha256(pdf), no).changes === 1;
    },
    find(no) {
      const row = q.find.get(no);
      return row ? toCertificate(row) : null;
    },
    findByMother: (id) => q.byMother.all(id).map(toCertificate),
    lineage: (lineage) => q.lineage.all(lineage).map(toCertificate),
    pdf(no) {
      const row = q.pdf.get(no);
      // The empty blob: a back-issued certificate whose PDF nobody has downloaded yet.
      return row && row.pdf.length > 0 ? new Uint8Array(row.pdf) : null;
    },
    supersede(no, successor, reason, at) {
      q.supersede.run(successor, reason, at.toISOString(), no);
    },
    setStatus(no, status, reason, note, at) {
      q.setStatus.run(status, reason, note, at.toISOString(), no);
    },
    lookup(no) {
      const row = q.lookup.get(no);
      return row ? toRegisterEntry(row) : null;
    },
    signedWithKeySince(institution, kid, since) {
      return q.issuedSince
        .all(institution, since.toISOString())
        .filter((row) => {
          const header = signingHeaderOf(row.signed_json);
          return header !== null && header.kid === kid && Date.parse(header.sigT) >= since.getTime();
        })
        .map((row) => row.certificate_no);
    },
    snapshot: () => q.snapshot.all().map((row) => ({ certificateNo: row.certificate_no, ...toRegisterEntry(row) })),
  };
}
