-- Containing a compromised account and throttling sign-in per account *and* source.

-- Failed sign-ins per (account, source). `source` is an HMAC of the client address under the
-- key below, never the address itself; the source '*' counts an account's failures from
-- sources it never signed in from. Counting is one UPSERT … RETURNING, so parallel guesses
-- each count.
CREATE TABLE sign_in_throttles (
  account_id      INTEGER NOT NULL REFERENCES accounts (id),
  source          TEXT NOT NULL,
  failures        INTEGER NOT NULL CHECK (failures >= 0),
  locked_until    INTEGER,
  last_failure_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, source)
);

-- Sources an account signed in from successfully: a stranger's failures elsewhere do not lock
-- the owner out of these.
CREATE TABLE sign_in_known_sources (
  account_id      INTEGER NOT NULL REFERENCES accounts (id),
  source          TEXT NOT NULL,
  last_success_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, source)
);

-- The key of the source HMAC: a copy of the database does not list client addresses in clear.
CREATE TABLE sign_in_source_key (
  id  INTEGER PRIMARY KEY CHECK (id = 1),
  key BLOB NOT NULL
);
INSERT INTO sign_in_source_key (id, key) VALUES (1, randomblob(32));

-- The per-account counters of 001 are superseded by sign_in_throttles.
UPDATE accounts SET failed_attempts = 0, locked_until = NULL;

-- Disabling an account or signing out deletes tokens by account.
CREATE INDEX access_tokens_account ON access_tokens (account_id);
CREATE INDEX access_tokens_certificate ON access_tokens (certificate_no) WHERE certificate_no IS NOT NULL;
