-- Hand-written companion of 0029: keeps lead_events.prev_move_at, backfills it, and indexes the figures' moves with it.
-- "Distinct leads moved to qualified in the period" was a grouping of the period's moves by lead (a hash of ~10k
-- uuids, most of the dashboard's time on a large agency); a move counts once per lead and period exactly when the
-- lead's previous move to the same status falls before the period, which an index entry can answer by itself.

-- Moves usually arrive in time order, but a late transaction or an import can record one before a later one already
-- stored: the later one then learns of it too (the only UPDATE the app role may make on the history).
CREATE FUNCTION "lead_events_previous_move"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.prev_move_at := (
    SELECT max(e.at) FROM lead_events e
    WHERE e.agency_id = NEW.agency_id AND e.lead_id = NEW.lead_id AND e.kind = 'status_changed'
      AND e.to_status = NEW.data->>'to' AND e.at <= NEW.at);
  UPDATE lead_events SET prev_move_at = NEW.at
  WHERE id = (
    SELECT e.id FROM lead_events e
    WHERE e.agency_id = NEW.agency_id AND e.lead_id = NEW.lead_id AND e.kind = 'status_changed'
      AND e.to_status = NEW.data->>'to' AND e.at > NEW.at
    ORDER BY e.at, e.id LIMIT 1)
  AND (prev_move_at IS NULL OR prev_move_at < NEW.at);
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "lead_events_previous_move" BEFORE INSERT ON "lead_events"
  FOR EACH ROW WHEN (NEW.kind = 'status_changed') EXECUTE FUNCTION "lead_events_previous_move"();--> statement-breakpoint
GRANT UPDATE ("prev_move_at") ON "lead_events" TO app_rls;--> statement-breakpoint

-- Ties (two moves at the same instant) order by id, as the trigger does: the second one points at the first.
UPDATE lead_events e SET prev_move_at = x.prev FROM (
  SELECT id, lag(at) OVER (PARTITION BY agency_id, lead_id, to_status ORDER BY at, id) AS prev
  FROM lead_events WHERE kind = 'status_changed'
) x WHERE e.id = x.id AND x.prev IS NOT NULL;--> statement-breakpoint

CREATE INDEX "lead_events_agency_moves_prev_idx" ON "lead_events" USING btree ("agency_id", "at")
  INCLUDE ("lead_id", "to_status", "prev_move_at")
  WHERE "kind" = 'status_changed' AND "to_status" IN ('qualified', 'converted', 'lost');--> statement-breakpoint
DROP INDEX "lead_events_agency_moves_idx";
