-- The SHA-256 (base64url) of every certificate PDF exactly as issued: verification of an uploaded
-- PDF compares with it, so a re-signed PDF that prints something else is not taken for ours.
-- Rows issued before this migration are filled in from the stored PDF when the register opens
-- (SQLite has no SHA-256 of its own).
ALTER TABLE certificates ADD COLUMN pdf_sha256 TEXT;
