-- Hand-written (decision 047): a webhook delivery is stored and its ingest scheduled in one statement, so the intake
-- answers after one round trip instead of a transaction of five. SECURITY INVOKER: it takes the tenant role and the
-- agency's fence like withAgency does, so row-level security still decides what it may write; the composite foreign
-- key ties the account to the agency. Returns the event's id, 0 for a byte-identical redelivery (already stored and
-- scheduled), NULL when the agency has no such number.
CREATE FUNCTION "store_whatsapp_delivery"(p_agency_id uuid, p_account_id uuid, p_headers jsonb, p_raw_body bytea,
                                          p_job_identifier text, p_job_payload json, p_job_key text,
                                          p_max_attempts integer, p_priority integer)
RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_id bigint;
BEGIN
  PERFORM set_config('app.agency_id', p_agency_id::text, true), set_config('app.user_id', '', true),
          set_config('role', 'app_rls', true);
  IF NOT EXISTS (SELECT 1 FROM public.whatsapp_accounts WHERE agency_id = p_agency_id AND id = p_account_id) THEN
    RETURN NULL;
  END IF;
  INSERT INTO public.whatsapp_webhook_events (agency_id, account_id, headers, raw_body, body_sha256, signature_ok, state)
  VALUES (p_agency_id, p_account_id, p_headers, p_raw_body, pg_catalog.encode(pg_catalog.sha256(p_raw_body), 'hex'), true,
          'pending')
  ON CONFLICT DO NOTHING
  RETURNING id INTO v_id;
  IF v_id IS NULL THEN
    RETURN 0;
  END IF;
  PERFORM public.enqueue_job(p_job_identifier, p_job_payload, NULL::timestamptz, p_max_attempts, p_job_key, 'replace',
                             p_priority);
  RETURN v_id;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION "store_whatsapp_delivery"(uuid, uuid, jsonb, bytea, text, json, text, integer, integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "store_whatsapp_delivery"(uuid, uuid, jsonb, bytea, text, json, text, integer, integer) TO impera_app, app_rls;
