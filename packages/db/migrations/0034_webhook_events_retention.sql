-- Raw webhook bodies are purged after their retention (purgeWebhookEvents, the daily whatsapp:purge-events job), in
-- each agency's tenant context like every worker write: the tenant role may now delete them.
GRANT DELETE ON "whatsapp_webhook_events" TO app_rls;
