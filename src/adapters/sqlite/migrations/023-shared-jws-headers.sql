-- A back-issued batch's e-licences share their JWS protected header (one key, one signing second;
-- ~1.6 KB with the certificate chain, nearly half of a signed e-licence): it is stored once here,
-- named by its SHA-256 (base64url), and such a certificate's `signed_json` is the flattened JWS
-- without its "protected" member, `{"payload":…,"signature":…}`. The register puts the member back
-- on every read (certificate-register.ts), so a reader sees the JWS as it was signed, byte for byte.
-- Certificates issued one at a time keep their whole JWS (`jws_header` NULL).
CREATE TABLE jws_headers (
  digest     TEXT NOT NULL PRIMARY KEY,
  protected  TEXT NOT NULL
);
ALTER TABLE certificates ADD COLUMN jws_header TEXT REFERENCES jws_headers (digest);
