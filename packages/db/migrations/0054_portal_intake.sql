CREATE TYPE "public"."portal_kind" AS ENUM('grupo_olx');--> statement-breakpoint
CREATE TYPE "public"."portal_lead_outcome" AS ENUM('created', 'merged', 'duplicate');--> statement-breakpoint
ALTER TYPE "public"."lead_event_kind" ADD VALUE 'inquiry';--> statement-breakpoint
CREATE TABLE "portal_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"portal" "portal_kind" NOT NULL,
	"token" text NOT NULL,
	"secret_hash" text NOT NULL,
	"secret_hint" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_received_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "portal_connections" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "portal_lead_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "portal_lead_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"agency_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"portal" "portal_kind" NOT NULL,
	"headers" jsonb NOT NULL,
	"raw_body" "bytea" NOT NULL,
	"origin_lead_id" text NOT NULL,
	"listing_code" text NOT NULL,
	"state" "whatsapp_event_state" DEFAULT 'pending' NOT NULL,
	"outcome" "portal_lead_outcome",
	"lead_id" uuid,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "portal_lead_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "portal_connections" ADD CONSTRAINT "portal_connections_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_connections" ADD CONSTRAINT "portal_connections_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_lead_events" ADD CONSTRAINT "portal_lead_events_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "portal_connections_token_key" ON "portal_connections" USING btree ("token");--> statement-breakpoint
CREATE UNIQUE INDEX "portal_connections_agency_portal_key" ON "portal_connections" USING btree ("agency_id","portal");--> statement-breakpoint
CREATE INDEX "portal_lead_events_agency_received_idx" ON "portal_lead_events" USING btree ("agency_id","received_at");--> statement-breakpoint
CREATE INDEX "portal_lead_events_origin_idx" ON "portal_lead_events" USING btree ("agency_id","portal","origin_lead_id");--> statement-breakpoint
CREATE POLICY "portal_connections_fence_select" ON "portal_connections" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("portal_connections"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "portal_connections_fence_insert" ON "portal_connections" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("portal_connections"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "portal_connections_fence_update" ON "portal_connections" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("portal_connections"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("portal_connections"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "portal_connections_fence_delete" ON "portal_connections" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("portal_connections"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "portal_connections_member_select" ON "portal_connections" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "portal_connections_member_insert" ON "portal_connections" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "portal_connections_member_update" ON "portal_connections" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "portal_connections_member_delete" ON "portal_connections" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "portal_connections_system_by_token" ON "portal_connections" AS PERMISSIVE FOR SELECT TO "impera_app" USING ("portal_connections"."token" = (select nullif(current_setting('app.portal_token', true), '')));--> statement-breakpoint
CREATE POLICY "portal_lead_events_fence_select" ON "portal_lead_events" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("portal_lead_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "portal_lead_events_fence_insert" ON "portal_lead_events" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("portal_lead_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "portal_lead_events_fence_update" ON "portal_lead_events" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("portal_lead_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("portal_lead_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "portal_lead_events_fence_delete" ON "portal_lead_events" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("portal_lead_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "portal_lead_events_member_select" ON "portal_lead_events" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "portal_lead_events_member_insert" ON "portal_lead_events" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "portal_lead_events_member_update" ON "portal_lead_events" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "portal_lead_events_member_delete" ON "portal_lead_events" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
-- Hand-written part (decision 022): FORCE RLS and grants for the new tenant tables; the login role reads one
-- connection by its token (the intake door), nothing else.
ALTER TABLE "portal_connections" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "portal_lead_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "portal_connections", "portal_lead_events" TO app_rls;--> statement-breakpoint
GRANT SELECT ON "portal_connections" TO impera_app;
