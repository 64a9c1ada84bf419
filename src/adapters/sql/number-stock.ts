import { formatCertificateNo } from '../../domain/institution.ts';
import type { ApplicationHolder, NumberHolder, NumberStock, Reservation } from '../../domain/lifecycle/ports.ts';
import type { Sql } from './sql.ts';

/**
 * The number stock over `number_ranges`, `voided_numbers` and the two places a reservation is
 * kept: an application being issued holds its number (and licence serial) on its own row,
 * status `issuing`, so it survives a restart for the retry; an amendment's reservation is a
 * `number_reservations` row naming the process that holds it; once that process is gone (see
 * presence.ts) the reservation is abandoned, and its number gets voided. A number is taken
 * inside the issuing unit of work, which on PostgreSQL holds the writers' lock: two nodes never
 * read the same `next_no`.
 */
export function createSqlNumberStock(sql: Sql): NumberStock {
  const { db } = sql;
  /** Issued, voided, reserved or held by an application: one query over the four places. */
  const usedQuery = (no: string) => {
    const in_ = (table: 'certificates' | 'voided_numbers' | 'number_reservations' | 'applications') =>
      db
        .selectFrom(table)
        .select((eb) => eb.lit(1).as('used'))
        .where('certificate_no', '=', no);
    return in_('certificates')
      .unionAll(in_('voided_numbers'))
      .unionAll(in_('number_reservations'))
      .unionAll(in_('applications'))
      .limit(1);
  };
  const isUsed = (no: string) => sql.get(usedQuery(no)) !== undefined;
  const advanceRange = (id: number, next: number) =>
    sql.write(db.updateTable('number_ranges').set({ next_no: next }).where('id', '=', id));

  /** The next unused number of the institution's ranges, taken for good; null when exhausted. */
  function takeNumber(institution: string): string | null {
    const open = sql.all(
      db
        .selectFrom('number_ranges')
        .select(['id', 'prefix', 'next_no', 'last_no'])
        .where('institution', '=', institution)
        .whereRef('next_no', '<=', 'last_no')
        .orderBy('id'),
    );
    for (const range of open) {
      const id = Number(range.id);
      let next = range.next_no;
      while (next <= range.last_no) {
        const candidate = formatCertificateNo(range.prefix, next);
        next++;
        if (!isUsed(candidate)) {
          advanceRange(id, next);
          return candidate;
        }
      }
      advanceRange(id, next);
    }
    return null;
  }

  const release = (no: string) => sql.run(db.deleteFrom('number_reservations').where('certificate_no', '=', no));

  return {
    reserve<H extends NumberHolder>(institution: string, holder: H, at: Date): Reservation<H> | null {
      const certificateNo = takeNumber(institution);
      if (certificateNo === null) return null;
      if (holder.kind === 'application') {
        const held = sql.run(
          db
            .updateTable('applications')
            .set({ status: 'issuing', certificate_no: certificateNo, licence_serial: holder.lineage })
            .where('id', '=', holder.applicationId)
            .where('status', '=', 'submitted'),
        );
        if (held !== 1) throw new Error(`Application ${holder.applicationId} is not awaiting issue`);
      } else {
        sql.run(
          db.insertInto('number_reservations').values({
            certificate_no: certificateNo,
            institution,
            purpose: holder.purpose,
            reserved_at: at.toISOString(),
            holder_node: sql.presence.self,
          }),
        );
      }
      return { certificateNo, institution, holder };
    },
    heldByApplication(applicationId): Reservation<ApplicationHolder> | null {
      const row = sql.get(
        db
          .selectFrom('applications')
          .select(['id', 'institution', 'certificate_no', 'licence_serial'])
          .where('id', '=', applicationId)
          .where('status', '=', 'issuing'),
      );
      if (!row?.certificate_no || !row.licence_serial) return null;
      return {
        certificateNo: row.certificate_no,
        institution: row.institution,
        holder: { kind: 'application', applicationId, lineage: row.licence_serial },
      };
    },
    settle(reservation, at) {
      if (reservation.holder.kind === 'amendment') return release(reservation.certificateNo) === 1;
      const settled = sql.run(
        db
          .updateTable('applications')
          .set({ status: 'issued', issued_at: at.toISOString() })
          .where('id', '=', reservation.holder.applicationId)
          .where('status', '=', 'issuing'),
      );
      return settled === 1;
    },
    release: (no) => release(no) === 1,
    abandoned: () =>
      sql
        .all(
          db
            .selectFrom('number_reservations')
            .select(['certificate_no', 'institution', 'purpose', 'holder_node'])
            .orderBy('certificate_no'),
        )
        .filter((r) => !sql.presence.isAlive(r.holder_node))
        .map((r) => ({
          certificateNo: r.certificate_no,
          institution: r.institution,
          holder: { kind: 'amendment', purpose: r.purpose as 'replacement' | 'reissue' },
        })),
    isUsed,
    ownerOf(no) {
      if (!/^[A-Z]\d{9}$/.test(no)) return null;
      const n = Number(no.slice(1));
      const row = sql.get(
        db
          .selectFrom('number_ranges')
          .select('institution')
          .where('prefix', '=', no[0]!)
          .where('first_no', '<=', n)
          .where('last_no', '>=', n),
      );
      return row?.institution ?? null;
    },
    voidNumber(no, institution, reason, note, by, at) {
      sql.run(
        db.insertInto('voided_numbers').values({
          certificate_no: no,
          institution,
          reason,
          note,
          voided_at: at.toISOString(),
          voided_by: by,
        }),
      );
    },
  };
}
