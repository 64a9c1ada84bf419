-- PostgreSQL twin of the SQLite migration of the same number (same tables and indexes).
-- Sign-in through an OpenID Connect provider (the government platform for citizens, the health
-- commission's for staff).

-- A sign-in under way: the browser went to the provider with this state. Only the state's SHA-256
-- is kept; the row is used once (used_at) and only until expires_at.
CREATE TABLE oidc_flows (
  state_hash    TEXT PRIMARY KEY,
  purpose       TEXT NOT NULL CHECK (purpose IN ('apply', 'my', 'console')),
  -- apply: the application code's hash; my: the certificate number; console: null
  target        TEXT,
  nonce         TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  expires_at    BIGINT NOT NULL,
  used_at       BIGINT
);
CREATE INDEX oidc_flows_expiry ON oidc_flows (expires_at);

-- Parents verified by the platform whose code has no application yet: a short-lived grant to
-- fill in the application for that one delivery. Only the grant's SHA-256 is kept.
CREATE TABLE oidc_apply_grants (
  grant_hash  TEXT PRIMARY KEY,
  delivery_id TEXT NOT NULL,
  expires_at  BIGINT NOT NULL
);

-- A staff account signs in through the health commission's provider as (issuer, subject).
CREATE TABLE staff_identity_links (
  issuer     TEXT NOT NULL,
  subject    TEXT NOT NULL,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  linked_at  TEXT NOT NULL,
  linked_by  TEXT NOT NULL,
  PRIMARY KEY (issuer, subject)
);
CREATE INDEX staff_identity_links_account ON staff_identity_links (account_id);
