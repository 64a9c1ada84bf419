-- Indexes for the health commission's reports and the auditor's filtered reads (see the SQLite
-- migration of the same number). SQLite indexes `date(x, '+8 hours')`, the China-time day of an
-- ISO 8601 instant; PostgreSQL indexes only immutable expressions, and a text-to-timestamptz
-- cast is not one in general (it reads the TimeZone setting for an instant without an offset).
-- Every instant the service writes carries its offset, so china_day is declared IMMUTABLE; the
-- PostgreSQL report queries name the same function so that the planner matches the indexes.
CREATE FUNCTION china_day(instant TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT to_char((instant::timestamptz AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD')
$$;

CREATE INDEX certificates_birth_day ON certificates
  (status, china_day(birth_time), sex, division_code, institution);

CREATE INDEX certificates_issued_day ON certificates
  (institution, kind, china_day(issued_at), status);

CREATE INDEX certificates_void_day ON certificates
  (institution, china_day(status_changed_at), status_reason) WHERE status = 'void';

CREATE INDEX voided_numbers_day ON voided_numbers (institution, china_day(voided_at), reason);

-- JSON operators: PostgreSQL 9.3+ (see docs on portability).
CREATE INDEX deliveries_birth_day ON deliveries
  (institution, china_day(record::json #>> '{newborn,birthTime}'));

CREATE INDEX audit_events_actor ON audit_events (actor, seq);
CREATE INDEX audit_events_action ON audit_events (action, seq);
CREATE INDEX audit_events_at ON audit_events (at);
