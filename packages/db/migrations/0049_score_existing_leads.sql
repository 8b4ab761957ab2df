-- Decision 020: leads written before the qualification owner existed have lead fields but no score. The score is
-- computed in one place (packages/api services/qualification.ts), so the worker does it, once (keyed job).
SELECT enqueue_job('leads:refresh-qualification'::text, '{}'::json, NULL::timestamptz, 5, 'leads-refresh-qualification'::text);
