-- Stateless nodes (see the SQLite migration of the same number): sealed private keys, console
-- session idle clocks, shared secrets and rate-limit counters in the database.

CREATE TABLE sealed_keys (
  kid        TEXT PRIMARY KEY,
  sealed     TEXT NOT NULL,
  created_at TEXT NOT NULL
);
-- Written once; only a root key may be removed (taken offline by the operator).
CREATE FUNCTION refuse_sealed_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM signing_keys WHERE kid = OLD.kid AND purpose = 'root') THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'sealed keys are write-once';
END;
$$;
CREATE TRIGGER sealed_keys_no_update BEFORE UPDATE ON sealed_keys
  FOR EACH ROW EXECUTE PROCEDURE refuse_sealed_key_change();
CREATE TRIGGER sealed_keys_no_delete BEFORE DELETE ON sealed_keys
  FOR EACH ROW EXECUTE PROCEDURE refuse_sealed_key_change();

CREATE TABLE console_sessions (
  token_hash   TEXT PRIMARY KEY,
  last_seen_ms BIGINT NOT NULL
);
CREATE INDEX console_sessions_last_seen ON console_sessions (last_seen_ms);

-- Made by the application (crypto.randomBytes): PostgreSQL has no random bytes without pgcrypto.
CREATE TABLE service_secrets (
  name       TEXT PRIMARY KEY,
  value      BYTEA NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE rate_limit_hits (
  key             TEXT PRIMARY KEY,
  window_start_ms BIGINT NOT NULL,
  hits            INTEGER NOT NULL
);
CREATE INDEX rate_limit_hits_window ON rate_limit_hits (window_start_ms);
