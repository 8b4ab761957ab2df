-- Job priorities (graphile-worker's `priority`, lower runs first): under load the worker takes a contact's message and
-- the AI's answer to it before delivery receipts, sends and housekeeping (decision 021). A seventh argument, so the
-- two existing signatures keep working for anything still calling them.
CREATE FUNCTION "enqueue_job"(p_identifier text, p_payload json, p_run_at timestamptz, p_max_attempts integer,
                              p_job_key text, p_job_key_mode text, p_priority integer)
RETURNS bigint LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  v_id bigint;
BEGIN
  IF coalesce(p_job_key_mode, 'replace') NOT IN ('replace', 'preserve_run_at') THEN
    RAISE EXCEPTION 'job_key_mode must be replace or preserve_run_at' USING ERRCODE = '22023';
  END IF;
  SELECT (graphile_worker.add_job(p_identifier, p_payload, run_at => p_run_at, max_attempts => p_max_attempts,
                                  job_key => p_job_key, job_key_mode => coalesce(p_job_key_mode, 'replace'),
                                  priority => coalesce(p_priority, 0))).id INTO v_id;
  RETURN v_id;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION "enqueue_job"(text, json, timestamptz, integer, text, text, integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "enqueue_job"(text, json, timestamptz, integer, text, text, integer) TO impera_app, app_rls, app_platform;
