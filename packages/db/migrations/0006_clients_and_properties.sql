CREATE TYPE "public"."client_event_kind" AS ENUM('created', 'edited', 'assigned', 'lead_linked', 'deleted', 'restored');--> statement-breakpoint
CREATE TYPE "public"."property_event_kind" AS ENUM('created', 'edited', 'status_changed', 'assigned', 'deleted', 'restored');--> statement-breakpoint
CREATE TYPE "public"."property_purpose" AS ENUM('sale', 'rent', 'both');--> statement-breakpoint
CREATE TYPE "public"."property_status" AS ENUM('available', 'reserved', 'sold', 'rented', 'off_market');--> statement-breakpoint
CREATE TYPE "public"."property_type" AS ENUM('apartment', 'house', 'land', 'commercial', 'rural', 'other');--> statement-breakpoint
ALTER TYPE "public"."lead_event_kind" ADD VALUE 'converted';--> statement-breakpoint
ALTER TYPE "public"."lead_event_kind" ADD VALUE 'property_linked';--> statement-breakpoint
ALTER TYPE "public"."lead_event_kind" ADD VALUE 'property_unlinked';--> statement-breakpoint
CREATE TABLE "client_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"actor_user_id" uuid,
	"kind" "client_event_kind" NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "client_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "client_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"author_id" uuid,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "client_notes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"name" text NOT NULL,
	"types" text[] DEFAULT '{}'::text[] NOT NULL,
	"phones" text[] DEFAULT '{}'::text[] NOT NULL,
	"email" text,
	"document" text,
	"street" text,
	"number" text,
	"complement" text,
	"neighbourhood" text,
	"city" text,
	"state" text,
	"postal_code" text,
	"country" text,
	"birth_date" date,
	"notes" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"assigned_to" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_by" uuid,
	CONSTRAINT "clients_agency_id_id_key" UNIQUE("agency_id","id")
);
--> statement-breakpoint
ALTER TABLE "clients" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "lead_properties" (
	"agency_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"property_id" uuid NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_properties_pkey" PRIMARY KEY("agency_id","lead_id","property_id")
);
--> statement-breakpoint
ALTER TABLE "lead_properties" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "properties" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"street" text,
	"number" text,
	"complement" text,
	"neighbourhood" text,
	"city" text,
	"state" text,
	"postal_code" text,
	"country" text,
	"type" "property_type" NOT NULL,
	"purpose" "property_purpose" NOT NULL,
	"sale_price" bigint,
	"rent_price" bigint,
	"condo_fee" bigint,
	"property_tax" bigint,
	"built_area" numeric(10, 2),
	"total_area" numeric(10, 2),
	"bedrooms" integer,
	"suites" integer,
	"bathrooms" integer,
	"parking_spaces" integer,
	"features" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" "property_status" DEFAULT 'available' NOT NULL,
	"status_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"description" text,
	"owner_client_id" uuid,
	"assigned_to" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_by" uuid,
	CONSTRAINT "properties_agency_id_id_key" UNIQUE("agency_id","id")
);
--> statement-breakpoint
ALTER TABLE "properties" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "property_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"property_id" uuid NOT NULL,
	"actor_user_id" uuid,
	"kind" "property_event_kind" NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "property_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "property_photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"property_id" uuid NOT NULL,
	"storage_key" text NOT NULL,
	"thumb_key" text NOT NULL,
	"original_name" text,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"bytes" integer NOT NULL,
	"position" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "property_photos" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "client_id" uuid;--> statement-breakpoint
