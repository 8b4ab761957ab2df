-- Indexes found with the benchmark (issue 6). The inbox lists by last message, newest first with conversations that
-- never had one last: an index in exactly that order, so a page is read, not sorted.
CREATE INDEX "whatsapp_conversations_agency_last_desc_idx" ON "whatsapp_conversations" USING btree ("agency_id", "last_message_at" DESC NULLS LAST, "id" DESC);--> statement-breakpoint
-- Listings by status (dashboard, reports) without visiting the table, and reservations (stale ones need attention).
CREATE INDEX "properties_agency_status_cover_idx" ON "properties" USING btree ("agency_id", "status") INCLUDE ("assigned_to") WHERE "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "properties_agency_reserved_idx" ON "properties" USING btree ("agency_id") WHERE "status" = 'reserved' AND "deleted_at" IS NULL;
--> statement-breakpoint
-- Unread counts stop at 100 (badges say "99+") reading the most recently active conversations first.
CREATE INDEX "whatsapp_conversations_agency_inbound_idx" ON "whatsapp_conversations" USING btree ("agency_id", "last_inbound_received_at" DESC NULLS LAST);
