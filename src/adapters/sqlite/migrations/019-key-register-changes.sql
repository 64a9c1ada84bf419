-- A change counter of the key register: every write to signing_keys bumps it in the same
-- transaction, so a node that caches what it derives from the register (the trust list, the
-- verifier's keys) notices a rotation or revocation made through another connection or another
-- node with one read of one row. (SQLite's PRAGMA data_version did this for one file only.)
CREATE TABLE key_register_changes (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  generation INTEGER NOT NULL
);
INSERT INTO key_register_changes (id, generation) VALUES (1, 0);
