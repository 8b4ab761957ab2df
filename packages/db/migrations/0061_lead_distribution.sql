CREATE TYPE "public"."distribution_reason" AS ENUM('listing_agent', 'rule', 'sla');--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'lead_sla_breached';--> statement-breakpoint
CREATE TABLE "distribution_members" (
	"agency_id" uuid NOT NULL,
	"rule_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"weight" integer DEFAULT 1 NOT NULL,
	"credit" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "distribution_members_agency_id_rule_id_user_id_pk" PRIMARY KEY("agency_id","rule_id","user_id"),
	CONSTRAINT "distribution_members_weight_check" CHECK ("distribution_members"."weight" between 1 and 10)
);
--> statement-breakpoint
ALTER TABLE "distribution_members" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "distribution_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"name" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"sources" "lead_source"[] DEFAULT '{}' NOT NULL,
	"interests" "lead_interest"[] DEFAULT '{}' NOT NULL,
	"budget_min" bigint,
	"budget_max" bigint,
	"locations" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "distribution_rules_agency_id_id_key" UNIQUE("agency_id","id"),
	CONSTRAINT "distribution_rules_band_check" CHECK ("distribution_rules"."budget_min" is null or "distribution_rules"."budget_max" is null or "distribution_rules"."budget_min" <= "distribution_rules"."budget_max")
);
--> statement-breakpoint
ALTER TABLE "distribution_rules" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "lead_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"reason" "distribution_reason" NOT NULL,
	"rule_id" uuid,
	"rule_name" text,
	"due_at" timestamp with time zone,
	"breached_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "lead_assignments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "distribution_listing_agent" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "distribution_sla_minutes" integer;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "leads_paused" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "working_hours" jsonb;--> statement-breakpoint
ALTER TABLE "distribution_members" ADD CONSTRAINT "distribution_members_rule_fk" FOREIGN KEY ("agency_id","rule_id") REFERENCES "public"."distribution_rules"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "distribution_members" ADD CONSTRAINT "distribution_members_member_fk" FOREIGN KEY ("agency_id","user_id") REFERENCES "public"."memberships"("agency_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "distribution_rules" ADD CONSTRAINT "distribution_rules_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_assignments" ADD CONSTRAINT "lead_assignments_lead_fk" FOREIGN KEY ("agency_id","lead_id") REFERENCES "public"."leads"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_assignments" ADD CONSTRAINT "lead_assignments_member_fk" FOREIGN KEY ("agency_id","user_id") REFERENCES "public"."memberships"("agency_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "distribution_members_agency_user_idx" ON "distribution_members" USING btree ("agency_id","user_id");--> statement-breakpoint
CREATE INDEX "distribution_rules_agency_position_idx" ON "distribution_rules" USING btree ("agency_id","position");--> statement-breakpoint
CREATE INDEX "lead_assignments_agency_lead_idx" ON "lead_assignments" USING btree ("agency_id","lead_id");--> statement-breakpoint
CREATE INDEX "lead_assignments_agency_user_idx" ON "lead_assignments" USING btree ("agency_id","user_id","created_at");--> statement-breakpoint
CREATE INDEX "lead_assignments_agency_due_idx" ON "lead_assignments" USING btree ("agency_id","due_at") WHERE "lead_assignments"."ended_at" is null and "lead_assignments"."due_at" is not null;--> statement-breakpoint
CREATE POLICY "distribution_members_fence_select" ON "distribution_members" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("distribution_members"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "distribution_members_fence_insert" ON "distribution_members" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("distribution_members"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "distribution_members_fence_update" ON "distribution_members" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("distribution_members"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("distribution_members"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "distribution_members_fence_delete" ON "distribution_members" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("distribution_members"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "distribution_members_member_select" ON "distribution_members" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "distribution_members_member_insert" ON "distribution_members" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "distribution_members_member_update" ON "distribution_members" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "distribution_members_member_delete" ON "distribution_members" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "distribution_rules_fence_select" ON "distribution_rules" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("distribution_rules"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "distribution_rules_fence_insert" ON "distribution_rules" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("distribution_rules"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "distribution_rules_fence_update" ON "distribution_rules" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("distribution_rules"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("distribution_rules"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "distribution_rules_fence_delete" ON "distribution_rules" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("distribution_rules"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "distribution_rules_member_select" ON "distribution_rules" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "distribution_rules_member_insert" ON "distribution_rules" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "distribution_rules_member_update" ON "distribution_rules" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "distribution_rules_member_delete" ON "distribution_rules" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "lead_assignments_fence_select" ON "lead_assignments" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("lead_assignments"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "lead_assignments_fence_insert" ON "lead_assignments" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("lead_assignments"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "lead_assignments_fence_update" ON "lead_assignments" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("lead_assignments"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("lead_assignments"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "lead_assignments_fence_delete" ON "lead_assignments" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("lead_assignments"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "lead_assignments_member_select" ON "lead_assignments" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "lead_assignments_member_insert" ON "lead_assignments" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "lead_assignments_member_update" ON "lead_assignments" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "lead_assignments_member_delete" ON "lead_assignments" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
-- Hand-written part (decision 027): FORCE RLS and grants for the new tenant tables.
ALTER TABLE "distribution_rules" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "distribution_members" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "lead_assignments" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "distribution_rules", "distribution_members", "lead_assignments" TO app_rls;
