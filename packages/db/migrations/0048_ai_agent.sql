CREATE TYPE "public"."ai_provider" AS ENUM('rules', 'external');--> statement-breakpoint
CREATE TYPE "public"."lead_temperature" AS ENUM('cold', 'warm', 'hot');--> statement-breakpoint
CREATE TYPE "public"."ai_turn_outcome" AS ENUM('executed', 'stale', 'window_closed', 'invalid', 'handoff');--> statement-breakpoint
ALTER TYPE "public"."control_reason" ADD VALUE 'bot_handoff';--> statement-breakpoint
ALTER TYPE "public"."control_reason" ADD VALUE 'turn_deadline';--> statement-breakpoint
ALTER TYPE "public"."control_reason" ADD VALUE 'bot_guard';--> statement-breakpoint
ALTER TYPE "public"."control_reason" ADD VALUE 'opt_out';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'ai_handoff';--> statement-breakpoint
CREATE TABLE "ai_turns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"provider" "ai_provider" NOT NULL,
	"integration_id" uuid,
	"in_reply_to" uuid,
	"outcome" "ai_turn_outcome" NOT NULL,
	"message_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"actions" text[] DEFAULT '{}'::text[] NOT NULL,
	"handoff_reason" text,
	"latency_ms" integer,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ai_turns" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "ai_provider" "ai_provider" DEFAULT 'rules' NOT NULL;--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "ai_turn_deadline_seconds" integer DEFAULT 120 NOT NULL;--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "ai_handoff_phrases" text[] DEFAULT '{falar com corretor,falar com um corretor,atendente,humano,falar com uma pessoa,pessoa de verdade}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "ai_opt_out_words" text[] DEFAULT '{sair,parar,pare,cancelar,descadastrar,stop}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "ai_max_bot_streak" integer DEFAULT 8 NOT NULL;--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "ai_max_bot_per_minute" integer DEFAULT 6 NOT NULL;--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "ai_debounce_ms" integer DEFAULT 1500 NOT NULL;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "qualification" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "qualification_score" integer;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "qualification_reasons" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "temperature" "lead_temperature";--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "ai_summary" text;--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD COLUMN "opted_out_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD COLUMN "ai_asked" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD COLUMN "ai_unanswered" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ai_turns" ADD CONSTRAINT "ai_turns_integration_id_users_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_turns" ADD CONSTRAINT "ai_turns_conversation_fk" FOREIGN KEY ("agency_id","conversation_id") REFERENCES "public"."whatsapp_conversations"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ai_turns_agency_at_idx" ON "ai_turns" USING btree ("agency_id","at");--> statement-breakpoint
CREATE INDEX "ai_turns_agency_conversation_idx" ON "ai_turns" USING btree ("agency_id","conversation_id","at");--> statement-breakpoint
CREATE INDEX "leads_agency_score_idx" ON "leads" USING btree ("agency_id","qualification_score","id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE POLICY "ai_turns_fence_select" ON "ai_turns" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("ai_turns"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "ai_turns_fence_insert" ON "ai_turns" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("ai_turns"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "ai_turns_fence_update" ON "ai_turns" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("ai_turns"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("ai_turns"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "ai_turns_fence_delete" ON "ai_turns" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("ai_turns"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "ai_turns_member_select" ON "ai_turns" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "ai_turns_member_insert" ON "ai_turns" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "ai_turns_member_update" ON "ai_turns" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "ai_turns_member_delete" ON "ai_turns" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
-- Hand-written part (decision 020), as in 0047: the new tenant table's FORCE RLS and grants. Turns are only ever added
-- (by services/agent-turns.ts); they go with their conversation.
ALTER TABLE "ai_turns" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT ON "ai_turns" TO app_rls;
