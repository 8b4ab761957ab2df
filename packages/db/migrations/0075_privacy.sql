ALTER TABLE "leads" ADD COLUMN "anonymized_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "anonymized_at" timestamp with time zone;--> statement-breakpoint
-- Hand-written part. A person's anonymisation (decision 038) must also strip what the append-only tables recorded
-- about them: the free text in their records' history, outgoing webhook payloads naming them and the values in the
-- audit log's diffs. The runtime roles may never update those tables; this one function may, only for the agency of
-- the calling transaction, and only to remove: history keeps the keys in p_keep (what reports count), payloads and
-- diffs become {"redacted": true}.
CREATE FUNCTION "anonymise_history"(p_lead_ids uuid[], p_client_ids uuid[], p_other_ids uuid[], p_keep text[])
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  v_agency uuid := nullif(current_setting('app.agency_id', true), '')::uuid;
  v_ids text[] := (p_lead_ids || p_client_ids || p_other_ids)::text[];
  v_pattern text;
BEGIN
  IF v_agency IS NULL THEN
    RAISE EXCEPTION 'no agency in scope' USING ERRCODE = '42501';
  END IF;
  IF cardinality(v_ids) = 0 THEN
    RETURN;
  END IF;
  v_pattern := array_to_string(v_ids, '|');
  UPDATE public.lead_events SET data = (
      SELECT coalesce(jsonb_object_agg(j.k, j.v), '{}'::jsonb) FROM jsonb_each(data) AS j(k, v) WHERE j.k = ANY(p_keep))
   WHERE agency_id = v_agency AND lead_id = ANY(p_lead_ids);
  UPDATE public.client_events SET data = (
      SELECT coalesce(jsonb_object_agg(j.k, j.v), '{}'::jsonb) FROM jsonb_each(data) AS j(k, v) WHERE j.k = ANY(p_keep))
   WHERE agency_id = v_agency AND client_id = ANY(p_client_ids);
  UPDATE public.webhook_events SET data = jsonb_build_object('redacted', true)
   WHERE agency_id = v_agency AND data::text ~ v_pattern;
  UPDATE public.audit_log SET diff = jsonb_build_object('redacted', true)
   WHERE agency_id = v_agency AND (entity_id = ANY(v_ids) OR diff::text ~ v_pattern);
END $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION "anonymise_history"(uuid[], uuid[], uuid[], text[]) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "anonymise_history"(uuid[], uuid[], uuid[], text[]) TO app_rls;
--> statement-breakpoint
-- The audit log stays append-only for everyone but the redaction above: an update by the table's owner (which
-- anonymise_history runs as) that blanks the diff and changes nothing else.
CREATE OR REPLACE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND current_user = (SELECT tableowner FROM pg_catalog.pg_tables
                          WHERE schemaname = TG_TABLE_SCHEMA AND tablename = TG_TABLE_NAME)
     AND NEW.diff = jsonb_build_object('redacted', true)
     AND (to_jsonb(NEW) - 'diff') = (to_jsonb(OLD) - 'diff') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
