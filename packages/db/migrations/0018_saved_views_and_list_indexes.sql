CREATE TABLE "saved_views" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"list" text NOT NULL,
	"name" text NOT NULL,
	"query" text NOT NULL,
	"shared" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_views_list_check" CHECK ("saved_views"."list" in ('leads', 'clients', 'properties', 'conversations'))
);
--> statement-breakpoint
ALTER TABLE "saved_views" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_owner_fk" FOREIGN KEY ("agency_id","owner_id") REFERENCES "public"."memberships"("agency_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "saved_views_agency_list_idx" ON "saved_views" USING btree ("agency_id","list");--> statement-breakpoint
CREATE UNIQUE INDEX "saved_views_owner_name_key" ON "saved_views" USING btree ("agency_id","owner_id","list",lower("name"));--> statement-breakpoint
CREATE INDEX "leads_agency_updated_idx" ON "leads" USING btree ("agency_id","updated_at","id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_agency_name_idx" ON "leads" USING btree ("agency_id",search_norm("name"),"id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_agency_status_id_idx" ON "leads" USING btree ("agency_id","status","id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "clients_agency_sort_name_idx" ON "clients" USING btree ("agency_id",search_norm("name"),"id") WHERE "clients"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "clients_agency_created_idx" ON "clients" USING btree ("agency_id","created_at","id") WHERE "clients"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "clients_agency_updated_idx" ON "clients" USING btree ("agency_id","updated_at","id") WHERE "clients"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "properties_agency_updated_idx" ON "properties" USING btree ("agency_id","updated_at","id") WHERE "properties"."deleted_at" is null;--> statement-breakpoint
CREATE POLICY "saved_views_fence_select" ON "saved_views" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("saved_views"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "saved_views_fence_insert" ON "saved_views" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("saved_views"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "saved_views_fence_update" ON "saved_views" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("saved_views"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("saved_views"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "saved_views_fence_delete" ON "saved_views" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("saved_views"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "saved_views_member_select" ON "saved_views" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "saved_views_member_insert" ON "saved_views" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "saved_views_member_update" ON "saved_views" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "saved_views_member_delete" ON "saved_views" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "saved_views_visible_select" ON "saved_views" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("saved_views"."shared" or "saved_views"."owner_id" = (select nullif(current_setting('app.user_id', true), '')::uuid));