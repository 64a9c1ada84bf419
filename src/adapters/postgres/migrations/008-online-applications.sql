-- 线上申领: application codes, online applications and the parents' tokens (see the SQLite
-- migration of the same number).

CREATE TABLE application_codes (
  delivery_id      TEXT PRIMARY KEY REFERENCES deliveries (id),
  code_hash        TEXT NOT NULL UNIQUE,
  mother_id_number TEXT NOT NULL,
  failures         INTEGER NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL
);
CREATE INDEX application_codes_mother ON application_codes (mother_id_number);

CREATE TABLE online_applications (
  application_id TEXT PRIMARY KEY REFERENCES applications (id),
  delivery_id    TEXT NOT NULL UNIQUE REFERENCES deliveries (id),
  return_reason  TEXT,
  returned_at    TEXT,
  returned_by    TEXT,
  resubmitted_at TEXT
);

CREATE TABLE application_tokens (
  token_hash     TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications (id),
  expires_at     BIGINT NOT NULL,
  created_at     BIGINT NOT NULL
);
CREATE INDEX application_tokens_expiry ON application_tokens (expires_at);
