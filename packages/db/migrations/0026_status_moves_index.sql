-- The status moves the figures count (qualified, converted, lost): a partial covering index, so the dashboard's moves
-- and "ever qualified" read only those entries of the period rather than every event of the agency.
CREATE INDEX "lead_events_agency_moves_idx" ON "lead_events" USING btree ("agency_id", "at") INCLUDE ("lead_id", "to_status")
  WHERE "kind" = 'status_changed' AND "to_status" IN ('qualified', 'converted', 'lost');
