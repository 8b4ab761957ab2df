CREATE TYPE "public"."conversation_entry_kind" AS ENUM('note', 'status');--> statement-breakpoint
CREATE TYPE "public"."conversation_status" AS ENUM('open', 'pending', 'resolved');--> statement-breakpoint
CREATE TABLE "whatsapp_conversation_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"kind" "conversation_entry_kind" NOT NULL,
	"body" text,
	"status" "conversation_status",
	"actor_user_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "whatsapp_conversation_entries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD COLUMN "status" "conversation_status" DEFAULT 'open' NOT NULL;--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD COLUMN "status_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "whatsapp_conversation_entries" ADD CONSTRAINT "whatsapp_conversation_entries_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_conversation_entries" ADD CONSTRAINT "whatsapp_conversation_entries_conversation_fk" FOREIGN KEY ("agency_id","conversation_id") REFERENCES "public"."whatsapp_conversations"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "whatsapp_conversation_entries_agency_conversation_idx" ON "whatsapp_conversation_entries" USING btree ("agency_id","conversation_id","at");--> statement-breakpoint
CREATE INDEX "whatsapp_conversations_agency_status_last_idx" ON "whatsapp_conversations" USING btree ("agency_id","status","last_message_at");--> statement-breakpoint
CREATE POLICY "whatsapp_conversation_entries_fence_select" ON "whatsapp_conversation_entries" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("whatsapp_conversation_entries"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_conversation_entries_fence_insert" ON "whatsapp_conversation_entries" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("whatsapp_conversation_entries"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_conversation_entries_fence_update" ON "whatsapp_conversation_entries" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("whatsapp_conversation_entries"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("whatsapp_conversation_entries"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_conversation_entries_fence_delete" ON "whatsapp_conversation_entries" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("whatsapp_conversation_entries"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_conversation_entries_member_select" ON "whatsapp_conversation_entries" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "whatsapp_conversation_entries_member_insert" ON "whatsapp_conversation_entries" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_conversation_entries_member_update" ON "whatsapp_conversation_entries" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_conversation_entries_member_delete" ON "whatsapp_conversation_entries" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
-- Hand-written part: FORCE RLS and grants for the new tenant table.
ALTER TABLE "whatsapp_conversation_entries" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "whatsapp_conversation_entries" TO app_rls;
