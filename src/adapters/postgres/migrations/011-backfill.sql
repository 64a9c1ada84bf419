-- Back-issuance of historical (paper) certificates, see docs/backfill.md and the SQLite
-- migration of the same number.
ALTER TABLE certificates ADD COLUMN backfilled INTEGER NOT NULL DEFAULT 0;

CREATE TABLE backfill_runs (
  source        TEXT PRIMARY KEY,
  file_name     TEXT NOT NULL,
  lines_done    BIGINT NOT NULL,
  issued        BIGINT NOT NULL,
  rejected      BIGINT NOT NULL,
  skipped       BIGINT NOT NULL,
  started_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  finished_at   TEXT
);

CREATE TABLE backfill_rejects (
  source          TEXT NOT NULL REFERENCES backfill_runs (source),
  line            BIGINT NOT NULL,
  certificate_no  TEXT,
  errors          TEXT NOT NULL,
  PRIMARY KEY (source, line)
);
