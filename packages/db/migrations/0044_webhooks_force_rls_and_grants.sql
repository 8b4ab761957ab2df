-- Hand-written companion of 0043 (see 0001 for why): FORCE RLS and grants for outgoing webhooks (decision 018), and
-- the job-key mode the delivery queue needs.
ALTER TABLE "webhook_endpoints" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "webhook_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Any member's change may queue an event (the outbox is written in the change's transaction); the worker delivers and
-- purges in each agency's tenant context. Who may manage endpoints is the services' rule (managers).
GRANT SELECT, INSERT, UPDATE, DELETE ON "webhook_endpoints" TO app_rls;--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "webhook_events" TO app_rls;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "webhook_deliveries" TO app_rls;--> statement-breakpoint
-- enqueue_job with graphile-worker's job_key_mode: an endpoint's delivery job waiting for a retry keeps its time
-- ('preserve_run_at') when new events arrive behind the one it retries, instead of running at once for nothing.
CREATE FUNCTION "enqueue_job"(p_identifier text, p_payload json, p_run_at timestamptz, p_max_attempts integer,
                              p_job_key text, p_job_key_mode text)
RETURNS bigint LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  v_id bigint;
BEGIN
  IF p_job_key_mode NOT IN ('replace', 'preserve_run_at') THEN
    RAISE EXCEPTION 'job_key_mode must be replace or preserve_run_at' USING ERRCODE = '22023';
  END IF;
  SELECT (graphile_worker.add_job(p_identifier, p_payload, run_at => p_run_at, max_attempts => p_max_attempts,
                                  job_key => p_job_key, job_key_mode => p_job_key_mode)).id INTO v_id;
  RETURN v_id;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION "enqueue_job"(text, json, timestamptz, integer, text, text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "enqueue_job"(text, json, timestamptz, integer, text, text) TO impera_app, app_rls, app_platform;
