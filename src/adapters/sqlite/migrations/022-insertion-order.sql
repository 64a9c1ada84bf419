-- Appointments booked, and police archives kept, at the same instant come back in the order they
-- were written: a sequence number each row takes when inserted (the next after the table's
-- highest), the same on both engines (PostgreSQL has no stable insertion order to read back).
ALTER TABLE collection_appointments ADD COLUMN seq INTEGER;
UPDATE collection_appointments SET seq = rowid;
ALTER TABLE police_archives ADD COLUMN seq INTEGER;
UPDATE police_archives SET seq = rowid;
