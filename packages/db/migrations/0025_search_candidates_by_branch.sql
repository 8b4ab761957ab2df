-- Clients and conversations find their candidates branch by branch, as search_leads does (0014). Written as one WHERE
-- with ORs, a SQL function's parameters cannot prune the branches that do not apply (a phone query still ran the
-- typo-tolerant name match, and the conversation search walked the inbox in last-message order filtering as it went):
-- 150 ms on the large seed. Each branch below is skipped at run time when its parameter is absent, and each uses its own
-- index. Same signatures, fences and results as before.
CREATE OR REPLACE FUNCTION "search_clients"(p_q text, p_digits text, p_e164 text, p_document text, p_only_mine boolean, p_fuzzy boolean, p_lim integer)
RETURNS TABLE (id uuid, score real) LANGUAGE sql STABLE SECURITY DEFINER ROWS 10 SET search_path = public, pg_catalog AS $$
  WITH mine AS NOT MATERIALIZED (
    SELECT c.* FROM clients c
    WHERE c.agency_id = nullif(current_setting('app.agency_id', true), '')::uuid AND c.deleted_at IS NULL
      AND (NOT p_only_mine OR c.assigned_to IS NULL OR c.assigned_to = nullif(current_setting('app.user_id', true), '')::uuid)
  ), exact AS MATERIALIZED (
    SELECT c.id, c.search_doc, c.updated_at, 2::real AS rank FROM mine c WHERE p_document IS NOT NULL AND c.document = p_document
    UNION ALL
    SELECT c.id, c.search_doc, c.updated_at, 1::real FROM mine c WHERE p_e164 IS NOT NULL AND c.phones @> ARRAY[p_e164]
    UNION ALL
    (SELECT c.id, c.search_doc, c.updated_at, 1::real FROM mine c WHERE p_digits IS NOT NULL AND phones_text(c.phones) LIKE like_pattern(p_digits) LIMIT 200)
    UNION ALL
    (SELECT c.id, c.search_doc, c.updated_at, 0::real FROM mine c WHERE c.search_doc LIKE like_pattern(p_q) LIMIT 200)
  ), scored AS (
    SELECT e.id, CASE WHEN e.rank = 2 THEN 2 WHEN p_fuzzy THEN word_similarity(search_norm(p_q), e.search_doc) ELSE 0 END AS score, e.updated_at FROM exact e
    UNION ALL
    SELECT c.id, word_similarity(search_norm(p_q), c.search_doc), c.updated_at FROM mine c
    WHERE p_fuzzy AND (SELECT count(*) FROM exact) < p_lim AND search_norm(p_q) <% c.search_doc AND c.search_doc NOT LIKE like_pattern(p_q)
  )
  SELECT id, max(score)::real FROM scored GROUP BY id ORDER BY max(score) DESC, max(updated_at) DESC LIMIT p_lim
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "search_conversations"(p_q text, p_digits text, p_only_mine boolean, p_fuzzy boolean, p_lim integer)
RETURNS TABLE (id uuid) LANGUAGE sql STABLE SECURITY DEFINER ROWS 10 SET search_path = public, pg_catalog AS $$
  WITH mine AS NOT MATERIALIZED (
    SELECT w.* FROM whatsapp_conversations w
    WHERE w.agency_id = nullif(current_setting('app.agency_id', true), '')::uuid
      AND (NOT p_only_mine OR w.assigned_to IS NULL OR w.assigned_to = nullif(current_setting('app.user_id', true), '')::uuid)
  ), exact AS MATERIALIZED (
    SELECT w.id, w.last_message_at FROM mine w WHERE w.search_doc LIKE like_pattern(p_q)
    UNION
    SELECT w.id, w.last_message_at FROM mine w WHERE p_digits IS NOT NULL AND w.search_doc LIKE like_pattern(p_digits)
  ), candidates AS (
    SELECT e.id, e.last_message_at FROM exact e
    UNION
    -- Typo-tolerant matches only widen a search that found too little.
    (SELECT w.id, w.last_message_at FROM mine w WHERE p_fuzzy AND (SELECT count(*) FROM exact) < p_lim AND search_norm(p_q) <% w.search_doc LIMIT 200)
  )
  SELECT id FROM candidates ORDER BY last_message_at DESC NULLS LAST LIMIT p_lim
$$;