ALTER TABLE "client_events" ADD CONSTRAINT "client_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_events" ADD CONSTRAINT "client_events_client_fk" FOREIGN KEY ("agency_id","client_id") REFERENCES "public"."clients"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_notes" ADD CONSTRAINT "client_notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_notes" ADD CONSTRAINT "client_notes_client_fk" FOREIGN KEY ("agency_id","client_id") REFERENCES "public"."clients"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_deleted_by_users_id_fk" FOREIGN KEY ("deleted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_assignee_member_fk" FOREIGN KEY ("agency_id","assigned_to") REFERENCES "public"."memberships"("agency_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_properties" ADD CONSTRAINT "lead_properties_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_properties" ADD CONSTRAINT "lead_properties_lead_fk" FOREIGN KEY ("agency_id","lead_id") REFERENCES "public"."leads"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_properties" ADD CONSTRAINT "lead_properties_property_fk" FOREIGN KEY ("agency_id","property_id") REFERENCES "public"."properties"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "properties" ADD CONSTRAINT "properties_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "properties" ADD CONSTRAINT "properties_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "properties" ADD CONSTRAINT "properties_deleted_by_users_id_fk" FOREIGN KEY ("deleted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "properties" ADD CONSTRAINT "properties_owner_client_fk" FOREIGN KEY ("agency_id","owner_client_id") REFERENCES "public"."clients"("agency_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "properties" ADD CONSTRAINT "properties_assignee_member_fk" FOREIGN KEY ("agency_id","assigned_to") REFERENCES "public"."memberships"("agency_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "property_events" ADD CONSTRAINT "property_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "property_events" ADD CONSTRAINT "property_events_property_fk" FOREIGN KEY ("agency_id","property_id") REFERENCES "public"."properties"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "property_photos" ADD CONSTRAINT "property_photos_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "property_photos" ADD CONSTRAINT "property_photos_property_fk" FOREIGN KEY ("agency_id","property_id") REFERENCES "public"."properties"("agency_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "client_events_agency_client_at_idx" ON "client_events" USING btree ("agency_id","client_id","at");--> statement-breakpoint
CREATE INDEX "client_notes_agency_client_idx" ON "client_notes" USING btree ("agency_id","client_id","created_at");--> statement-breakpoint
CREATE INDEX "clients_agency_name_idx" ON "clients" USING btree ("agency_id","name");--> statement-breakpoint
CREATE INDEX "clients_agency_assigned_idx" ON "clients" USING btree ("agency_id","assigned_to");--> statement-breakpoint
CREATE INDEX "clients_phones_gin_idx" ON "clients" USING gin ("phones");--> statement-breakpoint
CREATE UNIQUE INDEX "clients_agency_document_key" ON "clients" USING btree ("agency_id","document") WHERE document is not null and deleted_at is null;--> statement-breakpoint
CREATE INDEX "lead_properties_agency_property_idx" ON "lead_properties" USING btree ("agency_id","property_id");--> statement-breakpoint
CREATE UNIQUE INDEX "properties_agency_code_key" ON "properties" USING btree ("agency_id",lower("code"));--> statement-breakpoint
CREATE INDEX "properties_agency_created_idx" ON "properties" USING btree ("agency_id","created_at");--> statement-breakpoint
CREATE INDEX "properties_agency_status_idx" ON "properties" USING btree ("agency_id","status");--> statement-breakpoint
CREATE INDEX "properties_agency_assigned_idx" ON "properties" USING btree ("agency_id","assigned_to");--> statement-breakpoint
CREATE INDEX "properties_agency_owner_idx" ON "properties" USING btree ("agency_id","owner_client_id");--> statement-breakpoint
CREATE INDEX "property_events_agency_property_at_idx" ON "property_events" USING btree ("agency_id","property_id","at");--> statement-breakpoint
CREATE INDEX "property_photos_agency_property_idx" ON "property_photos" USING btree ("agency_id","property_id","position");--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_client_fk" FOREIGN KEY ("agency_id","client_id") REFERENCES "public"."clients"("agency_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "leads_agency_client_idx" ON "leads" USING btree ("agency_id","client_id");--> statement-breakpoint
CREATE POLICY "client_events_fence_select" ON "client_events" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("client_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "client_events_fence_insert" ON "client_events" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("client_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "client_events_fence_update" ON "client_events" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("client_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("client_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "client_events_fence_delete" ON "client_events" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("client_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "client_events_member_select" ON "client_events" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "client_events_member_insert" ON "client_events" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "client_events_member_update" ON "client_events" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "client_events_member_delete" ON "client_events" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "client_notes_fence_select" ON "client_notes" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("client_notes"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "client_notes_fence_insert" ON "client_notes" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("client_notes"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "client_notes_fence_update" ON "client_notes" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("client_notes"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("client_notes"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "client_notes_fence_delete" ON "client_notes" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("client_notes"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "client_notes_member_select" ON "client_notes" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "client_notes_member_insert" ON "client_notes" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "client_notes_member_update" ON "client_notes" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "client_notes_member_delete" ON "client_notes" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "clients_fence_select" ON "clients" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("clients"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "clients_fence_insert" ON "clients" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("clients"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "clients_fence_update" ON "clients" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("clients"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("clients"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "clients_fence_delete" ON "clients" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("clients"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "clients_member_select" ON "clients" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "clients_member_insert" ON "clients" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "clients_member_update" ON "clients" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "clients_member_delete" ON "clients" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "lead_properties_fence_select" ON "lead_properties" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("lead_properties"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "lead_properties_fence_insert" ON "lead_properties" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("lead_properties"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "lead_properties_fence_update" ON "lead_properties" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("lead_properties"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("lead_properties"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "lead_properties_fence_delete" ON "lead_properties" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("lead_properties"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "lead_properties_member_select" ON "lead_properties" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "lead_properties_member_insert" ON "lead_properties" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "lead_properties_member_update" ON "lead_properties" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "lead_properties_member_delete" ON "lead_properties" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "properties_fence_select" ON "properties" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("properties"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "properties_fence_insert" ON "properties" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("properties"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "properties_fence_update" ON "properties" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("properties"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("properties"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "properties_fence_delete" ON "properties" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("properties"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "properties_member_select" ON "properties" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "properties_member_insert" ON "properties" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "properties_member_update" ON "properties" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "properties_member_delete" ON "properties" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "property_events_fence_select" ON "property_events" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("property_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "property_events_fence_insert" ON "property_events" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("property_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "property_events_fence_update" ON "property_events" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("property_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("property_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "property_events_fence_delete" ON "property_events" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("property_events"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "property_events_member_select" ON "property_events" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "property_events_member_insert" ON "property_events" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "property_events_member_update" ON "property_events" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "property_events_member_delete" ON "property_events" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "property_photos_fence_select" ON "property_photos" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("property_photos"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "property_photos_fence_insert" ON "property_photos" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("property_photos"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "property_photos_fence_update" ON "property_photos" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("property_photos"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("property_photos"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "property_photos_fence_delete" ON "property_photos" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("property_photos"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "property_photos_member_select" ON "property_photos" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "property_photos_member_insert" ON "property_photos" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "property_photos_member_update" ON "property_photos" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "property_photos_member_delete" ON "property_photos" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);