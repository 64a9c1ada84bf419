import type { PrincipalOf } from '../accounts/account.ts';
import { type AuditLog, eventBy } from '../audit/audit-event.ts';
import type { Certificate } from '../certificate.ts';
import { invalidRequest } from '../errors.ts';
import { chinaDate } from '../lifecycle/compose.ts';
import { maskIdNumber } from '../lifecycle/visibility.ts';
import type { Clock } from '../ports.ts';

/** A half-open period of China-time calendar dates: `from` ≤ day < `to`. */
export interface Period {
  from: string;
  to: string;
}

export interface SexCount {
  group: string;
  boys: number;
  girls: number;
}

export interface UsageCounts {
  receivedBefore: number;
  usedBefore: number;
  received: number;
  issued: { first: number; outOfInstitution: number; replacement: number; reissue: number };
  voids: { printOrEntryError: number; lostBlank: number; other: number };
  liveBirths: number;
}

export type SexGrouping = 'institution' | 'division' | 'month';

export interface ReportsStore {
  /** Births with a current certificate (one per birth), by institution, county division or month of birth (YYYY-MM, China time). */
  sexCounts(period: Period, groupBy: SexGrouping, institution: string | null): SexCount[];
  /** The current certificates of births in the period, oldest first. */
  birthRoll(period: Period, institution: string): Certificate[];
  usage(period: Period, institution: string): UsageCounts;
  /** The same counts for every institution with stock, issues, voids or deliveries, by credit code. */
  usageByInstitution(period: Period): (UsageCounts & { institution: string; name: string })[];
}

export interface ReportPorts {
  reports: ReportsStore;
  audit: AuditLog;
  clock: Clock;
}

const isoDate = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Reads `from`/`to` query parameters (YYYY-MM-DD, `to` exclusive; defaults: this calendar year). */
export function readPeriod(query: Record<string, unknown>, now: Date): Period {
  const year = Number(chinaDate(now).slice(0, 4));
  const from = query.from ?? `${year}-01-01`;
  const to = query.to ?? `${year + 1}-01-01`;
  const details = [];
  if (typeof from !== 'string' || !isoDate.test(from))
    details.push({ path: 'from', message: 'from must be a date YYYY-MM-DD' });
  if (typeof to !== 'string' || !isoDate.test(to))
    details.push({ path: 'to', message: 'to must be a date YYYY-MM-DD' });
  if (details.length === 0 && (to as string) <= (from as string))
    details.push({ path: 'to', message: 'to must be after from' });
  if (details.length > 0) throw invalidRequest(details);
  return { from: from as string, to: to as string };
}

function readInstitution(query: Record<string, unknown>, required: boolean): string | null {
  const value = query.institution;
  if (value === undefined && !required) return null;
  if (typeof value !== 'string' || !/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(value)) {
    throw invalidRequest([{ path: 'institution', message: 'institution must be a unified social credit code' }]);
  }
  return value;
}

/** The health commissions' staff who read reports (no institution of their own). */
export type ReportReader = PrincipalOf<'statistician' | 'admin'>;

function audited(ports: ReportPorts, actor: ReportReader, report: string, details: Record<string, unknown>) {
  ports.audit.record(eventBy(actor, 'report.read', report, details), ports.clock.now());
}

/** Sex ratio at birth = boys / girls × 100, per group and in total. */
export function sexRatioReport(ports: ReportPorts, actor: ReportReader, query: Record<string, unknown>) {
  const period = readPeriod(query, ports.clock.now());
  const groupBy = query.groupBy ?? 'institution';
  if (groupBy !== 'institution' && groupBy !== 'division' && groupBy !== 'month') {
    throw invalidRequest([{ path: 'groupBy', message: 'groupBy must be institution, division or month' }]);
  }
  const institution = readInstitution(query, false);
  const ratio = (boys: number, girls: number) => (girls === 0 ? null : Math.round((boys / girls) * 1000) / 10);
  const rows = ports.reports
    .sexCounts(period, groupBy, institution)
    .map((r) => ({ ...r, births: r.boys + r.girls, sexRatio: ratio(r.boys, r.girls) }));
  const boys = rows.reduce((n, r) => n + r.boys, 0);
  const girls = rows.reduce((n, r) => n + r.girls, 0);
  audited(ports, actor, 'sex-ratio', { ...period, groupBy });
  return { period, groupBy, groups: rows, total: { boys, girls, births: boys + girls, sexRatio: ratio(boys, girls) } };
}

/** 出生登记: the monthly roll of births of one institution (route `birth-register`; not the certificate register). ID numbers masked. */
export function birthRollReport(ports: ReportPorts, actor: ReportReader, query: Record<string, unknown>) {
  const period = readPeriod(query, ports.clock.now());
  const institution = readInstitution(query, true)!;
  const rows = ports.reports.birthRoll(period, institution).map((c) => ({
    certificateNo: c.certificateNo,
    newborn: {
      name: c.newborn.name,
      sex: c.newborn.sex,
      birthDate: c.newborn.birthTime.slice(0, 10),
      gestation: c.newborn.gestation,
      health: c.newborn.health,
    },
    mother: { name: c.mother.name, idNumber: maskIdNumber(c.mother.idNumber) },
    father: c.father ? { name: c.father.name, idNumber: maskIdNumber(c.father.idNumber) } : null,
    address: c.mother.address,
  }));
  audited(ports, actor, 'birth-register', { ...period, institution, rows: rows.length });
  return { period, institution, births: rows };
}

/** Annual certificate usage of one institution: stock, issues by kind, voids by reason. */
export function certificateUsageReport(ports: ReportPorts, actor: ReportReader, query: Record<string, unknown>) {
  const period = readPeriod(query, ports.clock.now());
  const institution = readInstitution(query, true)!;
  const usage = usageOf(ports.reports.usage(period, institution));
  audited(ports, actor, 'certificate-usage', { ...period, institution });
  return { period, institution, ...usage };
}

/** Stock, issues and voids of one institution's counts; void rate = voids / (voids + issues). */
function usageOf(u: UsageCounts) {
  const issued = u.issued.first + u.issued.outOfInstitution + u.issued.replacement + u.issued.reissue;
  const voids = u.voids.printOrEntryError + u.voids.lostBlank + u.voids.other;
  const stockAtStart = u.receivedBefore - u.usedBefore;
  return {
    stockAtStart,
    received: u.received,
    issued: u.issued,
    voids: u.voids,
    stockAtEnd: stockAtStart + u.received - issued - voids,
    voidRate: voids + issued === 0 ? null : Math.round((voids / (voids + issued)) * 10000) / 10000,
    liveBirths: u.liveBirths,
  };
}

/** Certificate usage of every institution in one table: the health commission's view. */
export function certificateUsageByInstitutionReport(
  ports: ReportPorts,
  actor: ReportReader,
  query: Record<string, unknown>,
) {
  const period = readPeriod(query, ports.clock.now());
  const institutions = ports.reports
    .usageByInstitution(period)
    .map(({ institution, name, ...u }) => ({ institution, name, ...usageOf(u) }));
  audited(ports, actor, 'certificate-usage-by-institution', { ...period });
  return { period, institutions };
}
