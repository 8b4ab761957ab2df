-- The lists' filters and text search answered from the index (issue 6): the stored search_doc (and the filtered
-- columns) ride along, so counting a filtered, searched list reads index entries, not table rows.
DROP INDEX "leads_agency_created_cover_idx";--> statement-breakpoint
CREATE INDEX "leads_agency_created_cover_idx" ON "leads" USING btree ("agency_id", "created_at", "id")
  INCLUDE ("first_contact_at", "status", "source", "assigned_to", "interest", "updated_at", "search_doc") WHERE "deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "properties_agency_created_cover_idx" ON "properties" USING btree ("agency_id", "created_at", "id")
  INCLUDE ("status", "type", "purpose", "bedrooms", "sale_price", "rent_price", "assigned_to", "search_doc") WHERE "deleted_at" IS NULL;
