import { type ExpressionBuilder, type RawBuilder, sql as raw } from 'kysely';
import type { Certificate } from '../../domain/certificate.ts';
import type { Period, ReportsStore, SexCount, UsageCounts } from '../../domain/reports/reports.ts';
import type { DB } from './schema.generated.ts';
import type { Engine, Sql } from './sql.ts';

/** `2026-12` → `2027-01`. */
function nextMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${year + 1}-01` : `${month.slice(0, 4)}-${String(m + 1).padStart(2, '0')}`;
}

type DayColumn = 'birth_time' | 'issued_at' | 'status_changed_at' | 'voided_at';

/**
 * The China Standard Time calendar date (YYYY-MM-DD) of a stored instant, written exactly as
 * migration 012 indexes it on each engine, so that the planner answers from those indexes:
 * SQLite matches an index on an expression only to the same expression, `date(x, '+8 hours')`;
 * PostgreSQL has no date() and indexes its `china_day(x)` function instead (an immutable
 * function of the same result, defined in its twin of 012).
 */
function chinaDayOf(engine: Engine) {
  return engine === 'sqlite'
    ? (column: DayColumn): RawBuilder<string> => raw<string>`date(${raw.ref(column)}, '+8 hours')`
    : (column: DayColumn): RawBuilder<string> => raw<string>`china_day(${raw.ref(column)})`;
}

/** The China-time day of a delivery's birth, read from its JSON record (indexed by migration 012 too). */
function deliveryBirthDayOf(engine: Engine): RawBuilder<string> {
  return engine === 'sqlite'
    ? raw<string>`date(json_extract(record, '$.newborn.birthTime'), '+8 hours')`
    : raw<string>`china_day(record::json #>> '{newborn,birthTime}')`;
}

/** Counts of boys and girls; a CASE rather than a comparison, which is a boolean in PostgreSQL. */
const boys = raw<number>`sum(CASE WHEN sex = '1' THEN 1 ELSE 0 END)`;
const girls = raw<number>`sum(CASE WHEN sex = '2' THEN 1 ELSE 0 END)`;
const numbers = raw<number>`sum(last_no - first_no + 1)`;
/**
 * Statuses as literals, not parameters: SQLite uses a partial index (certificates_void_day, WHERE
 * status = 'void') only for a query whose own text implies its condition.
 */
const VALID = raw.lit('valid');
const VOID = raw.lit('void');

/** `{ PRINT_ERROR: 3, … }` of one institution, from rows of counts (several rows of a key add up). */
function tally<K extends string>(rows: readonly ({ n: number } & Record<K, string | null>)[], key: K) {
  const counts: Record<string, number> = {};
  for (const row of rows) {
    const k = row[key] ?? '';
    counts[k] = (counts[k] ?? 0) + row.n;
  }
  return counts;
}

const issuedOf = (kinds: Record<string, number>): UsageCounts['issued'] => ({
  first: kinds.first ?? 0,
  outOfInstitution: kinds['out-of-institution'] ?? 0,
  replacement: kinds.replacement ?? 0,
  reissue: kinds.reissue ?? 0,
});
const voidsOf = (reasons: Record<string, number>): UsageCounts['voids'] => ({
  printOrEntryError: (reasons.PRINT_ERROR ?? 0) + (reasons.ENTRY_ERROR ?? 0),
  lostBlank: reasons.LOST_BLANK ?? 0,
  other: reasons.OTHER ?? 0,
});

/**
 * Report queries. A birth counts once: by its current (valid) certificate; superseded versions
 * and voided or revoked certificates are not births of their own. Every day is the China-time
 * day of an instant (chinaDayOf); both engines give the same figures for the same rows.
 */
