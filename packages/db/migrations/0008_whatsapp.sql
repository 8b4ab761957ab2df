CREATE TYPE "public"."whatsapp_direction" AS ENUM('inbound', 'outbound');--> statement-breakpoint
CREATE TYPE "public"."whatsapp_message_status" AS ENUM('received', 'queued', 'sending', 'sent', 'delivered', 'read', 'failed');--> statement-breakpoint
CREATE TYPE "public"."whatsapp_message_type" AS ENUM('text', 'image', 'audio', 'video', 'document', 'sticker', 'location', 'contacts', 'interactive', 'reaction', 'template', 'system', 'unsupported');--> statement-breakpoint
CREATE TYPE "public"."whatsapp_event_state" AS ENUM('pending', 'processed', 'failed', 'ignored', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."whatsapp_provider" AS ENUM('cloud_api', 'sandbox');--> statement-breakpoint
CREATE TABLE "whatsapp_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"provider" "whatsapp_provider" NOT NULL,
	"label" text NOT NULL,
	"phone_number_id" text NOT NULL,
	"display_number" text NOT NULL,
	"waba_id" text,
	"access_token_enc" text,
	"app_secret_enc" text,
	"verify_token_enc" text,
	"paused_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "whatsapp_accounts_agency_id_id_key" UNIQUE("agency_id","id"),
	CONSTRAINT "whatsapp_accounts_provider_number_key" UNIQUE("provider","phone_number_id")
);
--> statement-breakpoint
ALTER TABLE "whatsapp_accounts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "whatsapp_conversation_reads" (
	"agency_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"last_read_at" timestamp with time zone NOT NULL,
	CONSTRAINT "whatsapp_conversation_reads_pkey" PRIMARY KEY("agency_id","conversation_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "whatsapp_conversation_reads" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "whatsapp_conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"contact_phone" text NOT NULL,
	"contact_wa_id" text,
	"contact_name" text,
	"lead_id" uuid,
	"client_id" uuid,
	"assigned_to" uuid,
	"last_message_at" timestamp with time zone,
	"last_message_preview" text,
	"last_inbound_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "whatsapp_conversations_agency_id_id_key" UNIQUE("agency_id","id"),
	CONSTRAINT "whatsapp_conversations_contact_key" UNIQUE("agency_id","account_id","contact_phone")
);
--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "whatsapp_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"direction" "whatsapp_direction" NOT NULL,
	"type" "whatsapp_message_type" NOT NULL,
	"body" text,
	"media" jsonb,
	"payload" jsonb,
	"reply_to_provider_id" text,
	"provider_message_id" text,
	"status" "whatsapp_message_status" NOT NULL,
	"error_code" text,
	"error_reason" text,
	"provider_at" timestamp with time zone,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "whatsapp_messages_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"sent_by" uuid,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "whatsapp_messages_agency_id_id_key" UNIQUE("agency_id","id"),
	CONSTRAINT "whatsapp_messages_provider_id_key" UNIQUE("agency_id","account_id","provider_message_id")
);
--> statement-breakpoint
ALTER TABLE "whatsapp_messages" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "whatsapp_sandbox_inbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "whatsapp_sandbox_inbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"agency_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"body" jsonb NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"consumed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "whatsapp_sandbox_inbox" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "whatsapp_status_events" (
	"agency_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"provider_message_id" text NOT NULL,
	"status" "whatsapp_message_status" NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"error" jsonb,
	"correlation_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "whatsapp_status_events_pkey" PRIMARY KEY("agency_id","account_id","provider_message_id","status")
);
--> statement-breakpoint
ALTER TABLE "whatsapp_status_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "whatsapp_webhook_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "whatsapp_webhook_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"agency_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"headers" jsonb NOT NULL,
	"raw_body" "bytea" NOT NULL,
	"body_sha256" text NOT NULL,
	"signature_ok" boolean NOT NULL,
	"state" "whatsapp_event_state" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	CONSTRAINT "whatsapp_webhook_events_body_key" UNIQUE("agency_id","account_id","body_sha256")
);
--> statement-breakpoint
ALTER TABLE "whatsapp_webhook_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "whatsapp_accounts" ADD CONSTRAINT "whatsapp_accounts_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_conversation_reads" ADD CONSTRAINT "whatsapp_conversation_reads_conversation_fk" FOREIGN KEY ("agency_id","conversation_id") REFERENCES "public"."whatsapp_conversations"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_conversation_reads" ADD CONSTRAINT "whatsapp_conversation_reads_member_fk" FOREIGN KEY ("agency_id","user_id") REFERENCES "public"."memberships"("agency_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD CONSTRAINT "whatsapp_conversations_account_fk" FOREIGN KEY ("agency_id","account_id") REFERENCES "public"."whatsapp_accounts"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD CONSTRAINT "whatsapp_conversations_lead_fk" FOREIGN KEY ("agency_id","lead_id") REFERENCES "public"."leads"("agency_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD CONSTRAINT "whatsapp_conversations_client_fk" FOREIGN KEY ("agency_id","client_id") REFERENCES "public"."clients"("agency_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD CONSTRAINT "whatsapp_conversations_assignee_fk" FOREIGN KEY ("agency_id","assigned_to") REFERENCES "public"."memberships"("agency_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_messages" ADD CONSTRAINT "whatsapp_messages_sent_by_users_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_messages" ADD CONSTRAINT "whatsapp_messages_conversation_fk" FOREIGN KEY ("agency_id","conversation_id") REFERENCES "public"."whatsapp_conversations"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_sandbox_inbox" ADD CONSTRAINT "whatsapp_sandbox_inbox_account_fk" FOREIGN KEY ("agency_id","account_id") REFERENCES "public"."whatsapp_accounts"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_webhook_events" ADD CONSTRAINT "whatsapp_webhook_events_account_fk" FOREIGN KEY ("agency_id","account_id") REFERENCES "public"."whatsapp_accounts"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "whatsapp_accounts_agency_idx" ON "whatsapp_accounts" USING btree ("agency_id");--> statement-breakpoint
CREATE INDEX "whatsapp_conversations_agency_last_idx" ON "whatsapp_conversations" USING btree ("agency_id","last_message_at");--> statement-breakpoint
CREATE INDEX "whatsapp_conversations_agency_lead_idx" ON "whatsapp_conversations" USING btree ("agency_id","lead_id");--> statement-breakpoint
CREATE INDEX "whatsapp_conversations_agency_client_idx" ON "whatsapp_conversations" USING btree ("agency_id","client_id");--> statement-breakpoint
CREATE INDEX "whatsapp_messages_agency_conversation_idx" ON "whatsapp_messages" USING btree ("agency_id","conversation_id","provider_at","seq");--> statement-breakpoint
CREATE INDEX "whatsapp_messages_agency_status_idx" ON "whatsapp_messages" USING btree ("agency_id","status");--> statement-breakpoint
CREATE INDEX "whatsapp_sandbox_inbox_agency_pending_idx" ON "whatsapp_sandbox_inbox" USING btree ("agency_id","available_at") WHERE consumed_at is null;--> statement-breakpoint
CREATE INDEX "whatsapp_webhook_events_agency_state_idx" ON "whatsapp_webhook_events" USING btree ("agency_id","state","received_at");--> statement-breakpoint
CREATE POLICY "whatsapp_accounts_fence_select" ON "whatsapp_accounts" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("whatsapp_accounts"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_accounts_fence_insert" ON "whatsapp_accounts" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("whatsapp_accounts"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_accounts_fence_update" ON "whatsapp_accounts" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("whatsapp_accounts"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("whatsapp_accounts"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_accounts_fence_delete" ON "whatsapp_accounts" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("whatsapp_accounts"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_accounts_member_select" ON "whatsapp_accounts" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "whatsapp_accounts_member_insert" ON "whatsapp_accounts" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_accounts_member_update" ON "whatsapp_accounts" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_accounts_member_delete" ON "whatsapp_accounts" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "whatsapp_accounts_system_by_id" ON "whatsapp_accounts" AS PERMISSIVE FOR SELECT TO "impera_app" USING ("whatsapp_accounts"."id" = (select nullif(current_setting('app.whatsapp_account_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_conversation_reads_fence_select" ON "whatsapp_conversation_reads" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("whatsapp_conversation_reads"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_conversation_reads_fence_insert" ON "whatsapp_conversation_reads" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("whatsapp_conversation_reads"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_conversation_reads_fence_update" ON "whatsapp_conversation_reads" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("whatsapp_conversation_reads"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("whatsapp_conversation_reads"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_conversation_reads_fence_delete" ON "whatsapp_conversation_reads" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("whatsapp_conversation_reads"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_conversation_reads_member_select" ON "whatsapp_conversation_reads" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "whatsapp_conversation_reads_member_insert" ON "whatsapp_conversation_reads" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_conversation_reads_member_update" ON "whatsapp_conversation_reads" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_conversation_reads_member_delete" ON "whatsapp_conversation_reads" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "whatsapp_conversations_fence_select" ON "whatsapp_conversations" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("whatsapp_conversations"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_conversations_fence_insert" ON "whatsapp_conversations" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("whatsapp_conversations"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_conversations_fence_update" ON "whatsapp_conversations" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("whatsapp_conversations"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("whatsapp_conversations"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_conversations_fence_delete" ON "whatsapp_conversations" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("whatsapp_conversations"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_conversations_member_select" ON "whatsapp_conversations" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "whatsapp_conversations_member_insert" ON "whatsapp_conversations" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_conversations_member_update" ON "whatsapp_conversations" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_conversations_member_delete" ON "whatsapp_conversations" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "whatsapp_messages_fence_select" ON "whatsapp_messages" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("whatsapp_messages"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_messages_fence_insert" ON "whatsapp_messages" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("whatsapp_messages"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_messages_fence_update" ON "whatsapp_messages" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("whatsapp_messages"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("whatsapp_messages"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_messages_fence_delete" ON "whatsapp_messages" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("whatsapp_messages"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_messages_member_select" ON "whatsapp_messages" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "whatsapp_messages_member_insert" ON "whatsapp_messages" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_messages_member_update" ON "whatsapp_messages" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_messages_member_delete" ON "whatsapp_messages" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "whatsapp_sandbox_inbox_fence_select" ON "whatsapp_sandbox_inbox" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("whatsapp_sandbox_inbox"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_sandbox_inbox_fence_insert" ON "whatsapp_sandbox_inbox" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("whatsapp_sandbox_inbox"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_sandbox_inbox_fence_update" ON "whatsapp_sandbox_inbox" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("whatsapp_sandbox_inbox"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("whatsapp_sandbox_inbox"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_sandbox_inbox_fence_delete" ON "whatsapp_sandbox_inbox" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("whatsapp_sandbox_inbox"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_sandbox_inbox_member_select" ON "whatsapp_sandbox_inbox" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "whatsapp_sandbox_inbox_member_insert" ON "whatsapp_sandbox_inbox" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_sandbox_inbox_member_update" ON "whatsapp_sandbox_inbox" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_sandbox_inbox_member_delete" ON "whatsapp_sandbox_inbox" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "whatsapp_status_events_fence_select" ON "whatsapp_status_events" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("whatsapp_status_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_status_events_fence_insert" ON "whatsapp_status_events" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("whatsapp_status_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_status_events_fence_update" ON "whatsapp_status_events" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("whatsapp_status_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("whatsapp_status_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_status_events_fence_delete" ON "whatsapp_status_events" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("whatsapp_status_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_status_events_member_select" ON "whatsapp_status_events" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "whatsapp_status_events_member_insert" ON "whatsapp_status_events" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_status_events_member_update" ON "whatsapp_status_events" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_status_events_member_delete" ON "whatsapp_status_events" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "whatsapp_webhook_events_fence_select" ON "whatsapp_webhook_events" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("whatsapp_webhook_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_webhook_events_fence_insert" ON "whatsapp_webhook_events" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("whatsapp_webhook_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_webhook_events_fence_update" ON "whatsapp_webhook_events" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("whatsapp_webhook_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("whatsapp_webhook_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_webhook_events_fence_delete" ON "whatsapp_webhook_events" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("whatsapp_webhook_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "whatsapp_webhook_events_member_select" ON "whatsapp_webhook_events" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "whatsapp_webhook_events_member_insert" ON "whatsapp_webhook_events" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_webhook_events_member_update" ON "whatsapp_webhook_events" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "whatsapp_webhook_events_member_delete" ON "whatsapp_webhook_events" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);