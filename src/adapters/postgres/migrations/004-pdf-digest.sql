-- The SHA-256 (base64url) of every certificate PDF exactly as issued (see the SQLite migration).
ALTER TABLE certificates ADD COLUMN pdf_sha256 TEXT;
