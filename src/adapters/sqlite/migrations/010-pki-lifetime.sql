-- Certificates that stay verifiable for a lifetime: the timestamp authority's key purpose, the
-- root's CRLs, and the digests a certificate PDF had before it was re-timestamped.

-- SQLite cannot alter a CHECK constraint: the key register is rebuilt with the 'tsa' purpose
-- (as 006 did for 'audit' and 007 for 'status-list'). The new table's self-reference is renamed
-- along with it; the indexes are made again as 007 left them.
CREATE TABLE signing_keys_next (
  kid                     TEXT PRIMARY KEY,
  purpose                 TEXT NOT NULL CHECK (purpose IN ('root', 'licence', 'trust-list', 'audit', 'status-list', 'tsa')),
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

-- Every CRL the root signed (RFC 5280 v2, DER). The newest is served at /api/v1/pki/root.crl.
CREATE TABLE pki_crls (
  number       INTEGER PRIMARY KEY,     -- the CRL number extension: 1, 2, 3 …
  der          BLOB NOT NULL,
  this_update  TEXT NOT NULL,
  next_update  TEXT NOT NULL,
  revocations  TEXT NOT NULL            -- kid@revokedAt,… of what it lists: a new revocation makes it stale
);
CREATE TRIGGER pki_crls_no_update BEFORE UPDATE ON pki_crls
BEGIN SELECT RAISE(ABORT, 'CRLs are append-only'); END;

-- A re-timestamped PDF gets new bytes and a new digest; the bytes issued before stay genuine
-- (a citizen may hold them), so their digests stay acceptable.
CREATE TABLE certificate_pdf_history (
  certificate_no  TEXT NOT NULL REFERENCES certificates (certificate_no),
  pdf_sha256      TEXT NOT NULL,
  replaced_at     TEXT NOT NULL,
  PRIMARY KEY (certificate_no, pdf_sha256)
);
