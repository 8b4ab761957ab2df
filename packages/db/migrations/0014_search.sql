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
-- The normalised text of each searchable row is stored (generated), so matching and ranking read it instead of
-- running unaccent on every candidate row at query time.
ALTER TABLE "leads" ADD COLUMN "search_doc" text GENERATED ALWAYS AS (search_norm(name || ' ' || coalesce(email, ''))) STORED;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "search_doc" text GENERATED ALWAYS AS (search_norm(name || ' ' || coalesce(email, ''))) STORED;--> statement-breakpoint
ALTER TABLE "properties" ADD COLUMN "search_doc" text GENERATED ALWAYS AS (search_norm(code || ' ' || title || ' ' || coalesce(street, '') || ' ' || coalesce(neighbourhood, '') || ' ' || coalesce(city, ''))) STORED;--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD COLUMN "search_doc" text GENERATED ALWAYS AS (search_norm(coalesce(contact_name, '') || ' ' || contact_phone)) STORED;--> statement-breakpoint
CREATE INDEX "leads_search_trgm_idx" ON "leads" USING gin ("search_doc" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "leads_phones_trgm_idx" ON "leads" USING gin (phones_text(phones) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "clients_search_trgm_idx" ON "clients" USING gin ("search_doc" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "clients_phones_trgm_idx" ON "clients" USING gin (phones_text(phones) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "properties_search_trgm_idx" ON "properties" USING gin ("search_doc" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "whatsapp_conversations_search_trgm_idx" ON "whatsapp_conversations" USING gin ("search_doc" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "whatsapp_messages_body_trgm_idx" ON "whatsapp_messages" USING gin (search_norm(body) gin_trgm_ops) WHERE body IS NOT NULL;
--> statement-breakpoint
-- Under row-level security Postgres evaluates the policy before any non-leakproof condition, so LIKE and the trigram
-- operators can no longer drive the GIN indexes (every agency row would be unaccented and compared instead). These
-- functions find candidates with the indexes as the owner, but only ever in the agency of the caller's tenant context
-- (app.agency_id), and only among the caller's own or unassigned records when `only_mine`; the app then reads the
-- rows themselves through RLS as usual. They can narrow what a caller sees, never widen it.
CREATE FUNCTION "like_pattern"(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT '%' || replace(replace(replace(search_norm($1), '\', '\\'), '%', '\%'), '_', '\_') || '%' $$;--> statement-breakpoint
CREATE FUNCTION "search_leads"(p_q text, p_digits text, p_e164 text, p_only_mine boolean, p_fuzzy boolean, p_lim integer)
RETURNS TABLE (id uuid, score real) LANGUAGE sql STABLE SECURITY DEFINER ROWS 10 SET search_path = public, pg_catalog AS $$
  -- Substring and phone matches first; typo-tolerant matching only when they are too few (a common word such as a
  -- surname would otherwise rank thousands of rows).
  WITH mine AS NOT MATERIALIZED (
    SELECT l.* FROM leads l
    WHERE l.agency_id = nullif(current_setting('app.agency_id', true), '')::uuid AND l.deleted_at IS NULL
      AND (NOT p_only_mine OR l.assigned_to IS NULL OR l.assigned_to = nullif(current_setting('app.user_id', true), '')::uuid)
  ), exact AS (
    SELECT l.id, l.search_doc, l.updated_at FROM mine l
    WHERE l.search_doc LIKE like_pattern(p_q)
       OR (p_digits IS NOT NULL AND phones_text(l.phones) LIKE like_pattern(p_digits)) OR (p_e164 IS NOT NULL AND l.phones @> ARRAY[p_e164])
    LIMIT 200
  )
  SELECT id, score FROM (
    SELECT e.id, CASE WHEN p_fuzzy THEN word_similarity(search_norm(p_q), e.search_doc) ELSE 0 END AS score, e.updated_at FROM exact e
    UNION ALL
    SELECT l.id, word_similarity(search_norm(p_q), l.search_doc), l.updated_at FROM mine l
    WHERE p_fuzzy AND (SELECT count(*) FROM exact) < p_lim AND search_norm(p_q) <% l.search_doc AND l.search_doc NOT LIKE like_pattern(p_q)
  ) x ORDER BY score DESC, updated_at DESC LIMIT p_lim
$$;--> statement-breakpoint
CREATE FUNCTION "search_clients"(p_q text, p_digits text, p_e164 text, p_document text, p_only_mine boolean, p_fuzzy boolean, p_lim integer)
RETURNS TABLE (id uuid, score real) LANGUAGE sql STABLE SECURITY DEFINER ROWS 10 SET search_path = public, pg_catalog AS $$
  SELECT c.id, CASE WHEN p_document IS NOT NULL AND c.document = p_document THEN 2 WHEN p_fuzzy THEN word_similarity(search_norm(p_q), c.search_doc) ELSE 0 END
  FROM clients c
  WHERE c.agency_id = nullif(current_setting('app.agency_id', true), '')::uuid AND c.deleted_at IS NULL
    AND (NOT p_only_mine OR c.assigned_to IS NULL OR c.assigned_to = nullif(current_setting('app.user_id', true), '')::uuid)
    AND (c.search_doc LIKE like_pattern(p_q) OR (p_fuzzy AND search_norm(p_q) <% c.search_doc)
         OR (p_digits IS NOT NULL AND phones_text(c.phones) LIKE like_pattern(p_digits)) OR (p_e164 IS NOT NULL AND c.phones @> ARRAY[p_e164])
         OR (p_document IS NOT NULL AND c.document = p_document))
  ORDER BY 2 DESC, c.updated_at DESC LIMIT p_lim
$$;--> statement-breakpoint
CREATE FUNCTION "search_properties"(p_q text, p_only_mine boolean, p_fuzzy boolean, p_lim integer)
RETURNS TABLE (id uuid, score real) LANGUAGE sql STABLE SECURITY DEFINER ROWS 10 SET search_path = public, pg_catalog AS $$
  SELECT p.id, CASE WHEN lower(p.code) = lower(p_q) THEN 2 WHEN p_fuzzy THEN word_similarity(search_norm(p_q), p.search_doc) ELSE 0 END
  FROM properties p
  WHERE p.agency_id = nullif(current_setting('app.agency_id', true), '')::uuid AND p.deleted_at IS NULL
    AND (NOT p_only_mine OR p.assigned_to IS NULL OR p.assigned_to = nullif(current_setting('app.user_id', true), '')::uuid)
    AND (p.search_doc LIKE like_pattern(p_q) OR (p_fuzzy AND search_norm(p_q) <% p.search_doc) OR lower(p.code) = lower(p_q))
  ORDER BY 2 DESC, p.updated_at DESC LIMIT p_lim
$$;--> statement-breakpoint
CREATE FUNCTION "search_conversations"(p_q text, p_digits text, p_only_mine boolean, p_fuzzy boolean, p_lim integer)
RETURNS TABLE (id uuid) LANGUAGE sql STABLE SECURITY DEFINER ROWS 10 SET search_path = public, pg_catalog AS $$
  SELECT w.id FROM whatsapp_conversations w
  WHERE w.agency_id = nullif(current_setting('app.agency_id', true), '')::uuid
    AND (NOT p_only_mine OR w.assigned_to IS NULL OR w.assigned_to = nullif(current_setting('app.user_id', true), '')::uuid)
    AND (w.search_doc LIKE like_pattern(p_q) OR (p_fuzzy AND search_norm(p_q) <% w.search_doc) OR (p_digits IS NOT NULL AND w.search_doc LIKE like_pattern(p_digits)))
  ORDER BY w.last_message_at DESC NULLS LAST LIMIT p_lim
$$;--> statement-breakpoint
-- Messages matching a text, newest first, optionally in one p_conversation; same fences as above.
CREATE FUNCTION "search_messages"(p_q text, p_conversation uuid, p_only_mine boolean, p_lim integer)
RETURNS TABLE (id uuid) LANGUAGE sql STABLE SECURITY DEFINER ROWS 10 SET search_path = public, pg_catalog AS $$
  SELECT m.id FROM whatsapp_messages m
  JOIN whatsapp_conversations w ON w.agency_id = m.agency_id AND w.id = m.conversation_id
  WHERE m.agency_id = nullif(current_setting('app.agency_id', true), '')::uuid AND m.body IS NOT NULL
    AND (p_conversation IS NULL OR m.conversation_id = p_conversation)
    AND (NOT p_only_mine OR w.assigned_to IS NULL OR w.assigned_to = nullif(current_setting('app.user_id', true), '')::uuid)
    AND search_norm(m.body) LIKE like_pattern(p_q)
  ORDER BY m.created_at DESC LIMIT p_lim
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION "search_leads"(text, text, text, boolean, boolean, integer), "search_clients"(text, text, text, text, boolean, boolean, integer), "search_properties"(text, boolean, boolean, integer), "search_conversations"(text, text, boolean, boolean, integer), "search_messages"(text, uuid, boolean, integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "search_leads"(text, text, text, boolean, boolean, integer), "search_clients"(text, text, text, text, boolean, boolean, integer), "search_properties"(text, boolean, boolean, integer), "search_conversations"(text, text, boolean, boolean, integer), "search_messages"(text, uuid, boolean, integer) TO app_rls;
