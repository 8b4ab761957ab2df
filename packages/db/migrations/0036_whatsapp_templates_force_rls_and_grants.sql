-- Hand-written companion of 0035 (see 0001 for why): FORCE RLS and grants for the synced message templates.
ALTER TABLE "whatsapp_templates" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "whatsapp_templates" TO app_rls;
