-- Token status lists (see the SQLite migration of the same number) and the status-list signer's
-- key purpose.

ALTER TABLE signing_keys DROP CONSTRAINT signing_keys_purpose;
ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_purpose
  CHECK (purpose IN ('root', 'licence', 'trust-list', 'audit', 'status-list'));

CREATE TABLE status_lists (
  id          BIGSERIAL PRIMARY KEY,
  uri         TEXT NOT NULL UNIQUE,
  institution TEXT NOT NULL REFERENCES institutions (credit_code),
  year        INTEGER NOT NULL,
  size        INTEGER NOT NULL CHECK (size > 0),
  used        INTEGER NOT NULL DEFAULT 0,
  revision    INTEGER NOT NULL DEFAULT 0,
  created_at  TEXT NOT NULL
);
CREATE INDEX status_lists_partition ON status_lists (institution, year, id);

CREATE TABLE status_list_entries (
  list_id        BIGINT NOT NULL REFERENCES status_lists (id),
  idx            INTEGER NOT NULL CHECK (idx >= 0),
  certificate_no TEXT NOT NULL UNIQUE,
  PRIMARY KEY (list_id, idx)
);

CREATE FUNCTION status_list_entry_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE status_lists SET used = used + 1, revision = revision + 1 WHERE id = NEW.list_id;
  RETURN NULL;
END;
$$;
CREATE TRIGGER status_list_entry_added AFTER INSERT ON status_list_entries
  FOR EACH ROW EXECUTE PROCEDURE status_list_entry_added();

CREATE FUNCTION status_list_certificate_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE status_lists SET revision = revision + 1
  WHERE id = (SELECT list_id FROM status_list_entries WHERE certificate_no = NEW.certificate_no);
  RETURN NULL;
END;
$$;
CREATE TRIGGER status_list_certificate_changed AFTER UPDATE OF status ON certificates
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE PROCEDURE status_list_certificate_changed();
