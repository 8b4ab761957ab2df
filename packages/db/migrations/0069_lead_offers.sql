CREATE TYPE "public"."distribution_mode" AS ENUM('round_robin', 'claim');--> statement-breakpoint
ALTER TYPE "public"."lead_event_kind" ADD VALUE 'offered';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'lead_offered';--> statement-breakpoint
ALTER TYPE "public"."distribution_reason" ADD VALUE 'claim';--> statement-breakpoint
CREATE TABLE "lead_offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"rule_id" uuid,
	"rule_name" text NOT NULL,
	"offered_to" uuid[] NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"claimed_by" uuid,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "lead_offers" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "distribution_rules" ADD COLUMN "mode" "distribution_mode" DEFAULT 'round_robin' NOT NULL;--> statement-breakpoint
ALTER TABLE "distribution_rules" ADD COLUMN "claim_minutes" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "lead_offers" ADD CONSTRAINT "lead_offers_lead_fk" FOREIGN KEY ("agency_id","lead_id") REFERENCES "public"."leads"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lead_offers_agency_lead_idx" ON "lead_offers" USING btree ("agency_id","lead_id");--> statement-breakpoint
CREATE INDEX "lead_offers_agency_open_idx" ON "lead_offers" USING btree ("agency_id","expires_at") WHERE "lead_offers"."ended_at" is null;--> statement-breakpoint
ALTER TABLE "distribution_rules" ADD CONSTRAINT "distribution_rules_claim_minutes_check" CHECK ("distribution_rules"."claim_minutes" between 1 and 240);--> statement-breakpoint
CREATE POLICY "lead_offers_fence_select" ON "lead_offers" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("lead_offers"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "lead_offers_fence_insert" ON "lead_offers" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("lead_offers"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "lead_offers_fence_update" ON "lead_offers" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("lead_offers"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("lead_offers"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "lead_offers_fence_delete" ON "lead_offers" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("lead_offers"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "lead_offers_member_select" ON "lead_offers" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "lead_offers_member_insert" ON "lead_offers" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "lead_offers_member_update" ON "lead_offers" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "lead_offers_member_delete" ON "lead_offers" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
-- Hand-written part: FORCE RLS and grants for the new tenant table.
ALTER TABLE "lead_offers" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "lead_offers" TO app_rls;
