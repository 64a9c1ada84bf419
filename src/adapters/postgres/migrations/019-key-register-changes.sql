-- A change counter of the key register (see the SQLite migration of the same number): every
-- write to signing_keys bumps it in the same transaction; nodes read it to notice another node's
-- rotation or revocation.
CREATE TABLE key_register_changes (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  generation INTEGER NOT NULL
);
INSERT INTO key_register_changes (id, generation) VALUES (1, 0);
