-- A certificate's PDF (~50 KB) in a table of its own. In the middle of the `certificates` row it
-- pushed every column after it (pdf_sha256, backfilled, mother_id_number, birth_time, issued_at…)
-- behind the PDF's chain of overflow pages, which SQLite walks page by page to reach them: a
-- register look-up read ~13 pages for its last columns, 4 × the time of one that stops before the
-- PDF (10,000 certificates). A back-issued certificate has no row here until its PDF is rendered
-- on first download (before, the empty blob). Upgrading copies each PDF once: the file grows by
-- the PDFs' size (the pages freed from `certificates` are reused by later rows; VACUUM returns them).
CREATE TABLE certificate_pdfs (
  certificate_no TEXT PRIMARY KEY REFERENCES certificates (certificate_no),
  pdf            BLOB NOT NULL
);
INSERT INTO certificate_pdfs (certificate_no, pdf)
  SELECT certificate_no, pdf FROM certificates WHERE length(pdf) > 0 ORDER BY rowid;
ALTER TABLE certificates DROP COLUMN pdf;
-- Rows issued before migration 004 whose PDF digest is still to be filled in (certificate-register.ts
-- does, at start): none in a register that has started since, so looking for them costs nothing.
CREATE INDEX certificates_pdf_undigested ON certificates (certificate_no) WHERE pdf_sha256 IS NULL AND backfilled = 0;
