-- Token status lists (IETF OAuth Token Status List): every certificate gets a random, never
-- reused index in the list of its issuing institution and year; the list token is built from
-- the certificates' register status, so a void, revocation or supersession changes it at once.

-- A new key purpose, the status-list signer (beside the audit signer of 006): SQLite cannot change a CHECK constraint in place,
-- so signing_keys is rebuilt (same columns and rows). The copy references itself by its new
-- name, which the rename rewrites, so dropping the old table leaves no reference behind.
CREATE TABLE signing_keys_new (
  kid                     TEXT PRIMARY KEY,
  purpose                 TEXT NOT NULL CHECK (purpose IN ('root', 'licence', 'trust-list', 'audit', 'status-list')),
  institution_credit_code TEXT,
  institution_name        TEXT,
  public_jwk              TEXT NOT NULL,
  x509_pem                TEXT NOT NULL,
  issuer_kid              TEXT REFERENCES signing_keys_new (kid),
  not_before              TEXT NOT NULL,
  not_after               TEXT NOT NULL,
  status                  TEXT NOT NULL CHECK (status IN ('active', 'retired', 'revoked')),
  created_at              TEXT NOT NULL,
  retired_at              TEXT,
  revoked_at              TEXT,
  revocation_reason       TEXT,
  CHECK ((purpose = 'licence') = (institution_credit_code IS NOT NULL AND institution_name IS NOT NULL)),
  CHECK ((purpose = 'root') = (issuer_kid IS NULL)),
  CHECK ((status = 'revoked') = (revoked_at IS NOT NULL)),
  CHECK (status <> 'retired' OR retired_at IS NOT NULL)
);
INSERT INTO signing_keys_new SELECT kid, purpose, institution_credit_code, institution_name, public_jwk, x509_pem,
  issuer_kid, not_before, not_after, status, created_at, retired_at, revoked_at, revocation_reason FROM signing_keys;
DROP TABLE signing_keys;
ALTER TABLE signing_keys_new RENAME TO signing_keys;
CREATE UNIQUE INDEX signing_keys_one_active
  ON signing_keys (purpose, coalesce(institution_credit_code, ''))
  WHERE status = 'active';
CREATE INDEX signing_keys_institution ON signing_keys (institution_credit_code, created_at);
CREATE INDEX signing_keys_kid_hint ON signing_keys (substr(kid, 1, 8));

-- One list per issuing institution and year of issue (China time); a list that is half used is
-- closed and the partition continues in a new one, so a random free index is found in ~2 tries.
CREATE TABLE status_lists (
  id          INTEGER PRIMARY KEY,
  uri         TEXT NOT NULL UNIQUE,     -- fixed at creation: certificates name the list by it
  institution TEXT NOT NULL REFERENCES institutions (credit_code),
  year        INTEGER NOT NULL,
  size        INTEGER NOT NULL CHECK (size > 0),
  used        INTEGER NOT NULL DEFAULT 0,
  revision    INTEGER NOT NULL DEFAULT 0, -- moves with every change; the signed token is cached per revision
  created_at  TEXT NOT NULL
);
CREATE INDEX status_lists_partition ON status_lists (institution, year, id);

-- No foreign key to certificates: the index is assigned when the e-licence is signed, just before
-- the certificate lands; an index whose certificate never landed stays 0 (valid) and unused.
CREATE TABLE status_list_entries (
  list_id        INTEGER NOT NULL REFERENCES status_lists (id),
  idx            INTEGER NOT NULL CHECK (idx >= 0),
  certificate_no TEXT NOT NULL UNIQUE,
  PRIMARY KEY (list_id, idx)
);

CREATE TRIGGER status_list_entry_added AFTER INSERT ON status_list_entries
BEGIN
  UPDATE status_lists SET used = used + 1, revision = revision + 1 WHERE id = NEW.list_id;
END;

CREATE TRIGGER status_list_certificate_changed AFTER UPDATE OF status ON certificates
WHEN OLD.status IS NOT NEW.status
BEGIN
  UPDATE status_lists SET revision = revision + 1
  WHERE id = (SELECT list_id FROM status_list_entries WHERE certificate_no = NEW.certificate_no);
END;
