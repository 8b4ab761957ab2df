-- Hand-written: global search (see decision 010). Accent- and typo-tolerant matching with pg_trgm + unaccent, through
-- IMMUTABLE wrappers so expression indexes can use them. Every index leads with agency_id where the query filters by
-- it (btree_gin is not assumed: GIN trigram indexes cannot lead with a uuid, so they are per table and the agency
-- filter is applied on the heap; RLS and services still fence the agency).
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;--> statement-breakpoint
CREATE FUNCTION "search_norm"(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;--> statement-breakpoint
CREATE FUNCTION "phones_text"(text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT array_to_string($1, ' ') $$;--> statement-breakpoint
CREATE INDEX "leads_search_trgm_idx" ON "leads" USING gin (search_norm(name || ' ' || coalesce(email, '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "leads_phones_trgm_idx" ON "leads" USING gin (phones_text(phones) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "clients_search_trgm_idx" ON "clients" USING gin (search_norm(name || ' ' || coalesce(email, '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "clients_phones_trgm_idx" ON "clients" USING gin (phones_text(phones) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "properties_search_trgm_idx" ON "properties" USING gin (search_norm(code || ' ' || title || ' ' || coalesce(street, '') || ' ' || coalesce(neighbourhood, '') || ' ' || coalesce(city, '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "whatsapp_conversations_search_trgm_idx" ON "whatsapp_conversations" USING gin (search_norm(coalesce(contact_name, '') || ' ' || contact_phone) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "whatsapp_messages_body_trgm_idx" ON "whatsapp_messages" USING gin (search_norm(body) gin_trgm_ops) WHERE body IS NOT NULL;
