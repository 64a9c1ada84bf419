import type { BackfillProgressStore, BackfillReject } from '../../domain/lifecycle/backfill.ts';
import type { Sql } from './sql.ts';

/** The runs of `backfill` and their rejects (migration 011). */
export function createSqlBackfillProgressStore(sql: Sql): BackfillProgressStore {
  const { db } = sql;
  const find = (source: string) =>
    sql.get(
      db
        .selectFrom('backfill_runs')
        .select(['lines_done', 'issued', 'rejected', 'skipped', 'finished_at'])
        .where('source', '=', source),
    );
  return {
    open(source, fileName, at) {
      let row = find(source);
      if (!row) {
        sql.run(
          db.insertInto('backfill_runs').values({
            source,
            file_name: fileName,
            lines_done: 0,
            issued: 0,
            rejected: 0,
            skipped: 0,
            started_at: at.toISOString(),
            updated_at: at.toISOString(),
          }),
        );
        row = find(source)!;
      }
      return {
        linesDone: row.lines_done,
        issued: row.issued,
        rejected: row.rejected,
        skipped: row.skipped,
        finishedAt: row.finished_at,
      };
    },
    advance(source, linesDone, batch, at) {
      sql.run(
        db
          .updateTable('backfill_runs')
          .set((eb) => ({
            lines_done: linesDone,
            issued: eb('issued', '+', batch.issued),
            rejected: eb('rejected', '+', batch.rejected),
            skipped: eb('skipped', '+', batch.skipped),
            updated_at: at.toISOString(),
          }))
          .where('source', '=', source),
      );
    },
    reject(source, reject) {
      sql.run(
        db.insertInto('backfill_rejects').values({
          source,
          line: reject.line,
          certificate_no: reject.certificateNo,
          errors: JSON.stringify(reject.errors),
        }),
      );
    },
    finish(source, at) {
      sql.run(
        db
          .updateTable('backfill_runs')
          .set({ finished_at: at.toISOString(), updated_at: at.toISOString() })
          .where('source', '=', source),
      );
    },
    *rejects(source): Iterable<BackfillReject> {
      const rows = sql.iterate(
        db
          .selectFrom('backfill_rejects')
          .select(['line', 'certificate_no', 'errors'])
          .where('source', '=', source)
          .orderBy('line'),
      );
      for (const row of rows) {
        yield { line: row.line, certificateNo: row.certificate_no, errors: JSON.parse(row.errors) };
      }
    },
  };
}
