import { formatCertificateNo } from '../../domain/institution.ts';
import type { ApplicationHolder, NumberHolder, NumberStock, Reservation } from '../../domain/lifecycle/ports.ts';
import type { SqliteDatabase } from './database.ts';

/**
 * The number stock over `number_ranges`, `voided_numbers` and the two places a reservation is
 * kept: an application being issued holds its number (and licence serial) on its own row,
 * status `issuing`, so it survives a restart for the retry; an amendment's reservation is a
 * `number_reservations` row, which the next start voids if it is still there.
 */
export function createSqliteNumberStock(db: SqliteDatabase): NumberStock {
  const q = {
    openRanges: db.prepare<[string], { id: number; prefix: string; next_no: number; last_no: number }>(
      'SELECT id, prefix, next_no, last_no FROM number_ranges WHERE institution = ? AND next_no <= last_no ORDER BY id',
    ),
    advanceRange: db.prepare('UPDATE number_ranges SET next_no = ? WHERE id = ?'),
    rangeOf: db.prepare<[string, number, number], { institution: string }>(
      'SELECT institution FROM number_ranges WHERE prefix = ? AND first_no <= ? AND last_no >= ?',
    ),
    inCertificates: db.prepare('SELECT 1 FROM certificates WHERE certificate_no = ?').pluck(),
    inVoided: db.prepare('SELECT 1 FROM voided_numbers WHERE certificate_no = ?').pluck(),
    inReservations: db.prepare('SELECT 1 FROM number_reservations WHERE certificate_no = ?').pluck(),
    inApplications: db.prepare('SELECT 1 FROM applications WHERE certificate_no = ?').pluck(),
    holdForApplication: db.prepare(
      "UPDATE applications SET status = 'issuing', certificate_no = ?, licence_serial = ? WHERE id = ? AND status = 'submitted'",
    ),
    heldByApplication: db.prepare<
      [string],
      { id: string; institution: string; certificate_no: string; licence_serial: string }
    >(
      `SELECT id, institution, certificate_no, licence_serial FROM applications
        WHERE id = ? AND status = 'issuing'`,
    ),
    applicationIssued: db.prepare("UPDATE applications SET status = 'issued', issued_at = ? WHERE id = ?"),
    reserve: db.prepare(
      'INSERT INTO number_reservations (certificate_no, institution, purpose, reserved_at) VALUES (?, ?, ?, ?)',
    ),
    release: db.prepare('DELETE FROM number_reservations WHERE certificate_no = ?'),
    reservations: db.prepare<[], { certificate_no: string; institution: string; purpose: string }>(
      'SELECT certificate_no, institution, purpose FROM number_reservations ORDER BY certificate_no',
    ),
    voidNumber: db.prepare(
      'INSERT INTO voided_numbers (certificate_no, institution, reason, note, voided_at, voided_by) VALUES (?, ?, ?, ?, ?, ?)',
    ),
  };

  const isUsed = (no: string) =>
    [q.inCertificates, q.inVoided, q.inReservations, q.inApplications].some((query) => query.get(no) !== undefined);

  /** The next unused number of the institution's ranges, taken for good; null when exhausted. */
  function takeNumber(institution: string): string | null {
    for (const range of q.openRanges.all(institution)) {
      let next = range.next_no;
      while (next <= range.last_no) {
        const candidate = formatCertificateNo(range.prefix, next);
        next++;
        if (!isUsed(candidate)) {
          q.advanceRange.run(next, range.id);
          return candidate;
        }
      }
      q.advanceRange.run(next, range.id);
    }
    return null;
  }

  return {
    reserve<H extends NumberHolder>(institution: string, holder: H, at: Date): Reservation<H> | null {
      const certificateNo = takeNumber(institution);
      if (certificateNo === null) return null;
      if (holder.kind === 'application') {
        const held = q.holdForApplication.run(certificateNo, holder.lineage, holder.applicationId);
        if (held.changes !== 1) throw new Error(`Application ${holder.applicationId} is not awaiting issue`);
      } else {
        q.reserve.run(certificateNo, institution, holder.purpose, at.toISOString());
      }
      return { certificateNo, institution, holder };
    },
    heldByApplication(applicationId): Reservation<ApplicationHolder> | null {
      const row = q.heldByApplication.get(applicationId);
      if (!row) return null;
      return {
        certificateNo: row.certificate_no,
        institution: row.institution,
        holder: { kind: 'application', applicationId: row.id, lineage: row.licence_serial },
      };
    },
    settle(reservation, at) {
      if (reservation.holder.kind === 'application') {
        q.applicationIssued.run(at.toISOString(), reservation.holder.applicationId);
      } else {
        q.release.run(reservation.certificateNo);
      }
    },
    release(no) {
      q.release.run(no);
    },
    abandoned: () =>
      q.reservations.all().map((r) => ({
        certificateNo: r.certificate_no,
        institution: r.institution,
        holder: { kind: 'amendment', purpose: r.purpose as 'replacement' | 'reissue' },
      })),
    isUsed,
    ownerOf(no) {
      if (!/^[A-Z]\d{9}$/.test(no)) return null;
      const n = Number(no.slice(1));
      return q.rangeOf.get(no[0]!, n, n)?.institution ?? null;
    },
    voidNumber(no, institution, reason, note, by, at) {
      q.voidNumber.run(no, institution, reason, note, at.toISOString(), by);
    },
  };
}
