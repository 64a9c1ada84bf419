-- Appointments booked, and police archives kept, at the same instant come back in the order they
-- were written: a sequence number each row takes when inserted (the next after the table's
-- highest), the same on both engines (PostgreSQL has no stable insertion order to read back).
ALTER TABLE collection_appointments ADD COLUMN seq BIGINT;
UPDATE collection_appointments SET seq = n.n
  FROM (SELECT id, row_number() OVER (ORDER BY booked_at, id) AS n FROM collection_appointments) n
 WHERE n.id = collection_appointments.id;
ALTER TABLE police_archives ADD COLUMN seq BIGINT;
UPDATE police_archives SET seq = n.n
  FROM (SELECT id, row_number() OVER (ORDER BY archived_at, id) AS n FROM police_archives) n
 WHERE n.id = police_archives.id;
