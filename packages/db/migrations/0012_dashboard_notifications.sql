CREATE TYPE "public"."notification_kind" AS ENUM('lead_assigned', 'message_received', 'lead_waiting', 'message_failed', 'invitation_accepted');--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" "notification_kind" NOT NULL,
	"entity" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"count" integer DEFAULT 1 NOT NULL,
	"in_app" boolean DEFAULT true NOT NULL,
	"email_state" text DEFAULT 'none' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	"emailed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "notifications" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "agency_daily_stats" (
	"agency_id" uuid NOT NULL,
	"day" date NOT NULL,
	"leads_created" integer DEFAULT 0 NOT NULL,
	"messages_in" integer DEFAULT 0 NOT NULL,
	"messages_out" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "agency_daily_stats_pkey" PRIMARY KEY("agency_id","day")
);
--> statement-breakpoint
ALTER TABLE "agency_daily_stats" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "contact_sla_hours" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "stale_reserved_days" integer DEFAULT 14 NOT NULL;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "notification_prefs" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "first_contact_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_member_fk" FOREIGN KEY ("agency_id","user_id") REFERENCES "public"."memberships"("agency_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_daily_stats" ADD CONSTRAINT "agency_daily_stats_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_agency_user_updated_idx" ON "notifications" USING btree ("agency_id","user_id","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_unread_key" ON "notifications" USING btree ("agency_id","user_id","kind","entity_id") WHERE "notifications"."read_at" is null;--> statement-breakpoint
CREATE INDEX "notifications_agency_email_idx" ON "notifications" USING btree ("agency_id","email_state") WHERE "notifications"."email_state" = 'pending';--> statement-breakpoint
CREATE INDEX "agency_daily_stats_day_idx" ON "agency_daily_stats" USING btree ("day");--> statement-breakpoint
CREATE INDEX "lead_events_agency_kind_at_idx" ON "lead_events" USING btree ("agency_id","kind","at");--> statement-breakpoint
CREATE INDEX "leads_agency_created_idx" ON "leads" USING btree ("agency_id","created_at");--> statement-breakpoint
CREATE INDEX "whatsapp_messages_agency_created_idx" ON "whatsapp_messages" USING btree ("agency_id","created_at");--> statement-breakpoint
CREATE POLICY "notifications_fence_select" ON "notifications" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("notifications"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "notifications_fence_insert" ON "notifications" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("notifications"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "notifications_fence_update" ON "notifications" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("notifications"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("notifications"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "notifications_fence_delete" ON "notifications" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("notifications"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "notifications_member_select" ON "notifications" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "notifications_member_insert" ON "notifications" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "notifications_member_update" ON "notifications" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "notifications_member_delete" ON "notifications" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "notifications_own_select" ON "notifications" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("notifications"."user_id" = (select nullif(current_setting('app.user_id', true), '')::uuid) or (select nullif(current_setting('app.user_id', true), '')::uuid) is null);--> statement-breakpoint
CREATE POLICY "notifications_own_update" ON "notifications" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("notifications"."user_id" = (select nullif(current_setting('app.user_id', true), '')::uuid) or (select nullif(current_setting('app.user_id', true), '')::uuid) is null);--> statement-breakpoint
CREATE POLICY "notifications_own_delete" ON "notifications" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("notifications"."user_id" = (select nullif(current_setting('app.user_id', true), '')::uuid) or (select nullif(current_setting('app.user_id', true), '')::uuid) is null);--> statement-breakpoint
CREATE POLICY "agency_daily_stats_fence_select" ON "agency_daily_stats" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("agency_daily_stats"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "agency_daily_stats_fence_insert" ON "agency_daily_stats" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("agency_daily_stats"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "agency_daily_stats_fence_update" ON "agency_daily_stats" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("agency_daily_stats"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("agency_daily_stats"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "agency_daily_stats_fence_delete" ON "agency_daily_stats" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("agency_daily_stats"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "agency_daily_stats_member_select" ON "agency_daily_stats" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "agency_daily_stats_member_insert" ON "agency_daily_stats" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "agency_daily_stats_member_update" ON "agency_daily_stats" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "agency_daily_stats_member_delete" ON "agency_daily_stats" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "agency_daily_stats_platform_all" ON "agency_daily_stats" AS PERMISSIVE FOR ALL TO "app_platform" USING (true) WITH CHECK (true);