CREATE TABLE "api_idempotency_keys" (
	"agency_id" uuid NOT NULL,
	"integration_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" integer NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_idempotency_keys_pkey" PRIMARY KEY("agency_id","integration_id","key")
);
--> statement-breakpoint
ALTER TABLE "api_idempotency_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "api_idempotency_keys" ADD CONSTRAINT "api_idempotency_keys_integration_fk" FOREIGN KEY ("agency_id","integration_id") REFERENCES "public"."integrations"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_idempotency_keys_agency_created_idx" ON "api_idempotency_keys" USING btree ("agency_id","created_at");--> statement-breakpoint
CREATE POLICY "api_idempotency_keys_fence_select" ON "api_idempotency_keys" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("api_idempotency_keys"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "api_idempotency_keys_fence_insert" ON "api_idempotency_keys" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("api_idempotency_keys"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "api_idempotency_keys_fence_update" ON "api_idempotency_keys" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("api_idempotency_keys"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("api_idempotency_keys"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "api_idempotency_keys_fence_delete" ON "api_idempotency_keys" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("api_idempotency_keys"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "api_idempotency_keys_member_select" ON "api_idempotency_keys" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "api_idempotency_keys_member_insert" ON "api_idempotency_keys" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "api_idempotency_keys_member_update" ON "api_idempotency_keys" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "api_idempotency_keys_member_delete" ON "api_idempotency_keys" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);