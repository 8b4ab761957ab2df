CREATE TABLE "whatsapp_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"name" text NOT NULL,
	"language" text NOT NULL,
	"category" text NOT NULL,
	"status" text NOT NULL,
	"body" text NOT NULL,
	"params" integer DEFAULT 0 NOT NULL,
	"components" jsonb NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "whatsapp_templates_key" UNIQUE("agency_id","account_id","name","language")
);
--> statement-breakpoint
ALTER TABLE "whatsapp_templates" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "whatsapp_accounts" ADD COLUMN "templates_synced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "whatsapp_accounts" ADD COLUMN "templates_error" text;--> statement-breakpoint
ALTER TABLE "whatsapp_templates" ADD CONSTRAINT "whatsapp_templates_account_fk" FOREIGN KEY ("agency_id","account_id") REFERENCES "public"."whatsapp_accounts"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "whatsapp_templates_fence_select" ON "whatsapp_templates" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("whatsapp_templates"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_templates_fence_insert" ON "whatsapp_templates" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("whatsapp_templates"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_templates_fence_update" ON "whatsapp_templates" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("whatsapp_templates"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("whatsapp_templates"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_templates_fence_delete" ON "whatsapp_templates" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("whatsapp_templates"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_templates_member_select" ON "whatsapp_templates" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "whatsapp_templates_member_insert" ON "whatsapp_templates" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_templates_member_update" ON "whatsapp_templates" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_templates_member_delete" ON "whatsapp_templates" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);