-- A certificate's PDF (~50 KB) in a table of its own, as in SQLite, where in the middle of the
-- `certificates` row it pushed the columns after it behind the PDF's overflow pages (PostgreSQL
-- keeps such a value out of line already; the table is the same on both engines). A back-issued
-- certificate has no row here until its PDF is rendered on first download (before, the empty blob).
CREATE TABLE certificate_pdfs (
  certificate_no TEXT PRIMARY KEY REFERENCES certificates (certificate_no),
  pdf            BYTEA NOT NULL
);
INSERT INTO certificate_pdfs (certificate_no, pdf)
  SELECT certificate_no, pdf FROM certificates WHERE length(pdf) > 0;
ALTER TABLE certificates DROP COLUMN pdf;
-- Rows issued before migration 004 whose PDF digest is still to be filled in (certificate-register.ts
-- does, at start): none in a register that has started since, so looking for them costs nothing.
CREATE INDEX certificates_pdf_undigested ON certificates (certificate_no) WHERE pdf_sha256 IS NULL AND backfilled = 0;
