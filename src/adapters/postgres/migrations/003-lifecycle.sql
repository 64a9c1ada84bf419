-- Delivery records, applications, issued certificates and their history, household registration
-- (see the SQLite migration of the same number).

CREATE TABLE deliveries (
  id           TEXT PRIMARY KEY,
  institution  TEXT NOT NULL REFERENCES institutions (credit_code),
  record       TEXT NOT NULL,
  recorded_by  TEXT NOT NULL,
  recorded_at  TEXT NOT NULL
);
CREATE INDEX deliveries_institution ON deliveries (institution, recorded_at);

CREATE TABLE applications (
  id             TEXT PRIMARY KEY,
  institution    TEXT NOT NULL REFERENCES institutions (credit_code),
  delivery_id    TEXT REFERENCES deliveries (id),
  record         TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('submitted', 'issuing', 'issued')),
  certificate_no TEXT,
  licence_serial TEXT,
  issued_at      TEXT,
  created_by     TEXT NOT NULL,
  created_at     TEXT NOT NULL
);
CREATE INDEX applications_delivery ON applications (delivery_id);
CREATE INDEX applications_number ON applications (certificate_no);

CREATE TABLE certificates (
  certificate_no   TEXT PRIMARY KEY,
  licence_id       TEXT NOT NULL UNIQUE,
  lineage          TEXT NOT NULL,
  version          INTEGER NOT NULL,
  institution      TEXT NOT NULL REFERENCES institutions (credit_code),
  application_id   TEXT REFERENCES applications (id),
  kind             TEXT NOT NULL CHECK (kind IN ('first', 'out-of-institution', 'replacement', 'reissue')),
  status           TEXT NOT NULL CHECK (status IN ('valid', 'superseded', 'void', 'revoked')),
  status_reason    TEXT,
  status_note      TEXT,
  status_changed_at TEXT,
  supersedes       TEXT REFERENCES certificates (certificate_no),
  superseded_by    TEXT REFERENCES certificates (certificate_no),
  change_reason    TEXT,
  child_registered INTEGER,
  certificate      TEXT NOT NULL,
  licence          TEXT NOT NULL,
  registration     TEXT NOT NULL,
  signed_json      TEXT NOT NULL,
  licence_digest   TEXT NOT NULL,
  qr_text          TEXT NOT NULL,
  pdf              BYTEA NOT NULL,
  claim_code_hash  TEXT,
  claim_failures   INTEGER NOT NULL DEFAULT 0,
  mother_id_number TEXT NOT NULL,
  birth_time       TEXT NOT NULL,
  sex              TEXT NOT NULL,
  division_code    TEXT NOT NULL,
  issued_at        TEXT NOT NULL,
  issued_by        TEXT NOT NULL,
  UNIQUE (lineage, version)
);
CREATE INDEX certificates_mother ON certificates (mother_id_number);
CREATE INDEX certificates_institution ON certificates (institution, issued_at);
CREATE INDEX certificates_birth ON certificates (birth_time);

CREATE TABLE voided_numbers (
  certificate_no TEXT PRIMARY KEY,
  institution    TEXT NOT NULL REFERENCES institutions (credit_code),
  reason         TEXT NOT NULL,
  note           TEXT,
  voided_at      TEXT NOT NULL,
  voided_by      TEXT NOT NULL
);

CREATE TABLE household_registrations (
  lineage          TEXT PRIMARY KEY,
  certificate_no   TEXT NOT NULL REFERENCES certificates (certificate_no),
  child_id_number  TEXT NOT NULL UNIQUE,
  registered_on    TEXT NOT NULL,
  police_unit      TEXT NOT NULL,
  recorded_by      TEXT NOT NULL,
  recorded_at      TEXT NOT NULL
);

CREATE TABLE number_reservations (
  certificate_no TEXT PRIMARY KEY,
  institution    TEXT NOT NULL REFERENCES institutions (credit_code),
  purpose        TEXT NOT NULL,
  reserved_at    TEXT NOT NULL
);
