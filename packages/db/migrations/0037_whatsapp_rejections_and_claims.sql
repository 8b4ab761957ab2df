CREATE TABLE "whatsapp_webhook_rejections" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "whatsapp_webhook_rejections_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"agency_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"source" text NOT NULL,
	"body_sha256" text NOT NULL,
	"body_bytes" integer NOT NULL,
	"body_head" "bytea" NOT NULL,
	"signature" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "whatsapp_webhook_rejections" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "whatsapp_messages" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "whatsapp_webhook_rejections" ADD CONSTRAINT "whatsapp_webhook_rejections_account_fk" FOREIGN KEY ("agency_id","account_id") REFERENCES "public"."whatsapp_accounts"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "whatsapp_webhook_rejections_source_idx" ON "whatsapp_webhook_rejections" USING btree ("agency_id","account_id","source","received_at");--> statement-breakpoint
CREATE INDEX "whatsapp_webhook_rejections_agency_received_idx" ON "whatsapp_webhook_rejections" USING btree ("agency_id","received_at");--> statement-breakpoint
CREATE POLICY "whatsapp_webhook_rejections_fence_select" ON "whatsapp_webhook_rejections" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("whatsapp_webhook_rejections"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_webhook_rejections_fence_insert" ON "whatsapp_webhook_rejections" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("whatsapp_webhook_rejections"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_webhook_rejections_fence_update" ON "whatsapp_webhook_rejections" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("whatsapp_webhook_rejections"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("whatsapp_webhook_rejections"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_webhook_rejections_fence_delete" ON "whatsapp_webhook_rejections" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("whatsapp_webhook_rejections"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_webhook_rejections_member_select" ON "whatsapp_webhook_rejections" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "whatsapp_webhook_rejections_member_insert" ON "whatsapp_webhook_rejections" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_webhook_rejections_member_update" ON "whatsapp_webhook_rejections" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_webhook_rejections_member_delete" ON "whatsapp_webhook_rejections" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);