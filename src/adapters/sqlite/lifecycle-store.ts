import { formatCertificateNo } from '../../domain/institution.ts';
import type { LifecycleStore } from '../../domain/lifecycle/ports.ts';
import type { ApplicationRecord, CertificateRecord, DeliveryRecord } from '../../domain/lifecycle/records.ts';
import type { SqliteDatabase } from './database.ts';
import { createSqliteRegistrationQueries } from './registration-queries.ts';

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
}

const certificateColumns = `certificate_no, licence_id, lineage, version, institution, application_id, kind, status,
  status_reason, status_note, status_changed_at, supersedes, superseded_by, change_reason, child_registered,
  certificate, licence, registration, signed_json, licence_digest, qr_text, issued_at, issued_by`;

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
  childRegistered: row.child_registered === null ? null : row.child_registered === 1,
  certificate: JSON.parse(row.certificate),
  licence: JSON.parse(row.licence),
  registration: JSON.parse(row.registration),
  signedJson: row.signed_json,
  licenceDigest: row.licence_digest,
  qrText: row.qr_text,
  issuedAt: row.issued_at,
  issuedBy: row.issued_by,
});

interface ApplicationRow {
  id: string;
  institution: string;
  delivery_id: string | null;
  record: string;
  status: ApplicationRecord['status'];
  certificate_no: string | null;
  licence_serial: string | null;
  created_by: string;
  created_at: string;
}

