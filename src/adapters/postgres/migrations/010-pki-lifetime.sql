-- Certificates that stay verifiable for a lifetime: the timestamp authority's key purpose, the
-- root's CRLs, and the digests a certificate PDF had before it was re-timestamped (see the
-- SQLite migration of the same number).

ALTER TABLE signing_keys DROP CONSTRAINT signing_keys_purpose;
ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_purpose
  CHECK (purpose IN ('root', 'licence', 'trust-list', 'audit', 'status-list', 'tsa'));

CREATE TABLE pki_crls (
  number       BIGINT PRIMARY KEY,
  der          BYTEA NOT NULL,
  this_update  TEXT NOT NULL,
  next_update  TEXT NOT NULL,
  revocations  TEXT NOT NULL
);
CREATE TRIGGER pki_crls_no_update BEFORE UPDATE ON pki_crls
  FOR EACH ROW EXECUTE PROCEDURE refuse_change();

CREATE TABLE certificate_pdf_history (
  certificate_no  TEXT NOT NULL REFERENCES certificates (certificate_no),
  pdf_sha256      TEXT NOT NULL,
  replaced_at     TEXT NOT NULL,
  PRIMARY KEY (certificate_no, pdf_sha256)
);
