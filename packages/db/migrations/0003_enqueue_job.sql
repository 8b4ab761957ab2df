-- The web app and worker enqueue graphile-worker jobs from inside their own transactions (so a job exists only if the
-- change that caused it committed). graphile_worker.add_job needs write access to graphile's private tables, which
-- the runtime roles must not have; this SECURITY DEFINER wrapper is the only door, with a fixed search_path.
CREATE FUNCTION "enqueue_job"(p_identifier text, p_payload json, p_run_at timestamptz DEFAULT NULL,
                              p_max_attempts integer DEFAULT NULL, p_job_key text DEFAULT NULL)
RETURNS bigint LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  v_id bigint;
BEGIN
  SELECT (graphile_worker.add_job(p_identifier, p_payload, run_at => p_run_at, max_attempts => p_max_attempts,
                                  job_key => p_job_key)).id INTO v_id;
  RETURN v_id;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION "enqueue_job"(text, json, timestamptz, integer, text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "enqueue_job"(text, json, timestamptz, integer, text) TO impera_app, app_rls, app_platform;