/** better-sqlite3 runs synchronously, so a transaction never interleaves with another request. */
export function createSqliteLifecycleStore(db: SqliteDatabase): LifecycleStore {
  const q = {
    insertDelivery: db.prepare(
      'INSERT INTO deliveries (id, institution, record, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)',
    ),
    delivery: db.prepare<
      [string],
      { record: string; id: string; institution: string; recorded_by: string; recorded_at: string }
    >('SELECT * FROM deliveries WHERE id = ?'),
    // A birth has its certificate while an issue is under way or any version of it is valid or
    // revoked; after a void (printing or entry error) the delivery record may be issued again.
    deliveryIssued: db.prepare<[string], { n: number }>(
      `SELECT count(*) AS n FROM applications a
        WHERE a.delivery_id = ?
          AND (a.status = 'issuing'
               OR EXISTS (SELECT 1 FROM certificates c JOIN certificates v ON v.lineage = c.lineage
                           WHERE c.certificate_no = a.certificate_no AND v.status IN ('valid', 'revoked')))`,
    ),
    insertApplication: db.prepare(
      `INSERT INTO applications (id, institution, delivery_id, record, status, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    application: db.prepare<[string], ApplicationRow>('SELECT * FROM applications WHERE id = ?'),
    applicationIssuing: db.prepare(
      "UPDATE applications SET status = 'issuing', certificate_no = ?, licence_serial = ? WHERE id = ? AND status = 'submitted'",
    ),
    applicationIssued: db.prepare("UPDATE applications SET status = 'issued', issued_at = ? WHERE id = ?"),
    openRanges: db.prepare<[string], { id: number; prefix: string; next_no: number; last_no: number }>(
      'SELECT id, prefix, next_no, last_no FROM number_ranges WHERE institution = ? AND next_no <= last_no ORDER BY id',
    ),
    advanceRange: db.prepare('UPDATE number_ranges SET next_no = ? WHERE id = ?'),
    voidedNumber: db.prepare<[string], { certificate_no: string }>(
      'SELECT certificate_no FROM voided_numbers WHERE certificate_no = ?',
    ),
    reservedNumber: db.prepare<[string], { certificate_no: string }>(
      'SELECT certificate_no FROM number_reservations WHERE certificate_no = ?',
    ),
    issuedNumber: db.prepare<[string], { certificate_no: string }>(
      'SELECT certificate_no FROM certificates WHERE certificate_no = ?',
    ),
    applicationNumber: db.prepare<[string], { certificate_no: string }>(
      'SELECT certificate_no FROM applications WHERE certificate_no = ?',
    ),
    reserve: db.prepare(
      'INSERT INTO number_reservations (certificate_no, institution, purpose, reserved_at) VALUES (?, ?, ?, ?)',
    ),
    release: db.prepare('DELETE FROM number_reservations WHERE certificate_no = ?'),
    reservations: db.prepare<[], { certificate_no: string; institution: string; purpose: string }>(
      'SELECT certificate_no, institution, purpose FROM number_reservations ORDER BY certificate_no',
    ),
    rangeOf: db.prepare<[string, number, number], { institution: string }>(
      'SELECT institution FROM number_ranges WHERE prefix = ? AND first_no <= ? AND last_no >= ?',
    ),
    insertCertificate: db.prepare(
      `INSERT INTO certificates (${certificateColumns}, pdf, claim_code_hash, mother_id_number, birth_time, sex, division_code)
       VALUES (@certificate_no, @licence_id, @lineage, @version, @institution, @application_id, @kind, @status,
         @status_reason, @status_note, @status_changed_at, @supersedes, @superseded_by, @change_reason, @child_registered,
         @certificate, @licence, @registration, @signed_json, @licence_digest, @qr_text, @issued_at, @issued_by,
         @pdf, @claim_code_hash, @mother_id_number, @birth_time, @sex, @division_code)`,
    ),
    certificate: db.prepare<[string], CertificateRow>(
      `SELECT ${certificateColumns} FROM certificates WHERE certificate_no = ?`,
    ),
    byMother: db.prepare<[string], CertificateRow>(
      `SELECT ${certificateColumns} FROM certificates WHERE mother_id_number = ? ORDER BY issued_at`,
    ),
    lineage: db.prepare<[string], CertificateRow>(
      `SELECT ${certificateColumns} FROM certificates WHERE lineage = ? ORDER BY version`,
    ),
    pdf: db.prepare<[string], { pdf: Buffer }>('SELECT pdf FROM certificates WHERE certificate_no = ?'),
    supersede: db.prepare(
      `UPDATE certificates SET status = 'superseded', superseded_by = ?, status_reason = ?, status_changed_at = ?,
              claim_code_hash = NULL
       WHERE certificate_no = ?`,
    ),
    setStatus: db.prepare(
      `UPDATE certificates SET status = ?, status_reason = ?, status_note = ?, status_changed_at = ?, claim_code_hash = NULL
       WHERE certificate_no = ?`,
    ),
    voidBlank: db.prepare(
      'INSERT INTO voided_numbers (certificate_no, institution, reason, note, voided_at, voided_by) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    setClaim: db.prepare('UPDATE certificates SET claim_code_hash = ? WHERE certificate_no = ?'),
    claimState: db.prepare<[string], { claim_code_hash: string | null; claim_failures: number }>(
      'SELECT claim_code_hash, claim_failures FROM certificates WHERE certificate_no = ?',
    ),
    claimFailure: db.prepare<[string], { claim_failures: number }>(
      'UPDATE certificates SET claim_failures = claim_failures + 1 WHERE certificate_no = ? RETURNING claim_failures',
    ),
    claimReset: db.prepare('UPDATE certificates SET claim_failures = 0 WHERE certificate_no = ?'),
  };

  /** Issued, voided, reserved for an amendment, or reserved by an application being issued. */
  const isNumberUsed = (no: string) =>
    Boolean(
      q.issuedNumber.get(no) ?? q.voidedNumber.get(no) ?? q.reservedNumber.get(no) ?? q.applicationNumber.get(no),
    );

  return {
    transaction: (fn) => db.transaction(fn)(),

    insertDelivery(r: DeliveryRecord) {
      const { id, institution, recordedBy, recordedAt, ...items } = r;
      q.insertDelivery.run(id, institution, JSON.stringify(items), recordedBy, recordedAt);
    },
    findDelivery(id) {
      const row = q.delivery.get(id);
      if (!row) return null;
      return {
        ...JSON.parse(row.record),
        id: row.id,
        institution: row.institution,
        recordedBy: row.recorded_by,
        recordedAt: row.recorded_at,
      };
    },
    deliveryIssued: (id) => q.deliveryIssued.get(id)!.n > 0,

    insertApplication(r: ApplicationRecord) {
      q.insertApplication.run(
        r.id,
        r.institution,
        r.deliveryId,
        JSON.stringify(r.input),
        r.status,
        r.createdBy,
        r.createdAt,
      );
    },
    findApplication(id) {
      const row = q.application.get(id);
      if (!row) return null;
      return {
        id: row.id,
        institution: row.institution,
        deliveryId: row.delivery_id,
        input: JSON.parse(row.record),
        status: row.status,
        certificateNo: row.certificate_no,
        licenceSerial: row.licence_serial,
        createdBy: row.created_by,
        createdAt: row.created_at,
      };
    },
    markApplicationIssuing(id, certificateNo, serial) {
      q.applicationIssuing.run(certificateNo, serial, id);
    },
    markApplicationIssued(id, issuedAt) {
      q.applicationIssued.run(issuedAt, id);
    },

    takeNumber(institution) {
      for (const range of q.openRanges.all(institution)) {
        let next = range.next_no;
        while (next <= range.last_no) {
          const candidate = formatCertificateNo(range.prefix, next);
          next++;
          if (!isNumberUsed(candidate)) {
            q.advanceRange.run(next, range.id);
            return candidate;
          }
        }
        q.advanceRange.run(next, range.id);
      }
      return null;
    },
    reserveNumber(no, institution, purpose, now) {
      q.reserve.run(no, institution, purpose, now.toISOString());
    },
    releaseReservation(no) {
      q.release.run(no);
    },
    staleReservations: () =>
      q.reservations
        .all()
        .map((r) => ({ certificateNo: r.certificate_no, institution: r.institution, purpose: r.purpose })),
    isNumberUsed,
    numberBelongsTo(no) {
      if (!/^[A-Z]\d{9}$/.test(no)) return null;
      return q.rangeOf.get(no[0]!, Number(no.slice(1)), Number(no.slice(1)))?.institution ?? null;
    },

    insertCertificate(r, pdf, claimCodeHash) {
      q.insertCertificate.run({
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
        child_registered: r.childRegistered === null ? null : Number(r.childRegistered),
        certificate: JSON.stringify(r.certificate),
        licence: JSON.stringify(r.licence),
        registration: JSON.stringify(r.registration),
        signed_json: r.signedJson,
        licence_digest: r.licenceDigest,
        qr_text: r.qrText,
        issued_at: r.issuedAt,
        issued_by: r.issuedBy,
        pdf: Buffer.from(pdf),
        claim_code_hash: claimCodeHash,
        mother_id_number: r.certificate.mother.idNumber,
        birth_time: r.certificate.newborn.birthTime,
        sex: r.certificate.newborn.sex,
        division_code: r.certificate.birthPlace.divisionCode,
      });
    },
    findCertificate(no) {
      const row = q.certificate.get(no);
      return row ? toCertificate(row) : null;
    },
    findCertificatesByMother: (id) => q.byMother.all(id).map(toCertificate),
    lineage: (lineage) => q.lineage.all(lineage).map(toCertificate),
    certificatePdf: (no) => {
      const row = q.pdf.get(no);
      return row ? new Uint8Array(row.pdf) : null;
    },
    supersede(no, successor, reason, now) {
      q.supersede.run(successor, reason, now.toISOString(), no);
    },
    setStatus(no, status, reason, note, now) {
      q.setStatus.run(status, reason, note, now.toISOString(), no);
    },
    voidBlankNumber(no, institution, reason, note, by, now) {
      q.voidBlank.run(no, institution, reason, note, now.toISOString(), by);
    },
    setClaimCodeHash(no, hash) {
      q.setClaim.run(hash, no);
    },
    claimState(no) {
      const row = q.claimState.get(no);
      return row ? { claimCodeHash: row.claim_code_hash, failures: row.claim_failures } : null;
    },
    recordClaimFailure: (no) => q.claimFailure.get(no)?.claim_failures ?? 0,
    resetClaimFailures(no) {
      q.claimReset.run(no);
    },

    ...createSqliteRegistrationQueries(db),
  };
}
