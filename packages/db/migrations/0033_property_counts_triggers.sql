-- Hand-written companion of 0032: FORCE RLS and grants for property_counts, the statement triggers that keep it, and
-- its backfill. A statement's changes are summed per (agency, assignee, status) first, so an edit that moves nothing
-- (a new title) writes nothing, and a bulk load writes each key once. Positive sums are upserted; negative ones only
-- update existing rows, so a cascade from a deleted agency never re-creates a row for it. Concurrent writers to the
-- same key wait for each other's commit on its row: property writes are few, and the dashboard reads five rows.
ALTER TABLE "property_counts" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON "property_counts" TO app_rls;--> statement-breakpoint

CREATE FUNCTION "property_counts_from_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO property_counts AS c (agency_id, assigned_to, status, n)
  SELECT agency_id, assigned_to, status, count(*) FROM new_rows WHERE deleted_at IS NULL GROUP BY 1, 2, 3
  ON CONFLICT (agency_id, assigned_to, status) DO UPDATE SET n = c.n + excluded.n;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE FUNCTION "property_counts_from_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH d AS (
    SELECT agency_id, assigned_to, status, sum(n)::int AS n FROM (
      SELECT agency_id, assigned_to, status, 1 AS n FROM new_rows WHERE deleted_at IS NULL
      UNION ALL
      SELECT agency_id, assigned_to, status, -1 FROM old_rows WHERE deleted_at IS NULL
    ) x GROUP BY 1, 2, 3 HAVING sum(n) <> 0
  ), decreased AS (
    UPDATE property_counts c SET n = c.n + d.n FROM d
    WHERE d.n < 0 AND c.agency_id = d.agency_id AND c.assigned_to IS NOT DISTINCT FROM d.assigned_to AND c.status = d.status
  )
  INSERT INTO property_counts AS c (agency_id, assigned_to, status, n)
  SELECT agency_id, assigned_to, status, n FROM d WHERE n > 0
  ON CONFLICT (agency_id, assigned_to, status) DO UPDATE SET n = c.n + excluded.n;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE FUNCTION "property_counts_from_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE property_counts c SET n = c.n - d.n
  FROM (SELECT agency_id, assigned_to, status, count(*)::int AS n FROM old_rows WHERE deleted_at IS NULL GROUP BY 1, 2, 3) d
  WHERE c.agency_id = d.agency_id AND c.assigned_to IS NOT DISTINCT FROM d.assigned_to AND c.status = d.status;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "properties_counts_insert" AFTER INSERT ON "properties" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "property_counts_from_insert"();--> statement-breakpoint
CREATE TRIGGER "properties_counts_update" AFTER UPDATE ON "properties" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "property_counts_from_update"();--> statement-breakpoint
CREATE TRIGGER "properties_counts_delete" AFTER DELETE ON "properties" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "property_counts_from_delete"();--> statement-breakpoint

INSERT INTO property_counts (agency_id, assigned_to, status, n)
SELECT agency_id, assigned_to, status, count(*) FROM properties WHERE deleted_at IS NULL GROUP BY 1, 2, 3;
