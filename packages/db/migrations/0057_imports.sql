CREATE TYPE "public"."import_duplicate_policy" AS ENUM('skip', 'update', 'create');--> statement-breakpoint
CREATE TYPE "public"."import_kind" AS ENUM('leads');--> statement-breakpoint
CREATE TYPE "public"."import_row_outcome" AS ENUM('create', 'update', 'skip', 'refuse');--> statement-breakpoint
CREATE TYPE "public"."import_status" AS ENUM('uploaded', 'validating', 'validated', 'running', 'done', 'cancelled', 'failed', 'undone');--> statement-breakpoint
CREATE TABLE "import_rows" (
	"agency_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"row" integer NOT NULL,
	"outcome" "import_row_outcome" NOT NULL,
	"reasons" text[] NOT NULL,
	"record_id" uuid,
	"change" jsonb,
	CONSTRAINT "import_rows_import_id_row_pk" PRIMARY KEY("import_id","row")
);
--> statement-breakpoint
ALTER TABLE "import_rows" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"kind" "import_kind" NOT NULL,
	"status" "import_status" DEFAULT 'uploaded' NOT NULL,
	"file_name" text NOT NULL,
	"file_key" text,
	"file_bytes" integer NOT NULL,
	"format" text NOT NULL,
	"encoding" text,
	"separator" text,
	"headers" text[] NOT NULL,
	"sample" jsonb NOT NULL,
	"mapping" jsonb,
	"duplicate_policy" "import_duplicate_policy" DEFAULT 'skip' NOT NULL,
	"total_rows" integer,
	"processed_rows" integer DEFAULT 0 NOT NULL,
	"planned" jsonb,
	"done" jsonb DEFAULT '{"create":0,"update":0,"skip":0,"refuse":0}'::jsonb NOT NULL,
	"error" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"file_expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "imports_agency_id_id_key" UNIQUE("agency_id","id")
);
--> statement-breakpoint
ALTER TABLE "imports" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "import_id" uuid;--> statement-breakpoint
ALTER TABLE "import_rows" ADD CONSTRAINT "import_rows_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_rows" ADD CONSTRAINT "import_rows_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_rows_agency_import_idx" ON "import_rows" USING btree ("agency_id","import_id","row");--> statement-breakpoint
CREATE INDEX "imports_agency_created_idx" ON "imports" USING btree ("agency_id","created_at");--> statement-breakpoint
CREATE INDEX "imports_file_expiry_idx" ON "imports" USING btree ("file_expires_at") WHERE "imports"."file_key" is not null;--> statement-breakpoint
CREATE INDEX "leads_agency_import_idx" ON "leads" USING btree ("agency_id","import_id") WHERE "leads"."import_id" is not null;--> statement-breakpoint
CREATE POLICY "import_rows_fence_select" ON "import_rows" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("import_rows"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "import_rows_fence_insert" ON "import_rows" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("import_rows"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "import_rows_fence_update" ON "import_rows" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("import_rows"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("import_rows"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "import_rows_fence_delete" ON "import_rows" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("import_rows"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "import_rows_member_select" ON "import_rows" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "import_rows_member_insert" ON "import_rows" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "import_rows_member_update" ON "import_rows" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "import_rows_member_delete" ON "import_rows" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "imports_fence_select" ON "imports" AS RESTRICTIVE FOR SELECT TO "app_rls" USING ("imports"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "imports_fence_insert" ON "imports" AS RESTRICTIVE FOR INSERT TO "app_rls" WITH CHECK ("imports"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "imports_fence_update" ON "imports" AS RESTRICTIVE FOR UPDATE TO "app_rls" USING ("imports"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK ("imports"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "imports_fence_delete" ON "imports" AS RESTRICTIVE FOR DELETE TO "app_rls" USING ("imports"."agency_id" = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "imports_member_select" ON "imports" AS PERMISSIVE FOR SELECT TO "app_rls" USING (true);--> statement-breakpoint
CREATE POLICY "imports_member_insert" ON "imports" AS PERMISSIVE FOR INSERT TO "app_rls" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "imports_member_update" ON "imports" AS PERMISSIVE FOR UPDATE TO "app_rls" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "imports_member_delete" ON "imports" AS PERMISSIVE FOR DELETE TO "app_rls" USING (true);--> statement-breakpoint
-- Hand-written part (decision 024): FORCE RLS and grants for the new tenant tables.
ALTER TABLE "imports" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "import_rows" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "imports", "import_rows" TO app_rls;
