-- 线上申领: the application code (申领码) of each delivery record, the online applications made
-- with it (and their return to the parents for correction), and the parents' tokens.

CREATE TABLE application_codes (
  delivery_id      TEXT PRIMARY KEY REFERENCES deliveries (id),
  code_hash        TEXT NOT NULL UNIQUE,      -- SHA-256 of the normalised code; the code is shown once
  mother_id_number TEXT NOT NULL,             -- what the parents must also know; counts wrong guesses
  failures         INTEGER NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL
);
CREATE INDEX application_codes_mother ON application_codes (mother_id_number);

-- One online application per delivery record. `applications.status` stays 'submitted' while an
-- application is back with the parents: return_reason is set then, and cleared on resubmission.
CREATE TABLE online_applications (
  application_id TEXT PRIMARY KEY REFERENCES applications (id),
  delivery_id    TEXT NOT NULL UNIQUE REFERENCES deliveries (id),
  return_reason  TEXT,
  returned_at    TEXT,
  returned_by    TEXT,
  resubmitted_at TEXT
);

-- Bearer tokens scoped to one online application; only their SHA-256 is kept.
CREATE TABLE application_tokens (
  token_hash     TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications (id),
  expires_at     INTEGER NOT NULL,
  created_at     INTEGER NOT NULL
);
CREATE INDEX application_tokens_expiry ON application_tokens (expires_at);
