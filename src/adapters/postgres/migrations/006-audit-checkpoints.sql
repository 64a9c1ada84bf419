-- Signed checkpoints of the audit log, and the key purpose that signs them (see the SQLite
-- migration of the same number, which has to rebuild signing_keys to widen its CHECK).

ALTER TABLE signing_keys DROP CONSTRAINT signing_keys_purpose;
ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_purpose
  CHECK (purpose IN ('root', 'licence', 'trust-list', 'audit'));

CREATE TABLE audit_checkpoints (
  number  BIGSERIAL PRIMARY KEY,
  seq     BIGINT NOT NULL,
  hash    TEXT NOT NULL,
  at      TEXT NOT NULL,
  kid     TEXT NOT NULL,
  jws     TEXT NOT NULL
);
CREATE INDEX audit_checkpoints_seq ON audit_checkpoints (seq);

CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
  FOR EACH ROW EXECUTE PROCEDURE refuse_change();
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE PROCEDURE refuse_change();
