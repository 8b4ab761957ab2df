-- Hand-written: who already holds a phone or an e-mail, found through their indexes (decision 052). Under row-level
-- security Postgres applies the policy before any condition that is not leakproof, so neither an array operator
-- (`&&`, `@>`) nor `lower(email) = …` can drive its index: looking up a new WhatsApp contact's number walked every lead
-- of the agency in last-updated order (0.2 s a number in the large seed's largest agency), and so did a new lead's
-- duplicate warning and a portal's inquiry. Phones are distinct, so Postgres keeps no element statistics for them and
-- guesses an overlap matches 0.5 % of rows: next to the agency's condition, even without RLS, it preferred scanning
-- the agency. These functions find the candidates by phone with the phones' index alone (a materialised step the
-- agency's condition cannot join) and by e-mail with the agency's e-mail index, as the owner, and keep only the live
-- records of the caller's tenant context (app.agency_id), as search_leads does (0014); the app reads the rows
-- themselves through RLS. They can narrow what a caller sees, never widen it.
CREATE FUNCTION "leads_holding_contact"(p_phones text[], p_email text)
RETURNS TABLE (id uuid) LANGUAGE sql STABLE SECURITY DEFINER ROWS 2 SET search_path = public, pg_catalog AS $$
  WITH by_phone AS MATERIALIZED (SELECT l.id, l.agency_id, l.deleted_at FROM leads l WHERE l.phones && p_phones)
  SELECT c.id FROM by_phone c
  WHERE c.agency_id = nullif(current_setting('app.agency_id', true), '')::uuid AND c.deleted_at IS NULL
  UNION
  SELECT l.id FROM leads l
  WHERE p_email IS NOT NULL AND l.agency_id = nullif(current_setting('app.agency_id', true), '')::uuid
    AND lower(l.email) = lower(p_email) AND l.deleted_at IS NULL
$$;--> statement-breakpoint
CREATE FUNCTION "clients_holding_contact"(p_phones text[], p_email text)
RETURNS TABLE (id uuid) LANGUAGE sql STABLE SECURITY DEFINER ROWS 2 SET search_path = public, pg_catalog AS $$
  WITH by_phone AS MATERIALIZED (SELECT c.id, c.agency_id, c.deleted_at FROM clients c WHERE c.phones && p_phones)
  SELECT c.id FROM by_phone c
  WHERE c.agency_id = nullif(current_setting('app.agency_id', true), '')::uuid AND c.deleted_at IS NULL
  UNION
  SELECT c.id FROM clients c
  WHERE p_email IS NOT NULL AND c.agency_id = nullif(current_setting('app.agency_id', true), '')::uuid
    AND lower(c.email) = lower(p_email) AND c.deleted_at IS NULL
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION "leads_holding_contact"(text[], text), "clients_holding_contact"(text[], text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "leads_holding_contact"(text[], text), "clients_holding_contact"(text[], text) TO app_rls;
