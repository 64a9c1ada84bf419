-- Containing a compromised account and throttling sign-in per account *and* source (see the
-- SQLite migration of the same number).

CREATE TABLE sign_in_throttles (
  account_id      BIGINT NOT NULL REFERENCES accounts (id),
  source          TEXT NOT NULL,
  failures        INTEGER NOT NULL CHECK (failures >= 0),
  locked_until    BIGINT,
  last_failure_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, source)
);

CREATE TABLE sign_in_known_sources (
  account_id      BIGINT NOT NULL REFERENCES accounts (id),
  source          TEXT NOT NULL,
  last_success_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, source)
);

-- The key of the source HMAC. SQLite's migration fills it with randomblob(32); PostgreSQL has
-- no random bytes without the pgcrypto extension (which needs a superuser to install), so the
-- store makes the key with the service's own random source the first time it needs one.
CREATE TABLE sign_in_source_key (
  id  INTEGER PRIMARY KEY CHECK (id = 1),
  key BYTEA NOT NULL
);

UPDATE accounts SET failed_attempts = 0, locked_until = NULL;

CREATE INDEX access_tokens_account ON access_tokens (account_id);
CREATE INDEX access_tokens_certificate ON access_tokens (certificate_no) WHERE certificate_no IS NOT NULL;
