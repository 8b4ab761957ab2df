-- Hand-written companion of 0022: a lead's history by time, carrying what stage durations and "ever qualified" read,
-- so the pipeline report walks its cohort's events without visiting the table (see 0021 on RLS and leakproofness).
CREATE INDEX "lead_events_agency_lead_at_cover_idx" ON "lead_events" USING btree ("agency_id", "lead_id", "at")
  INCLUDE ("kind", "to_status");
