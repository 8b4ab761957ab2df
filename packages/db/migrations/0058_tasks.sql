CREATE TYPE "public"."task_kind" AS ENUM('call', 'whatsapp', 'email', 'follow_up', 'document', 'visit', 'other');--> statement-breakpoint
CREATE TYPE "public"."task_recurrence" AS ENUM('none', 'daily', 'weekdays', 'weekly', 'monthly');--> statement-breakpoint
CREATE TYPE "public"."task_status" AS ENUM('open', 'done', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."visit_interest" AS ENUM('high', 'medium', 'low', 'none');--> statement-breakpoint
CREATE TYPE "public"."visit_outcome" AS ENUM('done', 'no_show', 'rescheduled');--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'task_due';--> statement-breakpoint
CREATE TABLE "calendar_feeds" (
	"agency_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_feeds_agency_id_user_id_pk" PRIMARY KEY("agency_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "calendar_feeds" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "task_properties" (
	"agency_id" uuid NOT NULL,
	"task_id" uuid NOT NULL,
	"property_id" uuid NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"interest" "visit_interest",
	"feedback" text,
	CONSTRAINT "task_properties_agency_id_task_id_property_id_pk" PRIMARY KEY("agency_id","task_id","property_id")
);
--> statement-breakpoint
ALTER TABLE "task_properties" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"kind" "task_kind" NOT NULL,
	"title" text NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"duration_minutes" integer DEFAULT 30 NOT NULL,
	"place" text,
	"assigned_to" uuid NOT NULL,
	"lead_id" uuid,
	"client_id" uuid,
	"property_id" uuid,
	"status" "task_status" DEFAULT 'open' NOT NULL,
	"outcome" "visit_outcome",
	"outcome_note" text,
	"completed_at" timestamp with time zone,
	"completed_by" uuid,
	"remind_minutes" integer,
	"reminded_at" timestamp with time zone,
	"recurrence" "task_recurrence" DEFAULT 'none' NOT NULL,
	"previous_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tasks_agency_id_id_key" UNIQUE("agency_id","id"),
	CONSTRAINT "tasks_duration_check" CHECK ("tasks"."duration_minutes" between 5 and 1440),
	CONSTRAINT "tasks_remind_check" CHECK ("tasks"."remind_minutes" is null or "tasks"."remind_minutes" between 0 and 10080),
	CONSTRAINT "tasks_outcome_check" CHECK ("tasks"."outcome" is null or "tasks"."kind" = 'visit')
);
--> statement-breakpoint
ALTER TABLE "tasks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_member_fk" FOREIGN KEY ("agency_id","user_id") REFERENCES "public"."memberships"("agency_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_properties" ADD CONSTRAINT "task_properties_task_fk" FOREIGN KEY ("agency_id","task_id") REFERENCES "public"."tasks"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_properties" ADD CONSTRAINT "task_properties_property_fk" FOREIGN KEY ("agency_id","property_id") REFERENCES "public"."properties"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_completed_by_users_id_fk" FOREIGN KEY ("completed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_assignee_member_fk" FOREIGN KEY ("agency_id","assigned_to") REFERENCES "public"."memberships"("agency_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_lead_fk" FOREIGN KEY ("agency_id","lead_id") REFERENCES "public"."leads"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_client_fk" FOREIGN KEY ("agency_id","client_id") REFERENCES "public"."clients"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_property_fk" FOREIGN KEY ("agency_id","property_id") REFERENCES "public"."properties"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_feeds_token_key" ON "calendar_feeds" USING btree ("token");--> statement-breakpoint
CREATE INDEX "task_properties_agency_property_idx" ON "task_properties" USING btree ("agency_id","property_id");--> statement-breakpoint
CREATE INDEX "tasks_agency_assignee_due_idx" ON "tasks" USING btree ("agency_id","assigned_to","due_at");--> statement-breakpoint
CREATE INDEX "tasks_agency_due_idx" ON "tasks" USING btree ("agency_id","due_at");--> statement-breakpoint
CREATE INDEX "tasks_agency_lead_idx" ON "tasks" USING btree ("agency_id","lead_id") WHERE "tasks"."lead_id" is not null;--> statement-breakpoint
CREATE INDEX "tasks_agency_client_idx" ON "tasks" USING btree ("agency_id","client_id") WHERE "tasks"."client_id" is not null;--> statement-breakpoint
CREATE INDEX "tasks_agency_property_idx" ON "tasks" USING btree ("agency_id","property_id") WHERE "tasks"."property_id" is not null;--> statement-breakpoint
CREATE INDEX "tasks_agency_reminder_idx" ON "tasks" USING btree ("agency_id","due_at") WHERE "tasks"."status" = 'open' and "tasks"."remind_minutes" is not null and "tasks"."reminded_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_previous_key" ON "tasks" USING btree ("agency_id","previous_id") WHERE "tasks"."previous_id" is not null;--> statement-breakpoint
CREATE POLICY "calendar_feeds_fence_select" ON "calendar_feeds" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("calendar_feeds"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "calendar_feeds_fence_insert" ON "calendar_feeds" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("calendar_feeds"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "calendar_feeds_fence_update" ON "calendar_feeds" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("calendar_feeds"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("calendar_feeds"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "calendar_feeds_fence_delete" ON "calendar_feeds" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("calendar_feeds"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "calendar_feeds_member_select" ON "calendar_feeds" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "calendar_feeds_member_insert" ON "calendar_feeds" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "calendar_feeds_member_update" ON "calendar_feeds" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "calendar_feeds_member_delete" ON "calendar_feeds" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "calendar_feeds_own_select" ON "calendar_feeds" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("calendar_feeds"."user_id" = (select nullif(current_setting('app.user_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "calendar_feeds_system_by_token" ON "calendar_feeds" AS PERMISSIVE FOR SELECT TO "impera_app" USING ("calendar_feeds"."token" = (select nullif(current_setting('app.calendar_token', true), '')));--> statement-breakpoint
CREATE POLICY "task_properties_fence_select" ON "task_properties" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("task_properties"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "task_properties_fence_insert" ON "task_properties" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("task_properties"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "task_properties_fence_update" ON "task_properties" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("task_properties"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("task_properties"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "task_properties_fence_delete" ON "task_properties" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("task_properties"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "task_properties_member_select" ON "task_properties" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "task_properties_member_insert" ON "task_properties" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "task_properties_member_update" ON "task_properties" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "task_properties_member_delete" ON "task_properties" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "tasks_fence_select" ON "tasks" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("tasks"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tasks_fence_insert" ON "tasks" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("tasks"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tasks_fence_update" ON "tasks" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("tasks"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("tasks"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tasks_fence_delete" ON "tasks" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("tasks"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tasks_member_select" ON "tasks" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "tasks_member_insert" ON "tasks" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tasks_member_update" ON "tasks" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tasks_member_delete" ON "tasks" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
-- Hand-written part (decision 025): FORCE RLS and grants for the new tenant tables; the login role reads one calendar
-- feed by its token (the token setting is the only way in).
ALTER TABLE "tasks" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "task_properties" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "calendar_feeds" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "tasks", "task_properties", "calendar_feeds" TO app_rls;--> statement-breakpoint
GRANT SELECT ON "calendar_feeds" TO impera_app;
