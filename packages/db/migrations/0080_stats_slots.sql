ALTER TABLE "agency_daily_stats" ADD COLUMN "slot" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "agency_daily_stats" DROP CONSTRAINT "agency_daily_stats_pkey";
--> statement-breakpoint
ALTER TABLE "agency_daily_stats" ADD CONSTRAINT "agency_daily_stats_pkey" PRIMARY KEY("agency_id","day","slot");--> statement-breakpoint
-- Hand-written (decision 047): each connection adds to its own slot of the day, so concurrent transactions no longer
-- queue on one row per agency and day; readers already sum a day's rows.
CREATE OR REPLACE FUNCTION "agency_daily_stats_from_leads"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO agency_daily_stats AS s (agency_id, day, slot, leads_created)
  SELECT agency_id, (created_at AT TIME ZONE 'UTC')::date, pg_backend_pid() % 16, count(*) FROM new_rows GROUP BY 1, 2
  ON CONFLICT (agency_id, day, slot) DO UPDATE SET leads_created = s.leads_created + excluded.leads_created;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "agency_daily_stats_from_messages"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO agency_daily_stats AS s (agency_id, day, slot, messages_in, messages_out)
  SELECT agency_id, (created_at AT TIME ZONE 'UTC')::date, pg_backend_pid() % 16, count(*) FILTER (WHERE direction = 'inbound'), count(*) FILTER (WHERE direction = 'outbound')
  FROM new_rows GROUP BY 1, 2
  ON CONFLICT (agency_id, day, slot) DO UPDATE SET messages_in = s.messages_in + excluded.messages_in, messages_out = s.messages_out + excluded.messages_out;
  RETURN NULL;
END
$$;
