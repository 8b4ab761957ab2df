ALTER TYPE "public"."import_kind" ADD VALUE 'clients';--> statement-breakpoint
ALTER TYPE "public"."import_kind" ADD VALUE 'properties';--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "import_id" uuid;--> statement-breakpoint
ALTER TABLE "properties" ADD COLUMN "import_id" uuid;--> statement-breakpoint
CREATE INDEX "clients_agency_email_idx" ON "clients" USING btree ("agency_id",lower("email"));--> statement-breakpoint
CREATE INDEX "clients_agency_import_idx" ON "clients" USING btree ("agency_id","import_id") WHERE "clients"."import_id" is not null;--> statement-breakpoint
CREATE INDEX "properties_agency_import_idx" ON "properties" USING btree ("agency_id","import_id") WHERE "properties"."import_id" is not null;