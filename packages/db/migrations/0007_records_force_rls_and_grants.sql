-- Hand-written companion of 0006 (see 0001 for why): FORCE RLS and grants for clients and properties.
ALTER TABLE "clients" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "client_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "client_notes" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "properties" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "property_photos" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "property_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "lead_properties" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "clients", "client_notes", "properties", "property_photos", "lead_properties" TO app_rls;--> statement-breakpoint
-- Histories are append-only for the app (rows go only with their record, by cascade).
GRANT SELECT, INSERT ON "client_events", "property_events" TO app_rls;
