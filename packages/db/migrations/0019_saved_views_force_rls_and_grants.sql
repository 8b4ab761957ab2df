-- Hand-written companion of 0018 (see 0001 for why): FORCE RLS and grants for saved views.
ALTER TABLE "saved_views" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "saved_views" TO app_rls;
