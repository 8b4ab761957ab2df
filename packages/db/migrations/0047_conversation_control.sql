CREATE TYPE "public"."ai_mode" AS ENUM('off', 'assist', 'auto');--> statement-breakpoint
CREATE TYPE "public"."control_reason" AS ENUM('human_send', 'phone_send', 'take_over', 'return_to_ai', 'idle_rule', 'mode_changed');--> statement-breakpoint
CREATE TYPE "public"."conversation_controller" AS ENUM('bot', 'human', 'none');--> statement-breakpoint
CREATE TYPE "public"."whatsapp_author" AS ENUM('contact', 'member', 'phone', 'bot', 'system');--> statement-breakpoint
CREATE TABLE "whatsapp_control_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"from_controller" "conversation_controller" NOT NULL,
	"to_controller" "conversation_controller" NOT NULL,
	"from_mode" "ai_mode" NOT NULL,
	"to_mode" "ai_mode" NOT NULL,
	"reason" "control_reason" NOT NULL,
	"actor_user_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "whatsapp_control_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "ai_mode" "ai_mode" DEFAULT 'off' NOT NULL;--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "ai_return_after_hours" integer;--> statement-breakpoint
ALTER TABLE "whatsapp_accounts" ADD COLUMN "ai_mode" "ai_mode";--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD COLUMN "ai_mode" "ai_mode" DEFAULT 'off' NOT NULL;--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD COLUMN "controller" "conversation_controller" DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD COLUMN "control_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD COLUMN "control_changed_by" uuid;--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD COLUMN "control_reason" "control_reason";--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD COLUMN "last_human_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "whatsapp_messages" ADD COLUMN "author" "whatsapp_author";--> statement-breakpoint
-- Hand-edited (decision 019): existing messages get their author before the column becomes required. Inbound ones are
-- the contact's; outbound ones a bot's when sent by an integration's principal, else a member's.
UPDATE "whatsapp_messages" m SET "author" = CASE
  WHEN m."direction" = 'inbound' THEN 'contact'::"whatsapp_author"
  WHEN EXISTS (SELECT 1 FROM "users" u WHERE u."id" = m."sent_by" AND u."kind" = 'integration') THEN 'bot'::"whatsapp_author"
  ELSE 'member'::"whatsapp_author" END;--> statement-breakpoint
ALTER TABLE "whatsapp_messages" ALTER COLUMN "author" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "whatsapp_control_events" ADD CONSTRAINT "whatsapp_control_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_control_events" ADD CONSTRAINT "whatsapp_control_events_conversation_fk" FOREIGN KEY ("agency_id","conversation_id") REFERENCES "public"."whatsapp_conversations"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "whatsapp_control_events_agency_conversation_idx" ON "whatsapp_control_events" USING btree ("agency_id","conversation_id","at");--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD CONSTRAINT "whatsapp_conversations_control_changed_by_users_id_fk" FOREIGN KEY ("control_changed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "whatsapp_conversations_agency_human_idx" ON "whatsapp_conversations" USING btree ("agency_id","last_human_at") WHERE controller = 'human';--> statement-breakpoint
CREATE POLICY "whatsapp_control_events_fence_select" ON "whatsapp_control_events" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("whatsapp_control_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_control_events_fence_insert" ON "whatsapp_control_events" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("whatsapp_control_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_control_events_fence_update" ON "whatsapp_control_events" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("whatsapp_control_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("whatsapp_control_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_control_events_fence_delete" ON "whatsapp_control_events" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("whatsapp_control_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_control_events_member_select" ON "whatsapp_control_events" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "whatsapp_control_events_member_insert" ON "whatsapp_control_events" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_control_events_member_update" ON "whatsapp_control_events" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_control_events_member_delete" ON "whatsapp_control_events" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);;--> statement-breakpoint
-- Hand-written part (one migration for the slice, decision 019): the new tenant table's FORCE RLS and grants, as in
-- 0036. Entries are only ever added (by services/conversation-control.ts); they go with their conversation.
ALTER TABLE "whatsapp_control_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT ON "whatsapp_control_events" TO app_rls;;--> statement-breakpoint
-- Writers name a message's author (the schema requires it); a row written without one (a raw fixture, an old script)
-- gets the one its direction implies rather than failing: the contact's inbound, a member's outbound.
CREATE FUNCTION "whatsapp_message_default_author"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.author IS NULL THEN
    NEW.author := CASE WHEN NEW.direction = 'inbound' THEN 'contact' ELSE 'member' END;
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "whatsapp_messages_default_author" BEFORE INSERT ON "whatsapp_messages"
  FOR EACH ROW EXECUTE FUNCTION "whatsapp_message_default_author"();
