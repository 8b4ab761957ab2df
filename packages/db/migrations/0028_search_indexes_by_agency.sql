-- Search indexes that lead with the agency (issue 6's benchmark; decision 010 said btree_gin was not assumed — it is a
-- contrib module available on Supabase and in the embedded server, so now it is). A trigram-only GIN index returns the
-- matches of every agency and the agency is checked on the table: a common surname meant thousands of heap reads
-- (≈55 ms for one search on the large seed). With agency_id as the first GIN column, the scan yields this agency's
-- matches only (≈10 ms). The search_* functions filter by agency, so they use these without change.
CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA public;--> statement-breakpoint
CREATE INDEX "leads_agency_search_trgm_idx" ON "leads" USING gin ("agency_id", "search_doc" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "clients_agency_search_trgm_idx" ON "clients" USING gin ("agency_id", "search_doc" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "properties_agency_search_trgm_idx" ON "properties" USING gin ("agency_id", "search_doc" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "whatsapp_conversations_agency_search_trgm_idx" ON "whatsapp_conversations" USING gin ("agency_id", "search_doc" gin_trgm_ops);--> statement-breakpoint
DROP INDEX "leads_search_trgm_idx";--> statement-breakpoint
DROP INDEX "clients_search_trgm_idx";--> statement-breakpoint
DROP INDEX "properties_search_trgm_idx";--> statement-breakpoint
DROP INDEX "whatsapp_conversations_search_trgm_idx";
