import { createHash } from 'node:crypto';
import type { StoredPdfs } from '../../domain/maintenance/retimestamp-pdfs.ts';
import type { SqliteDatabase } from './database.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64url');

/** The issued PDFs for maintenance: read in batches by number, replaced with their history kept. */
export function createSqliteStoredPdfs(db: SqliteDatabase): StoredPdfs {
  const batch = db.prepare<[string, number], { certificate_no: string; pdf: Buffer; pdf_sha256: string }>(
    `SELECT certificate_no, pdf, pdf_sha256 FROM certificates WHERE certificate_no > ? AND pdf IS NOT NULL
     ORDER BY certificate_no LIMIT ?`,
  );
  const remember = db.prepare(
    'INSERT OR IGNORE INTO certificate_pdf_history (certificate_no, pdf_sha256, replaced_at) VALUES (?, ?, ?)',
  );
  const update = db.prepare(
    'UPDATE certificates SET pdf = ?, pdf_sha256 = ? WHERE certificate_no = ? AND pdf_sha256 = ?',
  );
  const replace = db.transaction((no: string, expected: string, pdf: Uint8Array, at: string): boolean => {
    // Only over the bytes that were read: a concurrent re-issue or re-timestamp wins.
    if (update.run(Buffer.from(pdf), sha256(pdf), no, expected).changes !== 1) return false;
    remember.run(no, expected, at);
    return true;
  });
  return {
    batchAfter: (cursor, limit) =>
      batch.all(cursor, limit).map((row) => ({
        certificateNo: row.certificate_no,
        pdf: new Uint8Array(row.pdf),
        pdfDigest: row.pdf_sha256,
      })),
    replace: (no, expectedDigest, pdf, at) => replace(no, expectedDigest, pdf, at.toISOString()),
  };
}
