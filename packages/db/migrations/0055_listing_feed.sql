CREATE TABLE "listing_feeds" (
	"agency_id" uuid PRIMARY KEY NOT NULL,
	"token" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "listing_feeds" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "properties" ADD COLUMN "publish_portals" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "listing_feeds" ADD CONSTRAINT "listing_feeds_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listing_feeds" ADD CONSTRAINT "listing_feeds_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "listing_feeds_token_key" ON "listing_feeds" USING btree ("token");--> statement-breakpoint
CREATE INDEX "properties_agency_published_idx" ON "properties" USING btree ("agency_id","id") WHERE "properties"."publish_portals" and "properties"."deleted_at" is null;--> statement-breakpoint
CREATE POLICY "listing_feeds_fence_select" ON "listing_feeds" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("listing_feeds"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "listing_feeds_fence_insert" ON "listing_feeds" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("listing_feeds"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "listing_feeds_fence_update" ON "listing_feeds" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("listing_feeds"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("listing_feeds"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "listing_feeds_fence_delete" ON "listing_feeds" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("listing_feeds"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "listing_feeds_member_select" ON "listing_feeds" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "listing_feeds_member_insert" ON "listing_feeds" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "listing_feeds_member_update" ON "listing_feeds" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "listing_feeds_member_delete" ON "listing_feeds" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "listing_feeds_system_by_token" ON "listing_feeds" AS PERMISSIVE FOR SELECT TO "impera_app" USING ("listing_feeds"."token" = (select nullif(current_setting('app.feed_token', true), '')));--> statement-breakpoint
-- Hand-written part (decision 023): FORCE RLS and grants for the new tenant table; the login role reads one feed by
-- its token (the feed's door), nothing else.
ALTER TABLE "listing_feeds" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "listing_feeds" TO app_rls;--> statement-breakpoint
GRANT SELECT ON "listing_feeds" TO impera_app;
