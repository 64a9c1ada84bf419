-- Several service processes share one register: an amendment's number reservation names the
-- process holding it, so a process starting (or sweeping) voids only the reservations of
-- processes that are gone, never one another live process is about to land. Rows from before
-- have no holder: their process is gone.
ALTER TABLE number_reservations ADD COLUMN holder_node TEXT;
