import type { Certificate } from '../../domain/certificate.ts';
import type { ReportsStore, SexCount, UsageCounts } from '../../domain/reports/reports.ts';
import type { SqliteDatabase } from './database.ts';

/** `2026-12` → `2027-01`. */
function nextMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${year + 1}-01` : `${month.slice(0, 4)}-${String(m + 1).padStart(2, '0')}`;
}

/** China Standard Time calendar date of a stored instant (ISO UTC or with an offset). */
const chinaDay = (column: string) => `date(${column}, '+8 hours')`;

/**
 * Report queries. A birth counts once: by its current (valid) certificate; superseded versions
 * and voided or revoked certificates are not births of their own.
 */
export function createSqliteReportsStore(db: SqliteDatabase): ReportsStore {
  const inPeriod = (column: string) => `${chinaDay(column)} >= @from AND ${chinaDay(column)} < @to`;
  const sexBy = (group: string) =>
    db.prepare<{ from: string; to: string; institution: string | null }, SexCount>(
      `SELECT ${group} AS "group", sum(sex = '1') AS boys, sum(sex = '2') AS girls
         FROM certificates
        WHERE status = 'valid' AND ${inPeriod('birth_time')} AND (@institution IS NULL OR institution = @institution)
        GROUP BY ${group} ORDER BY ${group}`,
    );
  const sexByInstitution = sexBy('institution');
  const sexByDivision = sexBy('division_code');
  // By month: one range query per month over migration 012's birth-day index, which answers each
  // alone (a covering range, summed). Grouping 100,000 births by a month expression instead makes
  // SQLite sort every row, about three times slower.
  const sexInRange = db.prepare<
    { from: string; to: string; institution: string | null },
    { boys: number | null; girls: number | null }
  >(
    `SELECT sum(sex = '1') AS boys, sum(sex = '2') AS girls FROM certificates
      WHERE status = 'valid' AND ${inPeriod('birth_time')} AND (@institution IS NULL OR institution = @institution)`,
  );
  // A period of centuries would be thousands of queries: beyond 20 years, the one grouped query.
  const sexByMonthGrouped = db.prepare<{ from: string; to: string; institution: string | null }, SexCount>(
    `SELECT substr(${chinaDay('birth_time')}, 1, 7) AS "group", sum(sex = '1') AS boys, sum(sex = '2') AS girls
       FROM certificates
      WHERE status = 'valid' AND ${inPeriod('birth_time')} AND (@institution IS NULL OR institution = @institution)
      GROUP BY 1 ORDER BY 1`,
  );
  const sexByMonth = {
    all({ from, to, institution }: { from: string; to: string; institution: string | null }): SexCount[] {
      if (Number(to.slice(0, 4)) - Number(from.slice(0, 4)) > 20)
        return sexByMonthGrouped.all({ from, to, institution });
      const rows: SexCount[] = [];
      for (let month = from.slice(0, 7); month < to; month = nextMonth(month)) {
        const start = `${month}-01` < from ? from : `${month}-01`;
        const end = `${nextMonth(month)}-01` < to ? `${nextMonth(month)}-01` : to;
        const { boys, girls } = sexInRange.get({ from: start, to: end, institution })!;
        if (boys || girls) rows.push({ group: month, boys: boys ?? 0, girls: girls ?? 0 });
      }
      return rows;
    },
  };
  const roll = db.prepare<{ from: string; to: string; institution: string }, { certificate: string }>(
    `SELECT certificate FROM certificates
      WHERE status = 'valid' AND institution = @institution AND ${inPeriod('birth_time')}
      ORDER BY birth_time, certificate_no`,
  );
  const count = (sql: string) => db.prepare<{ from: string; to: string; institution: string }, { n: number }>(sql);
  const usage = {
    receivedBefore: count(
      'SELECT coalesce(sum(last_no - first_no + 1), 0) AS n FROM number_ranges WHERE institution = @institution AND received_on < @from',
    ),
    received: count(
      `SELECT coalesce(sum(last_no - first_no + 1), 0) AS n FROM number_ranges
        WHERE institution = @institution AND received_on >= @from AND received_on < @to`,
    ),
    usedBefore: count(
      `SELECT (SELECT count(*) FROM certificates WHERE institution = @institution AND ${chinaDay('issued_at')} < @from)
            + (SELECT count(*) FROM voided_numbers WHERE institution = @institution AND ${chinaDay('voided_at')} < @from) AS n`,
    ),
    liveBirths: count(
      `SELECT count(*) AS n FROM deliveries
        WHERE institution = @institution AND ${inPeriod("json_extract(record, '$.newborn.birthTime')")}`,
    ),
  };
  const issuedByKind = db.prepare<{ from: string; to: string; institution: string }, { kind: string; n: number }>(
    `SELECT kind, count(*) AS n FROM certificates
      WHERE institution = @institution AND status <> 'void' AND ${inPeriod('issued_at')} GROUP BY kind`,
  );
  const voidsByReason = db.prepare<{ from: string; to: string; institution: string }, { reason: string; n: number }>(
    `SELECT reason, count(*) AS n FROM (
        SELECT status_reason AS reason, status_changed_at AS at FROM certificates
         WHERE institution = @institution AND status = 'void'
        UNION ALL
        SELECT reason, voided_at AS at FROM voided_numbers WHERE institution = @institution)
      WHERE ${inPeriod('at')} GROUP BY reason`,
  );

  const byInstitution = <Row>(sql: string) =>
    db.prepare<{ from: string; to: string }, Row & { institution: string }>(sql);
  const all = {
    names: db.prepare<[], { institution: string; name: string }>(
      'SELECT credit_code AS institution, name FROM institutions ORDER BY credit_code',
    ),
    receivedBefore: byInstitution<{ n: number }>(
      `SELECT institution, sum(last_no - first_no + 1) AS n FROM number_ranges
        WHERE received_on < @from GROUP BY institution`,
    ),
    received: byInstitution<{ n: number }>(
      `SELECT institution, sum(last_no - first_no + 1) AS n FROM number_ranges
        WHERE received_on >= @from AND received_on < @to GROUP BY institution`,
    ),
    usedBefore: byInstitution<{ n: number }>(
      `SELECT institution, sum(n) AS n FROM (
          SELECT institution, count(*) AS n FROM certificates WHERE ${chinaDay('issued_at')} < @from GROUP BY institution
          UNION ALL
          SELECT institution, count(*) AS n FROM voided_numbers WHERE ${chinaDay('voided_at')} < @from GROUP BY institution)
        GROUP BY institution`,
    ),
    issued: byInstitution<{ kind: string; n: number }>(
      `SELECT institution, kind, count(*) AS n FROM certificates
        WHERE status <> 'void' AND ${inPeriod('issued_at')} GROUP BY institution, kind`,
    ),
    voids: byInstitution<{ reason: string; n: number }>(
      `SELECT institution, reason, count(*) AS n FROM (
          SELECT institution, status_reason AS reason, status_changed_at AS at FROM certificates WHERE status = 'void'
          UNION ALL
          SELECT institution, reason, voided_at AS at FROM voided_numbers)
        WHERE ${inPeriod('at')} GROUP BY institution, reason`,
    ),
    liveBirths: byInstitution<{ n: number }>(
      `SELECT institution, count(*) AS n FROM deliveries
        WHERE ${inPeriod("json_extract(record, '$.newborn.birthTime')")} GROUP BY institution`,
    ),
  };

  return {
    sexCounts(period, groupBy, institution) {
      const query = { institution: sexByInstitution, division: sexByDivision, month: sexByMonth }[groupBy];
      return query.all({ ...period, institution });
    },
    birthRoll(period, institution) {
      return roll.all({ ...period, institution }).map((row) => JSON.parse(row.certificate) as Certificate);
    },
    usage(period, institution): UsageCounts {
      const args = { ...period, institution };
      const kinds = Object.fromEntries(issuedByKind.all(args).map((r) => [r.kind, r.n]));
      const reasons = Object.fromEntries(voidsByReason.all(args).map((r) => [r.reason, r.n]));
      return {
        receivedBefore: usage.receivedBefore.get(args)!.n,
        usedBefore: usage.usedBefore.get(args)!.n,
        received: usage.received.get(args)!.n,
        issued: {
          first: kinds.first ?? 0,
          outOfInstitution: kinds['out-of-institution'] ?? 0,
          replacement: kinds.replacement ?? 0,
          reissue: kinds.reissue ?? 0,
        },
        voids: {
          printOrEntryError: (reasons.PRINT_ERROR ?? 0) + (reasons.ENTRY_ERROR ?? 0),
          lostBlank: reasons.LOST_BLANK ?? 0,
          other: reasons.OTHER ?? 0,
        },
        liveBirths: usage.liveBirths.get(args)!.n,
      };
    },
    usageByInstitution(period) {
      const counts = (rows: { institution: string; n: number }[]) => new Map(rows.map((r) => [r.institution, r.n]));
      const receivedBefore = counts(all.receivedBefore.all(period));
      const received = counts(all.received.all(period));
      const usedBefore = counts(all.usedBefore.all(period));
      const liveBirths = counts(all.liveBirths.all(period));
      const issued = new Map<string, Record<string, number>>();
      for (const r of all.issued.all(period))
        issued.set(r.institution, { ...issued.get(r.institution), [r.kind]: r.n });
      const voids = new Map<string, Record<string, number>>();
      for (const r of all.voids.all(period)) voids.set(r.institution, { ...voids.get(r.institution), [r.reason]: r.n });
      return all.names
        .all()
        .filter(
          ({ institution: i }) =>
            receivedBefore.has(i) || received.has(i) || issued.has(i) || voids.has(i) || liveBirths.has(i),
        )
        .map(({ institution, name }) => {
          const kinds = issued.get(institution) ?? {};
          const reasons = voids.get(institution) ?? {};
          return {
            institution,
            name,
            receivedBefore: receivedBefore.get(institution) ?? 0,
            usedBefore: usedBefore.get(institution) ?? 0,
            received: received.get(institution) ?? 0,
            issued: {
              first: kinds.first ?? 0,
              outOfInstitution: kinds['out-of-institution'] ?? 0,
              replacement: kinds.replacement ?? 0,
              reissue: kinds.reissue ?? 0,
            },
            voids: {
              printOrEntryError: (reasons.PRINT_ERROR ?? 0) + (reasons.ENTRY_ERROR ?? 0),
              lostBlank: reasons.LOST_BLANK ?? 0,
              other: reasons.OTHER ?? 0,
            },
            liveBirths: liveBirths.get(institution) ?? 0,
          };
        });
    },
  };
}
