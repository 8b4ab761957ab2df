-- Hand-written companion of 0004 (see 0001 for why): FORCE RLS and grants for the leads domain.
ALTER TABLE "leads" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "lead_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "lead_notes" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "leads", "lead_notes" TO app_rls;--> statement-breakpoint
-- History is append-only for the app: no UPDATE or DELETE (rows go only with their lead, by cascade).
GRANT SELECT, INSERT ON "lead_events" TO app_rls;
