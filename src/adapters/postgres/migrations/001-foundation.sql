-- Institutions, accounts, bearer tokens, certificate-number stock and the audit log.
-- PostgreSQL twin of the SQLite migration of the same number: same tables, columns and indexes
-- (tests/pg/schema.test.ts compares them). Times stay ISO 8601 text and flags stay 0/1 integers,
-- as in SQLite, so the queries are the same on both engines. No feature newer than 9.6:
-- BIGSERIAL rather than identity columns, EXECUTE PROCEDURE rather than EXECUTE FUNCTION.

CREATE TABLE institutions (
  credit_code   TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  division_code TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  created_at    TEXT NOT NULL
);

CREATE TABLE accounts (
  id              BIGSERIAL PRIMARY KEY,
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
  account_id     BIGINT REFERENCES accounts (id),
  role           TEXT NOT NULL,
  institution    TEXT,
  certificate_no TEXT,
  expires_at     BIGINT NOT NULL,
  created_at     BIGINT NOT NULL
);
CREATE INDEX access_tokens_expiry ON access_tokens (expires_at);

-- Certificate-number stock received by an institution: numbers prefix + first_no..last_no.
CREATE TABLE number_ranges (
  id          BIGSERIAL PRIMARY KEY,
  institution TEXT NOT NULL REFERENCES institutions (credit_code),
  prefix      TEXT NOT NULL CHECK (length(prefix) = 1 AND prefix ~ '^[A-Z]$'),
  first_no    BIGINT NOT NULL CHECK (first_no BETWEEN 0 AND 999999999),
  last_no     BIGINT NOT NULL CHECK (last_no BETWEEN first_no AND 999999999),
  next_no     BIGINT NOT NULL,
  received_on TEXT NOT NULL,
  CHECK (next_no BETWEEN first_no AND last_no + 1)
);
CREATE INDEX number_ranges_institution ON number_ranges (institution, id);

-- Append-only, hash-chained: hash = SHA-256(prev_hash ‖ canonical event JSON). seq is given by
-- the writer (the next after the head it chained to), never by a sequence: two nodes appending
-- at once collide on the key instead of forking the chain.
CREATE TABLE audit_events (
  seq         BIGINT PRIMARY KEY,
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
-- Deliberate tampering with the database is what the hash chain detects.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
  FOR EACH ROW EXECUTE PROCEDURE refuse_change();
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
  FOR EACH ROW EXECUTE PROCEDURE refuse_change();
