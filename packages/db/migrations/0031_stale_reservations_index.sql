-- The dashboard's stale reservations, oldest first: ordered by the same "since" the page shows, so the list reads its
-- first entries and the capped total stops at the cap, instead of sorting every reservation of the agency. Carries the
-- columns the test and the agent's filter read, so the count stays index-only. Replaces the plain partial index.
CREATE INDEX "properties_agency_reserved_since_idx" ON "properties" USING btree ("agency_id", greatest("updated_at", "status_changed_at"))
  INCLUDE ("updated_at", "status_changed_at", "assigned_to")
  WHERE "status" = 'reserved' AND "deleted_at" IS NULL;--> statement-breakpoint
DROP INDEX "properties_agency_reserved_idx";
