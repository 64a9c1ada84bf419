-- 出生一件事: the outbox of events for subscribed agencies, their subscriptions and deliveries.

-- Written in the same transaction as the change each event reports; never updated.
CREATE TABLE events (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  id            TEXT NOT NULL UNIQUE,
  type          TEXT NOT NULL,
  ordering_key  TEXT NOT NULL,             -- the birth (licence serial) or the application
  division_code TEXT NOT NULL,
  body          TEXT NOT NULL,             -- the CloudEvent, JSON, exactly as delivered
  occurred_at   TEXT NOT NULL
);

CREATE TABLE subscriptions (
  id                    TEXT PRIMARY KEY,
  url                   TEXT NOT NULL,
  description           TEXT,
  event_types           TEXT NOT NULL,     -- JSON array
  divisions             TEXT,              -- JSON array of GB/T 2260 codes; NULL: every division
  -- Standard Webhooks secrets (whsec_…): deliveries are signed with both while a rotation overlaps.
  secret                TEXT NOT NULL,
  previous_secret       TEXT,
  previous_valid_until  INTEGER,           -- ms since the epoch
  created_by            TEXT NOT NULL,
  created_at            TEXT NOT NULL,
  deleted_at            TEXT
);

-- One row per (subscription, event), made when the event is appended. Per-birth order to each
-- endpoint: a pending delivery is attempted only when no earlier one of its key is pending.
CREATE TABLE webhook_deliveries (
  id               TEXT PRIMARY KEY,
  subscription_id  TEXT NOT NULL REFERENCES subscriptions (id),
  event_seq        INTEGER NOT NULL REFERENCES events (seq),
  ordering_key     TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  window_started_at INTEGER NOT NULL,      -- ms; retries stop 3 days after this (reset by a replay)
  next_attempt_at  INTEGER NOT NULL,       -- ms
  last_attempt_at  INTEGER,
  last_status      INTEGER,                -- the receiver's HTTP status, NULL when none came
  last_error       TEXT,
  delivered_at     INTEGER,
  UNIQUE (subscription_id, event_seq)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (subscription_id, ordering_key, status, event_seq);
