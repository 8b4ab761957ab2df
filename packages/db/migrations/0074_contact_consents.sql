CREATE TYPE "public"."consent_basis" AS ENUM('consent', 'legitimate_interest', 'contract');--> statement-breakpoint
CREATE TYPE "public"."consent_source" AS ENUM('ui', 'intake', 'portal', 'whatsapp', 'import', 'api');--> statement-breakpoint
CREATE TABLE "contact_consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"lead_id" uuid,
	"client_id" uuid,
	"granted" boolean NOT NULL,
	"basis" "consent_basis",
	"source" "consent_source" NOT NULL,
	"text_version" text,
	"evidence" jsonb,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_consents_one_subject" CHECK (num_nonnulls("contact_consents"."lead_id", "contact_consents"."client_id") = 1),
	CONSTRAINT "contact_consents_basis" CHECK ("contact_consents"."granted" = ("contact_consents"."basis" is not null))
);
--> statement-breakpoint
ALTER TABLE "contact_consents" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "contact_consents" ADD CONSTRAINT "contact_consents_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_consents" ADD CONSTRAINT "contact_consents_lead_fk" FOREIGN KEY ("agency_id","lead_id") REFERENCES "public"."leads"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_consents" ADD CONSTRAINT "contact_consents_client_fk" FOREIGN KEY ("agency_id","client_id") REFERENCES "public"."clients"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_consents_lead_idx" ON "contact_consents" USING btree ("agency_id","lead_id","recorded_at");--> statement-breakpoint
CREATE INDEX "contact_consents_client_idx" ON "contact_consents" USING btree ("agency_id","client_id","recorded_at");--> statement-breakpoint
CREATE POLICY "contact_consents_fence_select" ON "contact_consents" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("contact_consents"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "contact_consents_fence_insert" ON "contact_consents" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("contact_consents"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "contact_consents_fence_update" ON "contact_consents" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("contact_consents"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("contact_consents"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "contact_consents_fence_delete" ON "contact_consents" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("contact_consents"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "contact_consents_member_select" ON "contact_consents" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "contact_consents_member_insert" ON "contact_consents" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "contact_consents_member_update" ON "contact_consents" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "contact_consents_member_delete" ON "contact_consents" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
-- Hand-written part: FORCE RLS and grants for the new tenant table.
ALTER TABLE "contact_consents" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Append-only: no UPDATE or DELETE (a changed mind is a new row; rows go only with their record, by its cascade).
GRANT SELECT, INSERT ON "contact_consents" TO app_rls;
