-- Signed checkpoints of the audit log, and the key purpose that signs them.
--
-- The hash chain alone proves nothing against someone who can write this file: they drop the
-- triggers, edit an event and recompute every later hash. A checkpoint is the chain head
-- {seq, hash, at} signed with the service's audit key, whose private half lives in the key
-- store's encrypted files, never here; verification recomputes the chain and checks it against
-- every checkpoint.

-- SQLite cannot alter a CHECK constraint: the key register is rebuilt with the 'audit' purpose.
-- The new table's self-reference is renamed along with it.
CREATE TABLE signing_keys_next (
  kid                     TEXT PRIMARY KEY,
  purpose                 TEXT NOT NULL CHECK (purpose IN ('root', 'licence', 'trust-list', 'audit')),
  institution_credit_code TEXT,
  institution_name        TEXT,
  public_jwk              TEXT NOT NULL,
  x509_pem                TEXT NOT NULL,
  issuer_kid              TEXT REFERENCES signing_keys_next (kid),
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
INSERT INTO signing_keys_next
  SELECT kid, purpose, institution_credit_code, institution_name, public_jwk, x509_pem, issuer_kid, not_before,
         not_after, status, created_at, retired_at, revoked_at, revocation_reason
  FROM signing_keys ORDER BY (issuer_kid IS NOT NULL), created_at;
DROP TABLE signing_keys;
ALTER TABLE signing_keys_next RENAME TO signing_keys;
CREATE UNIQUE INDEX signing_keys_one_active
  ON signing_keys (purpose, coalesce(institution_credit_code, ''))
  WHERE status = 'active';
CREATE INDEX signing_keys_institution ON signing_keys (institution_credit_code, created_at);
CREATE INDEX signing_keys_kid_hint ON signing_keys (substr(kid, 1, 8));

CREATE TABLE audit_checkpoints (
  number  INTEGER PRIMARY KEY,          -- 1, 2, 3 … in the order they were signed
  seq     INTEGER NOT NULL,             -- the chain head: the newest event's sequence number …
  hash    TEXT NOT NULL,                -- … and its hash
  at      TEXT NOT NULL,                -- when it was signed (ISO 8601)
  kid     TEXT NOT NULL,                -- the audit key that signed it
  jws     TEXT NOT NULL                 -- compact JWS (ES256) over {seq, hash, at}: what is published
);
CREATE INDEX audit_checkpoints_seq ON audit_checkpoints (seq);

CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
