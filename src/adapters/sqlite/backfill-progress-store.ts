import type { BackfillProgressStore, BackfillReject } from '../../domain/lifecycle/backfill.ts';
import type { SqliteDatabase } from './database.ts';

interface RunRow {
  lines_done: number;
  issued: number;
  rejected: number;
  skipped: number;
  finished_at: string | null;
}

/** The runs of `backfill` and their rejects (migration 011). */
export function createSqliteBackfillProgressStore(db: SqliteDatabase): BackfillProgressStore {
  const q = {
    find: db.prepare<[string], RunRow>(
      'SELECT lines_done, issued, rejected, skipped, finished_at FROM backfill_runs WHERE source = ?',
    ),
    start: db.prepare(
      `INSERT INTO backfill_runs (source, file_name, lines_done, issued, rejected, skipped, started_at, updated_at)
       VALUES (?, ?, 0, 0, 0, 0, ?, ?)`,
    ),
    advance: db.prepare(
      `UPDATE backfill_runs SET lines_done = ?, issued = issued + ?, rejected = rejected + ?, skipped = skipped + ?,
         updated_at = ? WHERE source = ?`,
    ),
    reject: db.prepare('INSERT INTO backfill_rejects (source, line, certificate_no, errors) VALUES (?, ?, ?, ?)'),
    finish: db.prepare('UPDATE backfill_runs SET finished_at = ?, updated_at = ? WHERE source = ?'),
    rejects: db.prepare<[string], { line: number; certificate_no: string | null; errors: string }>(
      'SELECT line, certificate_no, errors FROM backfill_rejects WHERE source = ? ORDER BY line',
    ),
  };
  return {
    open(source, fileName, at) {
      let row = q.find.get(source);
      if (!row) {
        q.start.run(source, fileName, at.toISOString(), at.toISOString());
        row = q.find.get(source)!;
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
      q.advance.run(linesDone, batch.issued, batch.rejected, batch.skipped, at.toISOString(), source);
    },
    reject(source, reject) {
      q.reject.run(source, reject.line, reject.certificateNo, JSON.stringify(reject.errors));
    },
    finish(source, at) {
      q.finish.run(at.toISOString(), at.toISOString(), source);
    },
    *rejects(source): Iterable<BackfillReject> {
      for (const row of q.rejects.iterate(source)) {
        yield { line: row.line, certificateNo: row.certificate_no, errors: JSON.parse(row.errors) };
      }
    },
  };
}
