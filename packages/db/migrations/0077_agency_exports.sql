CREATE TABLE "agency_exports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"separator" text NOT NULL,
	"total" integer,
	"done" integer DEFAULT 0 NOT NULL,
	"counts" jsonb,
	"file_key" text,
	"file_bytes" bigint,
	"error" text,
	"requested_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	CONSTRAINT "agency_exports_agency_id_id_key" UNIQUE("agency_id","id"),
	CONSTRAINT "agency_exports_status" CHECK ("agency_exports"."status" in ('queued', 'running', 'ready', 'failed', 'expired')),
	CONSTRAINT "agency_exports_separator" CHECK ("agency_exports"."separator" in (chr(59), ','))
);
--> statement-breakpoint
ALTER TABLE "agency_exports" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "agency_exports" ADD CONSTRAINT "agency_exports_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_exports" ADD CONSTRAINT "agency_exports_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agency_exports_agency_created_idx" ON "agency_exports" USING btree ("agency_id","created_at");--> statement-breakpoint
CREATE INDEX "agency_exports_expiry_idx" ON "agency_exports" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "agency_exports_one_pending" ON "agency_exports" USING btree ("agency_id") WHERE "agency_exports"."status" in ('queued', 'running');--> statement-breakpoint
CREATE POLICY "agency_exports_fence_select" ON "agency_exports" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("agency_exports"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "agency_exports_fence_insert" ON "agency_exports" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("agency_exports"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "agency_exports_fence_update" ON "agency_exports" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("agency_exports"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("agency_exports"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "agency_exports_fence_delete" ON "agency_exports" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("agency_exports"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "agency_exports_member_select" ON "agency_exports" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "agency_exports_member_insert" ON "agency_exports" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "agency_exports_member_update" ON "agency_exports" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "agency_exports_member_delete" ON "agency_exports" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
-- Hand-written part: FORCE RLS and grants for the new tenant table.
ALTER TABLE "agency_exports" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Rows stay (an expired export says so); the files go.
GRANT SELECT, INSERT, UPDATE ON "agency_exports" TO app_rls;
