CREATE TYPE "public"."lead_event_kind" AS ENUM('created', 'status_changed', 'assigned', 'edited', 'deleted', 'restored');--> statement-breakpoint
CREATE TYPE "public"."lead_interest" AS ENUM('buy', 'rent');--> statement-breakpoint
CREATE TYPE "public"."lead_source" AS ENUM('website', 'portal', 'whatsapp', 'referral', 'walk_in', 'phone', 'social', 'other');--> statement-breakpoint
CREATE TYPE "public"."lead_status" AS ENUM('new', 'contacted', 'qualified', 'converted', 'lost');--> statement-breakpoint
CREATE TYPE "public"."lost_reason" AS ENUM('no_response', 'bought_elsewhere', 'budget', 'not_interested', 'invalid_contact', 'duplicate', 'other');--> statement-breakpoint
CREATE TABLE "lead_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"actor_user_id" uuid,
	"kind" "lead_event_kind" NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "lead_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "lead_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"author_id" uuid,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "lead_notes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "leads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"name" text NOT NULL,
	"phones" text[] DEFAULT '{}'::text[] NOT NULL,
	"email" text,
	"source" "lead_source" DEFAULT 'other' NOT NULL,
	"source_detail" text,
	"interest" "lead_interest",
	"budget_min" bigint,
	"budget_max" bigint,
	"property_types" text[] DEFAULT '{}'::text[] NOT NULL,
	"locations" text[] DEFAULT '{}'::text[] NOT NULL,
	"min_bedrooms" integer,
	"notes" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"assigned_to" uuid,
	"status" "lead_status" DEFAULT 'new' NOT NULL,
	"lost_reason" "lost_reason",
	"lost_detail" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_by" uuid,
	CONSTRAINT "leads_agency_id_id_key" UNIQUE("agency_id","id")
);
--> statement-breakpoint
ALTER TABLE "leads" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "lead_events" ADD CONSTRAINT "lead_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_events" ADD CONSTRAINT "lead_events_lead_fk" FOREIGN KEY ("agency_id","lead_id") REFERENCES "public"."leads"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_notes" ADD CONSTRAINT "lead_notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_notes" ADD CONSTRAINT "lead_notes_lead_fk" FOREIGN KEY ("agency_id","lead_id") REFERENCES "public"."leads"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_deleted_by_users_id_fk" FOREIGN KEY ("deleted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_assignee_member_fk" FOREIGN KEY ("agency_id","assigned_to") REFERENCES "public"."memberships"("agency_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lead_events_agency_lead_at_idx" ON "lead_events" USING btree ("agency_id","lead_id","at");--> statement-breakpoint
CREATE INDEX "lead_notes_agency_lead_idx" ON "lead_notes" USING btree ("agency_id","lead_id","created_at");--> statement-breakpoint
CREATE INDEX "leads_agency_status_created_idx" ON "leads" USING btree ("agency_id","status","created_at");--> statement-breakpoint
CREATE INDEX "leads_agency_assigned_idx" ON "leads" USING btree ("agency_id","assigned_to");--> statement-breakpoint
CREATE INDEX "leads_agency_email_idx" ON "leads" USING btree ("agency_id",lower("email"));--> statement-breakpoint
CREATE INDEX "leads_phones_gin_idx" ON "leads" USING gin ("phones");--> statement-breakpoint
CREATE POLICY "lead_events_fence_select" ON "lead_events" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("lead_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "lead_events_fence_insert" ON "lead_events" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("lead_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "lead_events_fence_update" ON "lead_events" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("lead_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("lead_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "lead_events_fence_delete" ON "lead_events" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("lead_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "lead_events_member_select" ON "lead_events" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "lead_events_member_insert" ON "lead_events" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "lead_events_member_update" ON "lead_events" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "lead_events_member_delete" ON "lead_events" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "lead_notes_fence_select" ON "lead_notes" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("lead_notes"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "lead_notes_fence_insert" ON "lead_notes" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("lead_notes"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "lead_notes_fence_update" ON "lead_notes" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("lead_notes"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("lead_notes"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "lead_notes_fence_delete" ON "lead_notes" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("lead_notes"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "lead_notes_member_select" ON "lead_notes" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "lead_notes_member_insert" ON "lead_notes" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "lead_notes_member_update" ON "lead_notes" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "lead_notes_member_delete" ON "lead_notes" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "leads_fence_select" ON "leads" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("leads"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "leads_fence_insert" ON "leads" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("leads"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "leads_fence_update" ON "leads" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("leads"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("leads"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "leads_fence_delete" ON "leads" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("leads"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "leads_member_select" ON "leads" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "leads_member_insert" ON "leads" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "leads_member_update" ON "leads" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "leads_member_delete" ON "leads" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);