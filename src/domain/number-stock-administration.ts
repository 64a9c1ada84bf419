import type { PrincipalOf } from './accounts/account.ts';
import { type AuditLog, eventBy, type Operator } from './audit/audit-event.ts';
import { DomainError, invalidRequest } from './errors.ts';
import type { InstitutionRecord, InstitutionRepository, NumberRange } from './institution.ts';
import type { Clock } from './ports.ts';
import type { UsageCounts } from './reports/reports.ts';

/** Number stock is received by an admin over HTTP or in the browser, or by the operator at the command line. */
export type StockAdministrator = PrincipalOf<'admin'> | Operator;

export interface StockAdministration {
  institutions: InstitutionRepository;
  audit: Pick<AuditLog, 'record'>;
  clock: Clock;
  /** One transaction over the institutions and the audit log (they share one store), so neither lands alone. */
  transaction<T>(work: () => T): T;
}

const institutionOf = (ports: Pick<StockAdministration, 'institutions'>, creditCode: string): InstitutionRecord => {
  const found = ports.institutions.find(creditCode);
  if (!found) throw new DomainError('NOT_FOUND', `No institution ${creditCode}`);
  return found;
};

/** Certificate-number stock received by an institution; ranges never overlap. The range and its audit event land together. */
export function receiveNumberRange(
  ports: StockAdministration,
  actor: StockAdministrator,
  creditCode: string,
  range: { prefix: string; firstNo: number; lastNo: number },
): NumberRange {
  const target = institutionOf(ports, creditCode);
  if (range.lastNo < range.firstNo) {
    throw invalidRequest([{ path: 'lastNo', message: 'lastNo must not be below firstNo' }]);
  }
  const now = ports.clock.now();
  return ports.transaction(() => {
    const created = ports.institutions.addNumberRange({
      institution: target.creditCode,
      prefix: range.prefix,
      firstNo: range.firstNo,
      lastNo: range.lastNo,
      receivedOn: now.toISOString().slice(0, 10),
    });
    ports.audit.record(
      eventBy(actor, 'number-range.received', target.creditCode, {
        prefix: range.prefix,
        firstNo: range.firstNo,
        lastNo: range.lastNo,
      }),
      now,
    );
    return created;
  });
}

export interface StockUse {
  institution: InstitutionRecord;
  /** Numbers received over every range. */
  received: number;
  /** Certificates issued (a voided certificate counts as voided instead). */
  issued: number;
  /** Voided certificates and voided blank numbers. */
  voided: number;
  /** Numbers not yet taken from the ranges. */
  left: number;
  /** voided / (issued + voided), to four decimals; null before any use. */
  voidRate: number | null;
}

/** Since the first range: the whole history of an institution's stock. */
const allTime = { from: '0000-01-01', to: '9999-12-31' };

/** Each institution's stock use since its first range: received, issued, voided, left and the void rate. */
export function stockUse(ports: {
  institutions: Pick<InstitutionRepository, 'list' | 'numberRanges'>;
  usage: (period: { from: string; to: string }, institution: string) => UsageCounts;
}): StockUse[] {
  return ports.institutions.list().map((institution) => {
    const u = ports.usage(allTime, institution.creditCode);
    const issued = u.issued.first + u.issued.outOfInstitution + u.issued.replacement + u.issued.reissue;
    const voided = u.voids.printOrEntryError + u.voids.lostBlank + u.voids.other;
    const left = ports.institutions
      .numberRanges(institution.creditCode)
      .reduce((sum, r) => sum + (r.lastNo - r.nextNo + 1), 0);
    return {
      institution,
      received: u.receivedBefore + u.received,
      issued,
      voided,
      left,
      voidRate: issued + voided === 0 ? null : Math.round((voided / (issued + voided)) * 10000) / 10000,
    };
  });
}
