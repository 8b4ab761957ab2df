ALTER TYPE "public"."lead_event_kind" ADD VALUE 'property_shared';--> statement-breakpoint
ALTER TYPE "public"."lead_event_kind" ADD VALUE 'property_viewed';--> statement-breakpoint
CREATE TABLE "property_shares" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"token" text NOT NULL,
	"property_id" uuid NOT NULL,
	"lead_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"views" integer DEFAULT 0 NOT NULL,
	"last_viewed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "property_shares" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "property_shares" ADD CONSTRAINT "property_shares_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "property_shares" ADD CONSTRAINT "property_shares_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "property_shares" ADD CONSTRAINT "property_shares_property_fk" FOREIGN KEY ("agency_id","property_id") REFERENCES "public"."properties"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "property_shares" ADD CONSTRAINT "property_shares_lead_fk" FOREIGN KEY ("agency_id","lead_id") REFERENCES "public"."leads"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "property_shares_token_key" ON "property_shares" USING btree ("token");--> statement-breakpoint
CREATE INDEX "property_shares_agency_lead_idx" ON "property_shares" USING btree ("agency_id","lead_id");--> statement-breakpoint
CREATE INDEX "property_shares_agency_property_idx" ON "property_shares" USING btree ("agency_id","property_id");--> statement-breakpoint
CREATE POLICY "property_shares_fence_select" ON "property_shares" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("property_shares"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "property_shares_fence_insert" ON "property_shares" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("property_shares"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "property_shares_fence_update" ON "property_shares" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("property_shares"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("property_shares"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "property_shares_fence_delete" ON "property_shares" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("property_shares"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "property_shares_member_select" ON "property_shares" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "property_shares_member_insert" ON "property_shares" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "property_shares_member_update" ON "property_shares" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "property_shares_member_delete" ON "property_shares" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "property_shares_system_by_token" ON "property_shares" AS PERMISSIVE FOR SELECT TO "impera_app" USING ("property_shares"."token" = (select nullif(current_setting('app.share_token', true), '')));--> statement-breakpoint
-- Hand-written part: FORCE RLS and grants; the login role reads one share by its token (the token setting is the only
-- way in), then acts in the share's agency.
ALTER TABLE "property_shares" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "property_shares" TO app_rls;--> statement-breakpoint
GRANT SELECT ON "property_shares" TO impera_app;
