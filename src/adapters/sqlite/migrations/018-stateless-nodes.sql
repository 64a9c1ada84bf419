-- Stateless nodes: what a service process kept on its own disk or in its own memory moves into
-- the database, so several processes serve one database with no shared key directory.

-- The sealed private keys (the same documents as the former DATA_DIR/keys/<kid>.key files:
-- PKCS#8 under AES-256-GCM with a scrypt-derived key from the key passphrase, the kid bound as
-- associated data). Written once; never updated. Only a root key may be removed, when an
-- operator takes it offline (`take-root-offline`); every other row stays for ever.
CREATE TABLE sealed_keys (
  kid        TEXT PRIMARY KEY,
  sealed     TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TRIGGER sealed_keys_no_update BEFORE UPDATE ON sealed_keys
BEGIN SELECT RAISE(ABORT, 'sealed keys are write-once'); END;
CREATE TRIGGER sealed_keys_no_delete BEFORE DELETE ON sealed_keys
WHEN OLD.kid NOT IN (SELECT kid FROM signing_keys WHERE purpose = 'root')
BEGIN SELECT RAISE(ABORT, 'sealed keys are write-once'); END;

-- The idle clock of console sessions, by the SHA-256 of the session's token (never the token).
-- last_seen_ms moves at most once a minute per session.
CREATE TABLE console_sessions (
  token_hash   TEXT PRIMARY KEY,
  last_seen_ms INTEGER NOT NULL
);
CREATE INDEX console_sessions_last_seen ON console_sessions (last_seen_ms);

-- Secrets every node must share (e.g. the console's CSRF key), made by the application on
-- first use from node's crypto.randomBytes and never changed.
CREATE TABLE service_secrets (
  name       TEXT PRIMARY KEY,
  value      BLOB NOT NULL,
  created_at TEXT NOT NULL
);

-- Request counters of the per-minute rate limits (fixed windows), by an HMAC of the limit's key
-- (which holds client addresses, usernames or certificate numbers).
CREATE TABLE rate_limit_hits (
  key             TEXT PRIMARY KEY,
  window_start_ms INTEGER NOT NULL,
  hits            INTEGER NOT NULL
);
CREATE INDEX rate_limit_hits_window ON rate_limit_hits (window_start_ms);
