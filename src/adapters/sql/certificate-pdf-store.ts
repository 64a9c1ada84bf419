import { createHash } from 'node:crypto';
import type { StoredPdfs } from '../../domain/maintenance/retimestamp-pdfs.ts';
import type { Sql } from './sql.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64url');

/** The issued PDFs for maintenance: read in batches by number, replaced with their history kept. */
export function createSqlStoredPdfs(sql: Sql): StoredPdfs {
  const { db } = sql;
  return {
    batchAfter: (cursor, limit) =>
      sql
        .all(
          db
            .selectFrom('certificate_pdfs as p')
            .innerJoin('certificates as c', 'c.certificate_no', 'p.certificate_no')
            .select(['p.certificate_no', 'p.pdf', 'c.pdf_sha256'])
            .where('p.certificate_no', '>', cursor)
            .orderBy('p.certificate_no')
            .limit(limit),
        )
        .map((row) => ({
          certificateNo: row.certificate_no,
          pdf: new Uint8Array(row.pdf),
          // Every stored PDF has its digest (the register fills in those of rows older than it).
          pdfDigest: row.pdf_sha256 as string,
        })),
    replace: (no, expected, pdf, at) =>
      sql.transaction(() => {
        // Only over the bytes that were read: a concurrent re-issue or re-timestamp wins.
        const replaced = sql.run(
          db
            .updateTable('certificates')
            .set({ pdf_sha256: sha256(pdf) })
            .where('certificate_no', '=', no)
            .where('pdf_sha256', '=', expected),
        );
        if (replaced !== 1) return false;
        const stored = sql.run(
          db
            .updateTable('certificate_pdfs')
            .set({ pdf: Buffer.from(pdf) })
            .where('certificate_no', '=', no),
        );
        // A digest must never describe other bytes than the stored ones: undone by the throw.
        if (stored !== 1) throw new Error(`certificate ${no} has a PDF digest but no stored PDF`);
        sql.run(
          db
            .insertInto('certificate_pdf_history')
            .values({ certificate_no: no, pdf_sha256: expected, replaced_at: at.toISOString() })
            .onConflict((oc) => oc.columns(['certificate_no', 'pdf_sha256']).doNothing()),
        );
        return true;
      }),
  };
}
