CREATE TYPE "public"."user_kind" AS ENUM('person', 'integration');--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"integration_id" uuid NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"last_used_ip" text,
	CONSTRAINT "api_keys_prefix_unique" UNIQUE("prefix")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "api_rate_buckets" (
	"key_id" uuid PRIMARY KEY NOT NULL,
	"tokens" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "integrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"scopes" text[] NOT NULL,
	"ip_allowlist" text[] DEFAULT '{}'::text[] NOT NULL,
	"expires_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "integrations_userId_unique" UNIQUE("user_id"),
	CONSTRAINT "integrations_agency_id_id_key" UNIQUE("agency_id","id")
);
--> statement-breakpoint
ALTER TABLE "integrations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "kind" "user_kind" DEFAULT 'person' NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_integration_fk" FOREIGN KEY ("agency_id","integration_id") REFERENCES "public"."integrations"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_agency_integration_idx" ON "api_keys" USING btree ("agency_id","integration_id");--> statement-breakpoint
CREATE INDEX "integrations_agency_created_idx" ON "integrations" USING btree ("agency_id","created_at");--> statement-breakpoint
CREATE POLICY "api_keys_fence_select" ON "api_keys" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("api_keys"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "api_keys_fence_insert" ON "api_keys" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("api_keys"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "api_keys_fence_update" ON "api_keys" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("api_keys"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("api_keys"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "api_keys_fence_delete" ON "api_keys" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("api_keys"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "api_keys_member_select" ON "api_keys" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "api_keys_member_insert" ON "api_keys" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "api_keys_member_update" ON "api_keys" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "api_keys_member_delete" ON "api_keys" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "integrations_fence_select" ON "integrations" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("integrations"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "integrations_fence_insert" ON "integrations" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("integrations"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "integrations_fence_update" ON "integrations" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("integrations"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("integrations"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "integrations_fence_delete" ON "integrations" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("integrations"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "integrations_member_select" ON "integrations" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "integrations_member_insert" ON "integrations" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "integrations_member_update" ON "integrations" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "integrations_member_delete" ON "integrations" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
ALTER POLICY "users_member_select" ON "users" TO app_rls USING ("users"."id" = (select nullif(current_setting('app.user_id', true), '')::uuid) or "users"."id" in (select m.user_id from memberships m where m.agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) or "users"."id" in (select i.user_id from integrations i where i.agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)));