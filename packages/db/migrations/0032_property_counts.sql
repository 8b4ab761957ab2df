CREATE TABLE "property_counts" (
	"agency_id" uuid NOT NULL,
	"assigned_to" uuid,
	"status" "property_status" NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "property_counts_key" UNIQUE NULLS NOT DISTINCT("agency_id","assigned_to","status")
);
--> statement-breakpoint
ALTER TABLE "property_counts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "property_counts" ADD CONSTRAINT "property_counts_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "property_counts_fence_select" ON "property_counts" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("property_counts"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "property_counts_fence_insert" ON "property_counts" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("property_counts"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "property_counts_fence_update" ON "property_counts" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("property_counts"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("property_counts"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "property_counts_fence_delete" ON "property_counts" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("property_counts"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "property_counts_member_select" ON "property_counts" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "property_counts_member_insert" ON "property_counts" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "property_counts_member_update" ON "property_counts" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "property_counts_member_delete" ON "property_counts" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);