ALTER TABLE "leads" ADD COLUMN "anonymized_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "anonymized_at" timestamp with time zone;--> statement-breakpoint
-- Hand-written part. A person's anonymisation (decision 038) must also strip what the append-only tables recorded
-- about them: the free text in their records' history, the consent ledger's wording and evidence, outgoing webhook
-- payloads (and the responses to them) and the values in the audit log's diffs. The runtime roles may never update
-- those tables; this one function may, only for the agency of the calling transaction, only for records already
-- anonymised in it (anonymized_at set, which only privacy.anonymise does), and only to remove: history keeps the keys
-- reports read, payloads and diffs that name the records, their conversations or one of p_needles (their phones and
-- e-mails, read before they were cleared) become {"redacted": true}.
CREATE FUNCTION "anonymise_history"(p_lead_ids uuid[], p_client_ids uuid[], p_needles text[])
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  v_agency uuid := nullif(current_setting('app.agency_id', true), '')::uuid;
  v_keep text[] := ARRAY['to', 'from', 'cause', 'reason', 'lostReason', 'status', 'propertyId', 'code', 'via', 'outcome'];
  v_leads uuid[];
  v_clients uuid[];
  v_ids text[];
  v_needles text[];
BEGIN
  IF v_agency IS NULL THEN
    RAISE EXCEPTION 'no agency in scope' USING ERRCODE = '42501';
  END IF;
  SELECT coalesce(array_agg(id), '{}') INTO v_leads FROM public.leads
   WHERE agency_id = v_agency AND id = ANY(p_lead_ids) AND anonymized_at IS NOT NULL;
  SELECT coalesce(array_agg(id), '{}') INTO v_clients FROM public.clients
   WHERE agency_id = v_agency AND id = ANY(p_client_ids) AND anonymized_at IS NOT NULL;
  IF cardinality(v_leads) + cardinality(v_clients) = 0 THEN
    RETURN;
  END IF;
  SELECT (v_leads || v_clients)::text[] || coalesce(array_agg(c.id::text), '{}') INTO v_ids
    FROM public.whatsapp_conversations c
   WHERE c.agency_id = v_agency AND (c.lead_id = ANY(v_leads) OR c.client_id = ANY(v_clients));
  v_needles := v_ids || ARRAY(SELECT n FROM unnest(p_needles) n WHERE length(n) >= 6);
  UPDATE public.lead_events SET data = (
      SELECT coalesce(jsonb_object_agg(j.k, j.v), '{}'::jsonb) FROM jsonb_each(data) AS j(k, v) WHERE j.k = ANY(v_keep))
   WHERE agency_id = v_agency AND lead_id = ANY(v_leads);
  UPDATE public.client_events SET data = (
      SELECT coalesce(jsonb_object_agg(j.k, j.v), '{}'::jsonb) FROM jsonb_each(data) AS j(k, v) WHERE j.k = ANY(v_keep))
   WHERE agency_id = v_agency AND client_id = ANY(v_clients);
  UPDATE public.contact_consents SET text_version = NULL, evidence = NULL
   WHERE agency_id = v_agency AND (lead_id = ANY(v_leads) OR client_id = ANY(v_clients));
  UPDATE public.webhook_deliveries d SET response_excerpt = NULL
    FROM public.webhook_events e
   WHERE d.agency_id = v_agency AND e.agency_id = v_agency AND d.event_id = e.id
     AND EXISTS (SELECT 1 FROM unnest(v_needles) n WHERE strpos(e.data::text, n) > 0);
  UPDATE public.webhook_events SET data = jsonb_build_object('redacted', true)
   WHERE agency_id = v_agency AND EXISTS (SELECT 1 FROM unnest(v_needles) n WHERE strpos(data::text, n) > 0);
  UPDATE public.audit_log SET diff = jsonb_build_object('redacted', true)
   WHERE agency_id = v_agency AND diff IS DISTINCT FROM jsonb_build_object('redacted', true)
     AND (entity_id = ANY(v_ids) OR EXISTS (SELECT 1 FROM unnest(v_needles) n WHERE strpos(diff::text, n) > 0));
END $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION "anonymise_history"(uuid[], uuid[], text[]) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "anonymise_history"(uuid[], uuid[], text[]) TO app_rls;--> statement-breakpoint
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
