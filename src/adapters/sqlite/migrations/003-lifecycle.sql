-- Delivery records, applications, issued certificates and their history, household registration.

CREATE TABLE deliveries (
  id           TEXT PRIMARY KEY,
  institution  TEXT NOT NULL REFERENCES institutions (credit_code),
  record       TEXT NOT NULL,             -- JSON: the midwife's items
  recorded_by  TEXT NOT NULL,
  recorded_at  TEXT NOT NULL
);
CREATE INDEX deliveries_institution ON deliveries (institution, recorded_at);

CREATE TABLE applications (
  id             TEXT PRIMARY KEY,
  institution    TEXT NOT NULL REFERENCES institutions (credit_code),
  delivery_id    TEXT REFERENCES deliveries (id),
  record         TEXT NOT NULL,           -- JSON: the parents' items and the applicant
  status         TEXT NOT NULL CHECK (status IN ('submitted', 'issuing', 'issued')),
  -- Reserved when issuing starts, so a crash or a retry signs with the same number.
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
  lineage          TEXT NOT NULL,          -- licence serial shared by every version of one birth
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
  child_registered INTEGER,                -- reissues: was the child already registered
  certificate      TEXT NOT NULL,          -- JSON: surface items
  licence          TEXT NOT NULL,          -- JSON: the e-licence envelope
  registration     TEXT NOT NULL,          -- JSON: registration-only items, never signed or printed
  signed_json      TEXT NOT NULL,
  licence_digest   TEXT NOT NULL,          -- binds QR tokens and register lookups to this e-licence
  qr_text          TEXT NOT NULL,
  pdf              BLOB NOT NULL,
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

-- Numbers voided without a certificate (a lost or spoilt blank): never allocated again.
CREATE TABLE voided_numbers (
  certificate_no TEXT PRIMARY KEY,
  institution    TEXT NOT NULL REFERENCES institutions (credit_code),
  reason         TEXT NOT NULL,
  note           TEXT,
  voided_at      TEXT NOT NULL,
  voided_by      TEXT NOT NULL
);

-- Household registration (落户) is per birth, whichever version of the certificate was shown.
CREATE TABLE household_registrations (
  lineage          TEXT PRIMARY KEY,
  certificate_no   TEXT NOT NULL REFERENCES certificates (certificate_no),
  child_id_number  TEXT NOT NULL UNIQUE,
  registered_on    TEXT NOT NULL,
  police_unit      TEXT NOT NULL,
  recorded_by      TEXT NOT NULL,
  recorded_at      TEXT NOT NULL
);

-- A number taken for a replacement or reissue before its e-licence is signed. The row goes when
-- the certificate lands; one left behind by a crash is voided at the next start, never reused.
CREATE TABLE number_reservations (
  certificate_no TEXT PRIMARY KEY,
  institution    TEXT NOT NULL REFERENCES institutions (credit_code),
  purpose        TEXT NOT NULL,
  reserved_at    TEXT NOT NULL
);
