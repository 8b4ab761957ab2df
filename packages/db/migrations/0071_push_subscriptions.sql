CREATE TABLE "push_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"session_id" uuid,
	"endpoint" text NOT NULL,
	"p256dh" text NOT NULL,
	"auth" text NOT NULL,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_pushed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "push_subscriptions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "push_state" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "push_subscriptions" ADD CONSTRAINT "push_subscriptions_member_fk" FOREIGN KEY ("agency_id","user_id") REFERENCES "public"."memberships"("agency_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "push_subscriptions_agency_endpoint_key" ON "push_subscriptions" USING btree ("agency_id","endpoint");--> statement-breakpoint
CREATE INDEX "push_subscriptions_agency_user_idx" ON "push_subscriptions" USING btree ("agency_id","user_id");--> statement-breakpoint
CREATE INDEX "notifications_agency_user_push_idx" ON "notifications" USING btree ("agency_id","user_id") WHERE "notifications"."push_state" = 'pending';--> statement-breakpoint
CREATE POLICY "push_subscriptions_fence_select" ON "push_subscriptions" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("push_subscriptions"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "push_subscriptions_fence_insert" ON "push_subscriptions" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("push_subscriptions"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "push_subscriptions_fence_update" ON "push_subscriptions" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("push_subscriptions"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("push_subscriptions"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "push_subscriptions_fence_delete" ON "push_subscriptions" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("push_subscriptions"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "push_subscriptions_member_select" ON "push_subscriptions" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "push_subscriptions_member_insert" ON "push_subscriptions" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "push_subscriptions_member_update" ON "push_subscriptions" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "push_subscriptions_member_delete" ON "push_subscriptions" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
-- Hand-written part: FORCE RLS and grants for the new tenant table.
ALTER TABLE "push_subscriptions" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "push_subscriptions" TO app_rls;
