-- Hand-written companion of 0012 (see 0001 for why): FORCE RLS and grants for notifications and daily stats, the
-- triggers that keep leads.first_contact_at and agency_daily_stats, their backfill, and the platform's one door to
-- session recency.
ALTER TABLE "notifications" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "agency_daily_stats" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "notifications" TO app_rls;--> statement-breakpoint
-- Stats are written only by the triggers below (which run as the role doing the insert) and read by dashboards.
GRANT SELECT, INSERT, UPDATE ON "agency_daily_stats" TO app_rls;--> statement-breakpoint
GRANT SELECT ON "agency_daily_stats" TO app_platform;--> statement-breakpoint

-- First contact: the first move to contacted or beyond recorded on the lead's history…
CREATE FUNCTION "lead_first_contact_from_events"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE leads l SET first_contact_at = e.at
  FROM (SELECT agency_id, lead_id, min(at) AS at FROM new_rows
        WHERE kind = 'status_changed' AND data->>'to' IN ('contacted', 'qualified', 'converted')
        GROUP BY agency_id, lead_id) e
  WHERE l.agency_id = e.agency_id AND l.id = e.lead_id AND (l.first_contact_at IS NULL OR l.first_contact_at > e.at);
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "lead_events_first_contact" AFTER INSERT ON "lead_events" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "lead_first_contact_from_events"();--> statement-breakpoint

-- …or the first outbound WhatsApp message the provider accepted, dated when the agent wrote it.
CREATE FUNCTION "lead_first_contact_from_message"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.direction = 'outbound' AND NEW.status IN ('sent', 'delivered', 'read') THEN
    UPDATE leads l SET first_contact_at = NEW.created_at
    FROM whatsapp_conversations c
    WHERE c.agency_id = NEW.agency_id AND c.id = NEW.conversation_id AND l.agency_id = c.agency_id AND l.id = c.lead_id
      AND (l.first_contact_at IS NULL OR l.first_contact_at > NEW.created_at);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "whatsapp_messages_first_contact" AFTER INSERT OR UPDATE OF "status" ON "whatsapp_messages"
  FOR EACH ROW EXECUTE FUNCTION "lead_first_contact_from_message"();--> statement-breakpoint

-- Daily counts, one upsert per statement (bulk loads stay fast).
CREATE FUNCTION "agency_daily_stats_from_leads"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO agency_daily_stats AS s (agency_id, day, leads_created)
  SELECT agency_id, (created_at AT TIME ZONE 'UTC')::date, count(*) FROM new_rows GROUP BY 1, 2
  ON CONFLICT (agency_id, day) DO UPDATE SET leads_created = s.leads_created + excluded.leads_created;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "leads_daily_stats" AFTER INSERT ON "leads" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "agency_daily_stats_from_leads"();--> statement-breakpoint
CREATE FUNCTION "agency_daily_stats_from_messages"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO agency_daily_stats AS s (agency_id, day, messages_in, messages_out)
  SELECT agency_id, (created_at AT TIME ZONE 'UTC')::date, count(*) FILTER (WHERE direction = 'inbound'), count(*) FILTER (WHERE direction = 'outbound')
  FROM new_rows GROUP BY 1, 2
  ON CONFLICT (agency_id, day) DO UPDATE SET messages_in = s.messages_in + excluded.messages_in, messages_out = s.messages_out + excluded.messages_out;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "whatsapp_messages_daily_stats" AFTER INSERT ON "whatsapp_messages" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "agency_daily_stats_from_messages"();--> statement-breakpoint

UPDATE leads l SET first_contact_at = f.at FROM (
  SELECT lead_id, agency_id, min(at) AS at FROM (
    SELECT e.lead_id, e.agency_id, e.at FROM lead_events e
    WHERE e.kind = 'status_changed' AND e.data->>'to' IN ('contacted', 'qualified', 'converted')
    UNION ALL
    SELECT c.lead_id, m.agency_id, m.created_at FROM whatsapp_messages m
    JOIN whatsapp_conversations c ON c.agency_id = m.agency_id AND c.id = m.conversation_id
    WHERE m.direction = 'outbound' AND m.status IN ('sent', 'delivered', 'read') AND c.lead_id IS NOT NULL
  ) x GROUP BY lead_id, agency_id
) f WHERE l.agency_id = f.agency_id AND l.id = f.lead_id;--> statement-breakpoint
INSERT INTO agency_daily_stats (agency_id, day, leads_created, messages_in, messages_out)
SELECT agency_id, day, sum(l), sum(i), sum(o) FROM (
  SELECT agency_id, (created_at AT TIME ZONE 'UTC')::date AS day, 1 AS l, 0 AS i, 0 AS o FROM leads
  UNION ALL
  SELECT agency_id, (created_at AT TIME ZONE 'UTC')::date, 0, (direction = 'inbound')::int, (direction = 'outbound')::int FROM whatsapp_messages
) x GROUP BY agency_id, day;--> statement-breakpoint

-- When each user was last seen (sessions are the login role's, not the platform's); no record of any agency.
CREATE FUNCTION "platform_user_last_seen"() RETURNS TABLE (user_id uuid, last_seen_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT s.user_id, max(s.last_seen_at) FROM auth_sessions s GROUP BY s.user_id
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION "platform_user_last_seen"() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "platform_user_last_seen"() TO app_platform;
