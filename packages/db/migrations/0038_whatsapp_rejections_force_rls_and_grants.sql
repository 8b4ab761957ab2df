-- Hand-written companion of 0037 (see 0001 for why): FORCE RLS and grants for refused webhook deliveries, and the
-- refused bodies stored whole until now moved there as evidence only (hash, size, first 512 bytes). Leaving them in the
-- event store would keep their hashes in its dedupe key, where a refused copy hid a later valid one.
ALTER TABLE "whatsapp_webhook_rejections" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "whatsapp_webhook_rejections" TO app_rls;--> statement-breakpoint
INSERT INTO "whatsapp_webhook_rejections" ("agency_id", "account_id", "source", "body_sha256", "body_bytes", "body_head", "signature", "received_at")
  SELECT "agency_id", "account_id", 'unknown', "body_sha256", length("raw_body"), substring("raw_body" from 1 for 512), left("headers"->>'x-hub-signature-256', 100), "received_at"
  FROM "whatsapp_webhook_events" WHERE "state" = 'rejected';--> statement-breakpoint
DELETE FROM "whatsapp_webhook_events" WHERE "state" = 'rejected';
