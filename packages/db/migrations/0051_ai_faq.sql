CREATE TABLE "ai_faq_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"question" text NOT NULL,
	"answer" text NOT NULL,
	"keywords" text[] DEFAULT '{}'::text[] NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ai_faq_entries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "ai_faq_entries" ADD CONSTRAINT "ai_faq_entries_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ai_faq_entries_agency_idx" ON "ai_faq_entries" USING btree ("agency_id","created_at");--> statement-breakpoint
CREATE POLICY "ai_faq_entries_fence_select" ON "ai_faq_entries" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("ai_faq_entries"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "ai_faq_entries_fence_insert" ON "ai_faq_entries" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("ai_faq_entries"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "ai_faq_entries_fence_update" ON "ai_faq_entries" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("ai_faq_entries"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("ai_faq_entries"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "ai_faq_entries_fence_delete" ON "ai_faq_entries" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("ai_faq_entries"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "ai_faq_entries_member_select" ON "ai_faq_entries" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "ai_faq_entries_member_insert" ON "ai_faq_entries" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "ai_faq_entries_member_update" ON "ai_faq_entries" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "ai_faq_entries_member_delete" ON "ai_faq_entries" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
-- Hand-written part (decision 021), as in 0050: the new tenant table's FORCE RLS and grants (managers write entries).
ALTER TABLE "ai_faq_entries" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "ai_faq_entries" TO app_rls;
