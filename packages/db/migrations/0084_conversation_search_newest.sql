-- Hand-written: the conversation search finds its newest matches without sorting all of them (decision 052). It
-- returns the `p_lim` conversations last active first, but read every match of the agency to sort them: 3,500 for a
-- common surname in the large seed, 14 ms alone and 40 ms under the mixed load — the second costliest statement of
-- that run. Each exact branch now asks for its own newest `p_lim`, so the plan may walk (agency_id, last_message_at)
-- backwards and stop early when matches are many, or take the trigram index when they are few (the planner judges by
-- the pattern against search_doc's histogram). The index's backward order puts nulls first, so conversations that
-- never had a message are their own branch. Same signature, fence and result: the newest `p_lim` of the union are the
-- newest of all matches, and the typo-tolerant branch still widens only a search with fewer than `p_lim` exact matches.
CREATE OR REPLACE FUNCTION "search_conversations"(p_q text, p_digits text, p_only_mine boolean, p_fuzzy boolean, p_lim integer)
RETURNS TABLE (id uuid) LANGUAGE sql STABLE SECURITY DEFINER ROWS 10 SET search_path = public, pg_catalog AS $$
  WITH mine AS NOT MATERIALIZED (
    SELECT w.* FROM whatsapp_conversations w
    WHERE w.agency_id = nullif(current_setting('app.agency_id', true), '')::uuid
      AND (NOT p_only_mine OR w.assigned_to IS NULL OR w.assigned_to = nullif(current_setting('app.user_id', true), '')::uuid)
  ), exact AS MATERIALIZED (
    (SELECT w.id, w.last_message_at FROM mine w WHERE w.last_message_at IS NOT NULL AND w.search_doc LIKE like_pattern(p_q)
     ORDER BY w.last_message_at DESC LIMIT p_lim)
    UNION
    (SELECT w.id, w.last_message_at FROM mine w WHERE w.last_message_at IS NULL AND w.search_doc LIKE like_pattern(p_q) LIMIT p_lim)
    UNION
    (SELECT w.id, w.last_message_at FROM mine w WHERE p_digits IS NOT NULL AND w.last_message_at IS NOT NULL
       AND w.search_doc LIKE like_pattern(p_digits) ORDER BY w.last_message_at DESC LIMIT p_lim)
    UNION
    (SELECT w.id, w.last_message_at FROM mine w WHERE p_digits IS NOT NULL AND w.last_message_at IS NULL
       AND w.search_doc LIKE like_pattern(p_digits) LIMIT p_lim)
  ), candidates AS (
    SELECT e.id, e.last_message_at FROM exact e
    UNION
    -- Typo-tolerant matches only widen a search that found too little.
    (SELECT w.id, w.last_message_at FROM mine w WHERE p_fuzzy AND (SELECT count(*) FROM exact) < p_lim AND search_norm(p_q) <% w.search_doc LIMIT 200)
  )
  SELECT id FROM candidates ORDER BY last_message_at DESC NULLS LAST LIMIT p_lim
$$;
