-- 出生一件事: the outbox of events for subscribed agencies, their subscriptions and deliveries
-- (see the SQLite migration of the same number).

CREATE TABLE events (
  seq           BIGSERIAL PRIMARY KEY,
  id            TEXT NOT NULL UNIQUE,
  type          TEXT NOT NULL,
  ordering_key  TEXT NOT NULL,
  division_code TEXT NOT NULL,
  body          TEXT NOT NULL,
  occurred_at   TEXT NOT NULL
);

CREATE TABLE subscriptions (
  id                    TEXT PRIMARY KEY,
  url                   TEXT NOT NULL,
  description           TEXT,
  event_types           TEXT NOT NULL,
  divisions             TEXT,
  secret                TEXT NOT NULL,
  previous_secret       TEXT,
  previous_valid_until  BIGINT,
  created_by            TEXT NOT NULL,
  created_at            TEXT NOT NULL,
  deleted_at            TEXT
);

CREATE TABLE webhook_deliveries (
  id               TEXT PRIMARY KEY,
  subscription_id  TEXT NOT NULL REFERENCES subscriptions (id),
  event_seq        BIGINT NOT NULL REFERENCES events (seq),
  ordering_key     TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  window_started_at BIGINT NOT NULL,
  next_attempt_at  BIGINT NOT NULL,
  last_attempt_at  BIGINT,
  last_status      INTEGER,
  last_error       TEXT,
  delivered_at     BIGINT,
  UNIQUE (subscription_id, event_seq)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (subscription_id, ordering_key, status, event_seq);
