-- Back-issuance of historical (paper) certificates, see docs/backfill.md.
-- `backfilled` marks an e-licence issued for a paper certificate after the fact: it carries the
-- paper number and original issue date and took no number from stock. Its PDF is rendered on
-- first download: until then `pdf` is the empty blob and `pdf_sha256` NULL (the column is
-- NOT NULL since 003, and rebuilding a register of millions of rows to relax it is not worth it).
ALTER TABLE certificates ADD COLUMN backfilled INTEGER NOT NULL DEFAULT 0;

-- One row per input file (keyed by its content fingerprint): how far a run got, so a run that
-- was stopped continues after the last committed line. Updated in the same transaction as the
-- certificates of each batch.
CREATE TABLE backfill_runs (
  source        TEXT PRIMARY KEY,
  file_name     TEXT NOT NULL,
  lines_done    INTEGER NOT NULL,
  issued        INTEGER NOT NULL,
  rejected      INTEGER NOT NULL,
  skipped       INTEGER NOT NULL,
  started_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  finished_at   TEXT
);

-- Records refused by validation, per run; the reject file is written from here, so a restart
-- neither loses nor repeats a line. No ID numbers: the line number and the field errors only.
CREATE TABLE backfill_rejects (
  source          TEXT NOT NULL REFERENCES backfill_runs (source),
  line            INTEGER NOT NULL,
  certificate_no  TEXT,
  errors          TEXT NOT NULL,
  PRIMARY KEY (source, line)
);
