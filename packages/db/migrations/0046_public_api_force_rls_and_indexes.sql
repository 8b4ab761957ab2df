-- Hand-written companion of 0045 (see 0001 for why): FORCE RLS and grants for the public API's idempotency keys
-- (decision 017), and the indexes its events log pages by (each history's rows of an agency in time order; lead
-- history already has one, migration 0021).
ALTER TABLE "api_idempotency_keys" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "api_idempotency_keys" TO app_rls;--> statement-breakpoint
CREATE INDEX "client_events_agency_at_idx" ON "client_events" USING btree ("agency_id", "at", "id");--> statement-breakpoint
CREATE INDEX "property_events_agency_at_idx" ON "property_events" USING btree ("agency_id", "at", "id");
