-- Institutions, accounts, bearer tokens, certificate-number stock and the audit log.

CREATE TABLE institutions (
  credit_code   TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  division_code TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  created_at    TEXT NOT NULL
);

CREATE TABLE accounts (
  id              INTEGER PRIMARY KEY,
  username        TEXT NOT NULL UNIQUE,
  password_hash   TEXT NOT NULL,
  role            TEXT NOT NULL
                  CHECK (role IN ('admin', 'midwife', 'issuer', 'police', 'agency', 'auditor', 'statistician')),
  institution     TEXT REFERENCES institutions (credit_code),
  display_name    TEXT,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until    TEXT,
  disabled        INTEGER NOT NULL DEFAULT 0,
  created_at      TEXT NOT NULL,
  -- Midwives and issuers act for one institution; the other roles for none.
  CHECK ((role IN ('midwife', 'issuer')) = (institution IS NOT NULL))
);

-- Opaque bearer tokens, stored as SHA-256 hashes only. certificate_no scopes a citizen token.
CREATE TABLE access_tokens (
  token_hash     TEXT PRIMARY KEY,
  account_id     INTEGER REFERENCES accounts (id),
  role           TEXT NOT NULL,
  institution    TEXT,
  certificate_no TEXT,
  expires_at     INTEGER NOT NULL,
  created_at     INTEGER NOT NULL
);
CREATE INDEX access_tokens_expiry ON access_tokens (expires_at);

-- Certificate-number stock received by an institution: numbers prefix + first_no..last_no.
CREATE TABLE number_ranges (
  id          INTEGER PRIMARY KEY,
  institution TEXT NOT NULL REFERENCES institutions (credit_code),
  prefix      TEXT NOT NULL CHECK (length(prefix) = 1 AND prefix GLOB '[A-Z]'),
  first_no    INTEGER NOT NULL CHECK (first_no BETWEEN 0 AND 999999999),
  last_no     INTEGER NOT NULL CHECK (last_no BETWEEN first_no AND 999999999),
  next_no     INTEGER NOT NULL,
  received_on TEXT NOT NULL,
  CHECK (next_no BETWEEN first_no AND last_no + 1)
);
CREATE INDEX number_ranges_institution ON number_ranges (institution, id);

-- Append-only, hash-chained: hash = SHA-256(prev_hash ‖ canonical event JSON).
CREATE TABLE audit_events (
  seq         INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  action      TEXT NOT NULL,
  actor       TEXT,
  role        TEXT,
  institution TEXT,
  target      TEXT,
  purpose     TEXT,
  details     TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE INDEX audit_events_target ON audit_events (target);

-- The service never edits or deletes an event; these triggers make an accidental attempt fail.
-- Deliberate tampering with the file is what the hash chain detects.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
