-- The full 落户 feedback, the police unit of a police account, and the police archive (see the
-- SQLite migration of the same number).

-- 落户 may carry the child's registered name (which may differ from the certificate's) and the
-- household registration place (户籍地). Rows from before carry neither.
ALTER TABLE household_registrations ADD COLUMN registered_name TEXT;
ALTER TABLE household_registrations ADD COLUMN name_differs INTEGER NOT NULL DEFAULT 0 CHECK (name_differs IN (0, 1));
ALTER TABLE household_registrations ADD COLUMN household_division_code TEXT;
ALTER TABLE household_registrations ADD COLUMN household_address TEXT;

-- The police unit (派出所 or office) a police account acts for: its archives are the unit's.
-- Null for other roles, and for police accounts made before this column (they cannot archive
-- until an operator sets it).
ALTER TABLE accounts ADD COLUMN police_unit TEXT CHECK (police_unit IS NULL OR role = 'police');

-- A police unit's archive of an e-licence as it was: the signed e-licence's bytes, the
-- verification result at that time, who archived it, why, and the household case it belongs to.
CREATE TABLE police_archives (
  id             TEXT PRIMARY KEY,
  certificate_no TEXT NOT NULL REFERENCES certificates (certificate_no),
  case_no        TEXT NOT NULL,
  police_unit    TEXT NOT NULL,
  officer        TEXT NOT NULL,
  purpose        TEXT NOT NULL,
  signed_json    BYTEA NOT NULL,
  result         TEXT NOT NULL,
  verified_at    TEXT NOT NULL,
  archived_at    TEXT NOT NULL
);
CREATE INDEX police_archives_case ON police_archives (police_unit, case_no, archived_at);