export function createSqlReportsStore(sql: Sql): ReportsStore {
  const { db } = sql;
  const chinaDay = chinaDayOf(sql.engine);
  const deliveryBirthDay = deliveryBirthDayOf(sql.engine);
  const inPeriod =
    (day: RawBuilder<string>, { from, to }: Period) =>
    <T extends keyof DB>(eb: ExpressionBuilder<DB, T>) =>
      eb.and([eb(day, '>=', from), eb(day, '<', to)]);

  /** Current certificates born in the period, of one institution or all (two statement texts, each cached). */
  const births = (period: Period, institution: string | null) => {
    const query = db
      .selectFrom('certificates')
      .where('status', '=', VALID)
      .where(inPeriod(chinaDay('birth_time'), period));
    return institution === null ? query : query.where('institution', '=', institution);
  };
  const sexBy = (group: 'institution' | 'division_code') => (period: Period, institution: string | null) =>
    sql.all(
      births(period, institution)
        .select((eb) => [eb.ref(group).as('group'), boys.as('boys'), girls.as('girls')])
        .groupBy(group)
        .orderBy(group),
    ) as SexCount[];

  // By month: one range query per month over migration 012's birth-day index, which answers each
  // alone (a covering range, summed). Grouping 100,000 births by a month expression instead makes
  // SQLite sort every row, about three times slower.
  function sexByMonth({ from, to }: Period, institution: string | null): SexCount[] {
    // A period of centuries would be thousands of queries: beyond 20 years, the one grouped query.
    if (Number(to.slice(0, 4)) - Number(from.slice(0, 4)) > 20) {
      const month = raw<string>`substr(${chinaDay('birth_time')}, 1, 7)`;
      return sql.all(
        births({ from, to }, institution)
          .select([month.as('group'), boys.as('boys'), girls.as('girls')])
          .groupBy(month)
          .orderBy(month),
      );
    }
    const rows: SexCount[] = [];
    for (let month = from.slice(0, 7); month < to; month = nextMonth(month)) {
      const start = `${month}-01` < from ? from : `${month}-01`;
      const end = `${nextMonth(month)}-01` < to ? `${nextMonth(month)}-01` : to;
      const row = sql.get(births({ from: start, to: end }, institution).select([boys.as('boys'), girls.as('girls')]));
      if (row?.boys || row?.girls) rows.push({ group: month, boys: row.boys ?? 0, girls: row.girls ?? 0 });
    }
    return rows;
  }

  /**
   * The usage figures of one institution or all, as rows by institution. Voids are counted from
   * the certificates and the voided numbers by two queries each, added up here: each query then
   * ranges over its own index of migration 012.
   */
  function usageRows(period: Period, institution: string | null) {
    const only = <Q extends { where(column: 'institution', op: '=', value: string): Q }>(query: Q): Q =>
      institution === null ? query : query.where('institution', '=', institution);
    const ranges = only(db.selectFrom('number_ranges')).select(['institution', numbers.as('n')]);
    const certificates = only(db.selectFrom('certificates'));
    const voidedNumbers = only(db.selectFrom('voided_numbers'));
    return {
      receivedBefore: sql.all(ranges.where('received_on', '<', period.from).groupBy('institution')),
      received: sql.all(
        ranges.where('received_on', '>=', period.from).where('received_on', '<', period.to).groupBy('institution'),
      ),
      usedBefore: [
        ...sql.all(
          certificates
            .select((eb) => ['institution', eb.fn.countAll<number>().as('n')])
            .where(chinaDay('issued_at'), '<', period.from)
            .groupBy('institution'),
        ),
        ...sql.all(
          voidedNumbers
            .select((eb) => ['institution', eb.fn.countAll<number>().as('n')])
            .where(chinaDay('voided_at'), '<', period.from)
            .groupBy('institution'),
        ),
      ],
      issued: sql.all(
        certificates
          .select((eb) => ['institution', 'kind', eb.fn.countAll<number>().as('n')])
          .where('status', '<>', VOID)
          .where(inPeriod(chinaDay('issued_at'), period))
          .groupBy(['institution', 'kind']),
      ),
      voids: [
        ...sql.all(
          certificates
            .select((eb) => ['institution', 'status_reason as reason', eb.fn.countAll<number>().as('n')])
            .where('status', '=', VOID)
            .where(inPeriod(chinaDay('status_changed_at'), period))
            .groupBy(['institution', 'status_reason']),
        ),
        ...sql.all(
          voidedNumbers
            .select((eb) => ['institution', 'reason', eb.fn.countAll<number>().as('n')])
            .where(inPeriod(chinaDay('voided_at'), period))
            .groupBy(['institution', 'reason']),
        ),
      ],
      liveBirths: sql.all(
        only(db.selectFrom('deliveries'))
          .select((eb) => ['institution', eb.fn.countAll<number>().as('n')])
          .where(inPeriod(deliveryBirthDay, period))
          .groupBy('institution'),
      ),
    };
  }

  /** The counts of `institution` out of usageRows' rows. */
  function usageOf(rows: ReturnType<typeof usageRows>, institution: string): UsageCounts {
    const sum = (list: readonly { institution: string; n: number }[]) =>
      list.reduce((total, row) => total + (row.institution === institution ? row.n : 0), 0);
    const mine = <R extends { institution: string }>(list: readonly R[]) =>
      list.filter((row) => row.institution === institution);
    return {
      receivedBefore: sum(rows.receivedBefore),
      usedBefore: sum(rows.usedBefore),
      received: sum(rows.received),
      issued: issuedOf(tally(mine(rows.issued), 'kind')),
      voids: voidsOf(tally(mine(rows.voids), 'reason')),
      liveBirths: sum(rows.liveBirths),
    };
  }

  return {
    sexCounts(period, groupBy, institution) {
      if (groupBy === 'month') return sexByMonth(period, institution);
      return sexBy(groupBy === 'institution' ? 'institution' : 'division_code')(period, institution);
    },
    birthRoll(period, institution) {
      return sql
        .all(births(period, institution).select('certificate').orderBy('birth_time').orderBy('certificate_no'))
        .map((row) => JSON.parse(row.certificate) as Certificate);
    },
    usage(period, institution): UsageCounts {
      return usageOf(usageRows(period, institution), institution);
    },
    usageByInstitution(period) {
      const rows = usageRows(period, null);
      const active = new Set(
        [rows.receivedBefore, rows.received, rows.issued, rows.voids, rows.liveBirths].flatMap((list) =>
          list.map((row) => row.institution),
        ),
      );
      return sql
        .all(db.selectFrom('institutions').select(['credit_code', 'name']).orderBy('credit_code'))
        .filter((row) => active.has(row.credit_code))
        .map(({ credit_code: institution, name }) => ({ institution, name, ...usageOf(rows, institution) }));
    },
  };
}
