-- 预约取证: the times an institution publishes for collecting the paper certificate, and the
-- parents' appointments. `booked` counts the appointments holding a seat (booked or handed over);
-- it only changes by a conditional update in the booking's transaction, and the CHECK refuses any
-- write that would overbook a slot even if a caller forgot the condition.
CREATE TABLE collection_slots (
  id           TEXT PRIMARY KEY,
  institution  TEXT NOT NULL REFERENCES institutions (credit_code),
  starts_at    TEXT NOT NULL,
  ends_at      TEXT NOT NULL,
  capacity     INTEGER NOT NULL CHECK (capacity > 0),
  booked       INTEGER NOT NULL DEFAULT 0,
  closed_at    TEXT,
  created_by   TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  CHECK (booked >= 0 AND booked <= capacity),
  CHECK (ends_at > starts_at)
);
CREATE INDEX collection_slots_institution ON collection_slots (institution, starts_at);

-- One appointment per birth (lineage) at a time: it follows the current certificate after a
-- 换发 or 补发. `certificate_no` is the number it was booked with, and on handover the number whose
-- paper was handed over.
CREATE TABLE collection_appointments (
  id              TEXT PRIMARY KEY,
  slot_id         TEXT NOT NULL REFERENCES collection_slots (id),
  lineage         TEXT NOT NULL,
  certificate_no  TEXT NOT NULL REFERENCES certificates (certificate_no),
  status          TEXT NOT NULL CHECK (status IN ('booked', 'cancelled', 'handed-over')),
  booked_at       TEXT NOT NULL,
  changed_at      TEXT NOT NULL,
  handed_over_at  TEXT,
  handed_over_by  TEXT,
  CHECK ((status = 'handed-over') = (handed_over_at IS NOT NULL AND handed_over_by IS NOT NULL))
);
CREATE UNIQUE INDEX collection_appointments_active ON collection_appointments (lineage) WHERE status = 'booked';
CREATE INDEX collection_appointments_slot ON collection_appointments (slot_id);
CREATE INDEX collection_appointments_lineage ON collection_appointments (lineage, booked_at);
CREATE INDEX collection_appointments_handed_over ON collection_appointments (certificate_no) WHERE status = 'handed-over';
