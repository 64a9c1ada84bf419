import { DomainError } from '../../domain/errors.ts';
import type { InstitutionRecord, InstitutionRepository, NumberRange } from '../../domain/institution.ts';
import type { SqliteDatabase } from './database.ts';

interface InstitutionRow {
  credit_code: string;
  name: string;
  division_code: string;
  status: InstitutionRecord['status'];
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
  status: row.status,
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

export function createSqliteInstitutionRepository(db: SqliteDatabase): InstitutionRepository {
  const byCode = db.prepare<[string], InstitutionRow>('SELECT * FROM institutions WHERE credit_code = ?');
  const all = db.prepare<[], InstitutionRow>('SELECT * FROM institutions ORDER BY credit_code');
  const insert = db.prepare(
    `INSERT INTO institutions (credit_code, name, division_code, created_at) VALUES (?, ?, ?, ?)`,
  );
  const insertRange = db.prepare(
    `INSERT INTO number_ranges (institution, prefix, first_no, last_no, next_no, received_on)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const ranges = db.prepare<[string], RangeRow>('SELECT * FROM number_ranges WHERE institution = ? ORDER BY id');
  const rangeById = db.prepare<[number], RangeRow>('SELECT * FROM number_ranges WHERE id = ?');
  // Ranges may not overlap any range already issued to any institution: a number is used once.
  const overlapping = db.prepare<[string, number, number], { id: number }>(
    'SELECT id FROM number_ranges WHERE prefix = ? AND first_no <= ? AND last_no >= ? LIMIT 1',
  );

  return {
    find(creditCode) {
      const row = byCode.get(creditCode);
      return row ? toInstitution(row) : null;
    },
    list: () => all.all().map(toInstitution),
    create(institution, now) {
      insert.run(institution.creditCode, institution.name, institution.divisionCode, now.toISOString());
      return toInstitution(byCode.get(institution.creditCode)!);
    },
    addNumberRange(range) {
      return db.transaction(() => {
        if (overlapping.get(range.prefix, range.lastNo, range.firstNo)) {
          throw new DomainError(
            'NUMBER_RANGE_OVERLAP',
            `Number range ${range.prefix}${range.firstNo}–${range.lastNo} overlaps a range already received`,
            [{ path: 'firstNo', message: 'overlaps an existing range' }],
          );
        }
        const { lastInsertRowid } = insertRange.run(
          range.institution,
          range.prefix,
          range.firstNo,
          range.lastNo,
          range.firstNo,
          range.receivedOn,
        );
        return toRange(rangeById.get(Number(lastInsertRowid))!);
      })();
    },
    numberRanges: (creditCode) => ranges.all(creditCode).map(toRange),
  };
}
