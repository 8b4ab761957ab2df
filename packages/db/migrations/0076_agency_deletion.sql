CREATE TABLE "platform_audit_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"actor_user_id" uuid,
	"action" text NOT NULL,
	"target_agency_id" uuid NOT NULL,
	"agency_name" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "platform_audit_log" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "deletion_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "platform_audit_log" ADD CONSTRAINT "platform_audit_log_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "platform_audit_log_at_idx" ON "platform_audit_log" USING btree ("at");--> statement-breakpoint
CREATE POLICY "platform_audit_log_platform_select" ON "platform_audit_log" AS PERMISSIVE FOR SELECT TO "app_platform" USING (true);--> statement-breakpoint
CREATE POLICY "platform_audit_log_platform_insert" ON "platform_audit_log" AS PERMISSIVE FOR INSERT TO "app_platform" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "platform_audit_log_system_insert" ON "platform_audit_log" AS PERMISSIVE FOR INSERT TO "impera_app" WITH CHECK (true);--> statement-breakpoint
-- Hand-written part (decision 040). The platform's own log: RLS forced, staff read and write, the worker writes.
ALTER TABLE "platform_audit_log" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT ON "platform_audit_log" TO app_platform;--> statement-breakpoint
GRANT INSERT ON "platform_audit_log" TO impera_app;--> statement-breakpoint
-- An agency's audit log goes with the agency (its rows cascade); anything else stays refused, as before.
CREATE OR REPLACE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM public.agencies a WHERE a.id = OLD.agency_id) THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE'
     AND current_user = (SELECT tableowner FROM pg_catalog.pg_tables
                          WHERE schemaname = TG_TABLE_SCHEMA AND tablename = TG_TABLE_NAME)
     AND NEW.diff = jsonb_build_object('redacted', true)
     AND (to_jsonb(NEW) - 'diff') = (to_jsonb(OLD) - 'diff') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;--> statement-breakpoint
-- The worker's door to deleting an agency: only one whose deletion platform staff asked for; everything it owns
-- goes by the foreign keys' cascades. Returns whether there was such an agency.
-- Its search path includes public: the tables' own triggers (counts, stats) name tables unqualified; the runtime roles
-- cannot create objects there.
CREATE FUNCTION "delete_requested_agency"(p_agency uuid)
RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_n integer;
BEGIN
  PERFORM 1 FROM public.agencies
   WHERE id = p_agency AND deletion_requested_at IS NOT NULL AND status = 'suspended' FOR UPDATE;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  -- Rows that point at members or at each other without a cascade go first, in an order that leaves nothing
  -- pointing at a row about to go; the rest follow the agency by their cascades.
  DELETE FROM public.whatsapp_conversations WHERE agency_id = p_agency;
  DELETE FROM public.properties WHERE agency_id = p_agency;
  DELETE FROM public.leads WHERE agency_id = p_agency;
  DELETE FROM public.clients WHERE agency_id = p_agency;
  DELETE FROM public.agencies WHERE id = p_agency;
  GET DIAGNOSTICS v_n = ROW_COUNT;
  RETURN v_n > 0;
END $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION "delete_requested_agency"(uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "delete_requested_agency"(uuid) TO impera_app;
