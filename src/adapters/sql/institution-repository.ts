import { DomainError } from '../../domain/errors.ts';
import type { InstitutionRecord, InstitutionRepository, NumberRange } from '../../domain/institution.ts';
import type { Sql } from './sql.ts';

interface InstitutionRow {
  credit_code: string;
  name: string;
  division_code: string;
  status: string;
}

interface RangeRow {
  id: number;
  institution: string;
  prefix: string;
  first_no: number;
  last_no: number;
  next_no: number;
  received_on: string;
}

const toInstitution = (row: InstitutionRow): InstitutionRecord => ({
  creditCode: row.credit_code,
  name: row.name,
  divisionCode: row.division_code,
  status: row.status as InstitutionRecord['status'],
});

const toRange = (row: RangeRow): NumberRange => ({
  id: row.id,
  institution: row.institution,
  prefix: row.prefix,
  firstNo: row.first_no,
  lastNo: row.last_no,
  nextNo: row.next_no,
  receivedOn: row.received_on,
});

const institutionColumns = ['credit_code', 'name', 'division_code', 'status'] as const;
const rangeColumns = ['id', 'institution', 'prefix', 'first_no', 'last_no', 'next_no', 'received_on'] as const;

export function createSqlInstitutionRepository(sql: Sql): InstitutionRepository {
  const { db } = sql;
  const find = (creditCode: string) =>
    sql.get(db.selectFrom('institutions').select(institutionColumns).where('credit_code', '=', creditCode));

  return {
    find(creditCode) {
      const row = find(creditCode);
      return row ? toInstitution(row) : null;
    },
    list: () =>
      sql.all(db.selectFrom('institutions').select(institutionColumns).orderBy('credit_code')).map(toInstitution),
    create(institution, now) {
      const row = sql.get(
        db
          .insertInto('institutions')
          .values({
            credit_code: institution.creditCode,
            name: institution.name,
            division_code: institution.divisionCode,
            created_at: now.toISOString(),
          })
          .returning(institutionColumns),
      );
      return toInstitution(row!);
    },
    addNumberRange(range) {
      // The check and the insert are one transaction; on PostgreSQL it holds the writers' lock,
      // so two nodes cannot both find a free stretch and both take it.
      return sql.transaction(() => {
        // Ranges may not overlap any range already issued to any institution: a number is used once.
        const overlapping = sql.get(
          db
            .selectFrom('number_ranges')
            .select('id')
            .where('prefix', '=', range.prefix)
            .where('first_no', '<=', range.lastNo)
            .where('last_no', '>=', range.firstNo)
            .limit(1),
        );
        if (overlapping) {
          throw new DomainError(
            'NUMBER_RANGE_OVERLAP',
            `Number range ${range.prefix}${range.firstNo}–${range.lastNo} overlaps a range already received`,
            [{ path: 'firstNo', message: 'overlaps an existing range' }],
          );
        }
        const row = sql.get(
          db
            .insertInto('number_ranges')
            .values({
              institution: range.institution,
              prefix: range.prefix,
              first_no: range.firstNo,
              last_no: range.lastNo,
              next_no: range.firstNo,
              received_on: range.receivedOn,
            })
            .returning(rangeColumns),
        );
        return toRange(row!);
      });
    },
    numberRanges: (creditCode) =>
      sql
        .all(db.selectFrom('number_ranges').select(rangeColumns).where('institution', '=', creditCode).orderBy('id'))
        .map(toRange),
  };
}
