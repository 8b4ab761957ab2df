CREATE TYPE "public"."bulk_status" AS ENUM('running', 'done', 'failed');--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'bulk_done';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'leads_assigned';--> statement-breakpoint
CREATE TABLE "bulk_operation_items" (
	"agency_id" uuid NOT NULL,
	"operation_id" uuid NOT NULL,
	"record_id" uuid NOT NULL,
	"done" boolean DEFAULT false NOT NULL,
	CONSTRAINT "bulk_operation_items_agency_id_operation_id_record_id_pk" PRIMARY KEY("agency_id","operation_id","record_id")
);
--> statement-breakpoint
ALTER TABLE "bulk_operation_items" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "bulk_operations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"action" jsonb NOT NULL,
	"total" integer NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"changed" integer DEFAULT 0 NOT NULL,
	"status" "bulk_status" DEFAULT 'running' NOT NULL,
	"error" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "bulk_operations_agency_id_id_key" UNIQUE("agency_id","id")
);
--> statement-breakpoint
ALTER TABLE "bulk_operations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "bulk_operation_items" ADD CONSTRAINT "bulk_operation_items_operation_fk" FOREIGN KEY ("agency_id","operation_id") REFERENCES "public"."bulk_operations"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulk_operations" ADD CONSTRAINT "bulk_operations_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulk_operations" ADD CONSTRAINT "bulk_operations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bulk_operation_items_pending_idx" ON "bulk_operation_items" USING btree ("agency_id","operation_id") WHERE not "bulk_operation_items"."done";--> statement-breakpoint
CREATE INDEX "bulk_operations_agency_created_idx" ON "bulk_operations" USING btree ("agency_id","created_at");--> statement-breakpoint
CREATE POLICY "bulk_operation_items_fence_select" ON "bulk_operation_items" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("bulk_operation_items"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "bulk_operation_items_fence_insert" ON "bulk_operation_items" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("bulk_operation_items"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "bulk_operation_items_fence_update" ON "bulk_operation_items" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("bulk_operation_items"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("bulk_operation_items"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "bulk_operation_items_fence_delete" ON "bulk_operation_items" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("bulk_operation_items"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "bulk_operation_items_member_select" ON "bulk_operation_items" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "bulk_operation_items_member_insert" ON "bulk_operation_items" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "bulk_operation_items_member_update" ON "bulk_operation_items" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "bulk_operation_items_member_delete" ON "bulk_operation_items" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "bulk_operations_fence_select" ON "bulk_operations" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("bulk_operations"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "bulk_operations_fence_insert" ON "bulk_operations" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("bulk_operations"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "bulk_operations_fence_update" ON "bulk_operations" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("bulk_operations"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("bulk_operations"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "bulk_operations_fence_delete" ON "bulk_operations" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("bulk_operations"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "bulk_operations_member_select" ON "bulk_operations" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "bulk_operations_member_insert" ON "bulk_operations" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "bulk_operations_member_update" ON "bulk_operations" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "bulk_operations_member_delete" ON "bulk_operations" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
-- Hand-written part (decision 028): FORCE RLS and grants for the new tenant tables.
ALTER TABLE "bulk_operations" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "bulk_operation_items" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "bulk_operations", "bulk_operation_items" TO app_rls;
