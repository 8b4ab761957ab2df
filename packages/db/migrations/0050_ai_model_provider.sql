CREATE TYPE "public"."ai_call_outcome" AS ENUM('ok', 'invalid_output', 'timeout', 'http_error', 'unreachable', 'refused_target');--> statement-breakpoint
ALTER TYPE "public"."ai_provider" ADD VALUE 'openai_compatible';--> statement-breakpoint
CREATE TABLE "agency_ai_models" (
	"agency_id" uuid PRIMARY KEY NOT NULL,
	"base_url" text NOT NULL,
	"model" text NOT NULL,
	"api_key_enc" text,
	"api_key_hint" text,
	"timeout_ms" integer DEFAULT 20000 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agency_ai_models" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "ai_calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"conversation_id" uuid,
	"model" text NOT NULL,
	"outcome" "ai_call_outcome" NOT NULL,
	"attempts" integer NOT NULL,
	"http_status" integer,
	"prompt_tokens" integer,
	"completion_tokens" integer,
	"latency_ms" integer NOT NULL,
	"error" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ai_calls" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "agency_ai_models" ADD CONSTRAINT "agency_ai_models_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_calls" ADD CONSTRAINT "ai_calls_agency_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ai_calls_agency_at_idx" ON "ai_calls" USING btree ("agency_id","at");--> statement-breakpoint
CREATE POLICY "agency_ai_models_fence_select" ON "agency_ai_models" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("agency_ai_models"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "agency_ai_models_fence_insert" ON "agency_ai_models" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("agency_ai_models"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "agency_ai_models_fence_update" ON "agency_ai_models" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("agency_ai_models"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("agency_ai_models"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "agency_ai_models_fence_delete" ON "agency_ai_models" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("agency_ai_models"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "agency_ai_models_member_select" ON "agency_ai_models" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "agency_ai_models_member_insert" ON "agency_ai_models" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "agency_ai_models_member_update" ON "agency_ai_models" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "agency_ai_models_member_delete" ON "agency_ai_models" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "ai_calls_fence_select" ON "ai_calls" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("ai_calls"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "ai_calls_fence_insert" ON "ai_calls" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("ai_calls"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "ai_calls_fence_update" ON "ai_calls" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("ai_calls"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("ai_calls"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "ai_calls_fence_delete" ON "ai_calls" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("ai_calls"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "ai_calls_member_select" ON "ai_calls" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "ai_calls_member_insert" ON "ai_calls" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "ai_calls_member_update" ON "ai_calls" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "ai_calls_member_delete" ON "ai_calls" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
-- Hand-written part (decision 021), as in 0048: the new tenant tables' FORCE RLS and grants. An agency's model
-- configuration is written and cleared by managers; calls are only ever added (by services/ai-model.ts).
ALTER TABLE "agency_ai_models" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "ai_calls" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "agency_ai_models" TO app_rls;--> statement-breakpoint
GRANT SELECT, INSERT ON "ai_calls" TO app_rls;
