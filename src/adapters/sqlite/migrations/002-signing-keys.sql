-- Public metadata of every key the PKI ever created: the root CA, institution e-licence signing
-- keys and trust-list signing keys. Private keys never live here: they are encrypted files in
-- the key store directory, named <kid>.key. Rows are never deleted: a retired or revoked key
-- must keep verifying what it signed before.

CREATE TABLE signing_keys (
  kid                     TEXT PRIMARY KEY,       -- RFC 7638 thumbprint of the public key
  purpose                 TEXT NOT NULL CHECK (purpose IN ('root', 'licence', 'trust-list')),
  institution_credit_code TEXT,                   -- licence keys only: the institution as certified
  institution_name        TEXT,
  public_jwk              TEXT NOT NULL,          -- JSON {kty, crv, x, y}
  x509_pem                TEXT NOT NULL,
  issuer_kid              TEXT REFERENCES signing_keys (kid),  -- the CA key that certified it; NULL for the root
  not_before              TEXT NOT NULL,          -- ISO 8601, from the certificate
  not_after               TEXT NOT NULL,
  status                  TEXT NOT NULL CHECK (status IN ('active', 'retired', 'revoked')),
  created_at              TEXT NOT NULL,
  retired_at              TEXT,                   -- rotated out: signs nothing after this instant
  revoked_at              TEXT,                   -- signatures at or after this instant are refused
  revocation_reason       TEXT,
  CHECK ((purpose = 'licence') = (institution_credit_code IS NOT NULL AND institution_name IS NOT NULL)),
  CHECK ((purpose = 'root') = (issuer_kid IS NULL)),
  CHECK ((status = 'revoked') = (revoked_at IS NOT NULL)),
  CHECK (status <> 'retired' OR retired_at IS NOT NULL)
);

-- One signing key at a time per institution (and one root, one trust-list signer): rotation
-- retires the old key in the same transaction that adds the new one.
CREATE UNIQUE INDEX signing_keys_one_active
  ON signing_keys (purpose, coalesce(institution_credit_code, ''))
  WHERE status = 'active';

CREATE INDEX signing_keys_institution ON signing_keys (institution_credit_code, created_at);

-- A QR token names its key by the first 8 characters of the thumbprint.
CREATE INDEX signing_keys_kid_hint ON signing_keys (substr(kid, 1, 8));
