-- Hand-written companion of 0008 (see 0001 for why): FORCE RLS and grants for WhatsApp.
ALTER TABLE "whatsapp_accounts" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "whatsapp_webhook_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "whatsapp_messages" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "whatsapp_status_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "whatsapp_conversation_reads" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "whatsapp_sandbox_inbox" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "whatsapp_accounts", "whatsapp_conversations", "whatsapp_messages", "whatsapp_conversation_reads", "whatsapp_sandbox_inbox" TO app_rls;--> statement-breakpoint
-- Raw deliveries and status events are evidence: the app adds and reads them, and only marks raw events processed.
GRANT SELECT, INSERT ON "whatsapp_webhook_events", "whatsapp_status_events" TO app_rls;--> statement-breakpoint
GRANT UPDATE ("state", "attempts", "last_error", "processed_at") ON "whatsapp_webhook_events" TO app_rls;--> statement-breakpoint
-- The webhook door (policy whatsapp_accounts_system_by_id) for the login role, read-only.
GRANT SELECT ON "whatsapp_accounts" TO impera_app;
