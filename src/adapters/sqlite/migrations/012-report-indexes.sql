-- Indexes for the health commission's reports and the auditor's filtered reads. Each report
-- query counts by the China-time day of an instant, `date(x, '+8 hours')`; an index on that very
-- expression (SQLite matches it textually) turns a full scan of the certificates — rows that
-- carry the signed JSON — into a range over a narrow covering index. Checked with EXPLAIN QUERY
-- PLAN on 100,000 certificates (npm run bench:console).

-- Sex ratio and births by month, division or institution: current certificates by birth day.
CREATE INDEX certificates_birth_day ON certificates
  (status, date(birth_time, '+8 hours'), sex, division_code, institution);

-- Certificate usage: issues by institution and kind (the order every institution's counts are
-- grouped in, so no sort), then issue day; stock used before a period.
CREATE INDEX certificates_issued_day ON certificates
  (institution, kind, date(issued_at, '+8 hours'), status);

-- Voided certificates by institution and day of the void.
CREATE INDEX certificates_void_day ON certificates
  (institution, date(status_changed_at, '+8 hours'), status_reason) WHERE status = 'void';

CREATE INDEX voided_numbers_day ON voided_numbers (institution, date(voided_at, '+8 hours'), reason);

-- Live births (deliveries) by institution and birth day.
CREATE INDEX deliveries_birth_day ON deliveries
  (institution, date(json_extract(record, '$.newborn.birthTime'), '+8 hours'));

-- The auditor's filters: by actor or action, newest first (by certificate: audit_events_target).
CREATE INDEX audit_events_actor ON audit_events (actor, seq);
CREATE INDEX audit_events_action ON audit_events (action, seq);
CREATE INDEX audit_events_at ON audit_events (at);
