-- Public metadata of every key the PKI ever created (see the SQLite migration of the same number).
-- The purpose CHECK is named so that later migrations can widen it in place; SQLite has to
-- rebuild the table for that.

CREATE TABLE signing_keys (
  kid                     TEXT PRIMARY KEY,
  purpose                 TEXT NOT NULL CONSTRAINT signing_keys_purpose CHECK (purpose IN ('root', 'licence', 'trust-list')),
  institution_credit_code TEXT,
  institution_name        TEXT,
  public_jwk              TEXT NOT NULL,
  x509_pem                TEXT NOT NULL,
  issuer_kid              TEXT REFERENCES signing_keys (kid),
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

CREATE UNIQUE INDEX signing_keys_one_active
  ON signing_keys (purpose, coalesce(institution_credit_code, ''))
  WHERE status = 'active';
CREATE INDEX signing_keys_institution ON signing_keys (institution_credit_code, created_at);
CREATE INDEX signing_keys_kid_hint ON signing_keys (substr(kid, 1, 8));
