-- Hand-written companion of 0020: covering indexes for the dashboard, reports and lists (drizzle-kit cannot express
-- INCLUDE). Under row-level security, enum and jsonb comparisons are not leakproof, so they cannot narrow an index
-- scan before the policy; these indexes narrow by agency and time (leakproof) and carry the columns the figures test
-- and count, so the scans need not visit the table (index-only, given the visibility map autovacuum keeps).
CREATE INDEX "leads_agency_created_cover_idx" ON "leads" USING btree ("agency_id", "created_at", "id")
  INCLUDE ("first_contact_at", "status", "source", "assigned_to") WHERE "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "leads_agency_first_contact_cover_idx" ON "leads" USING btree ("agency_id", "first_contact_at")
  INCLUDE ("created_at", "assigned_to", "status") WHERE "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "lead_events_agency_at_cover_idx" ON "lead_events" USING btree ("agency_id", "at")
  INCLUDE ("kind", "to_status", "lead_id");--> statement-breakpoint
CREATE INDEX "whatsapp_messages_agency_created_cover_idx" ON "whatsapp_messages" USING btree ("agency_id", "created_at")
  INCLUDE ("direction", "conversation_id");
--> statement-breakpoint
-- The few trashed leads, so figures can leave them out with a small hashed anti-join instead of a lookup per row.
CREATE INDEX "leads_agency_trashed_idx" ON "leads" USING btree ("agency_id", "id") WHERE "deleted_at" IS NOT NULL;--> statement-breakpoint
-- Conversations whose contact waits for a reply ("needs attention" on the dashboard, the inbox's waiting filter).
CREATE INDEX "whatsapp_conversations_agency_waiting_idx" ON "whatsapp_conversations" USING btree ("agency_id", "last_inbound_at")
  WHERE "last_inbound_received_at" > coalesce("last_outbound_at", '-infinity'::timestamptz);
--> statement-breakpoint
-- New leads nobody has contacted yet ("needs attention", the contact-time sweep): a small set however big the agency.
CREATE INDEX "leads_agency_uncontacted_idx" ON "leads" USING btree ("agency_id", "created_at")
  WHERE "status" = 'new' AND "first_contact_at" IS NULL AND "deleted_at" IS NULL;
