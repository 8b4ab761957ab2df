DROP INDEX "lead_events_agency_kind_at_idx";--> statement-breakpoint
DROP INDEX "whatsapp_messages_agency_created_idx";--> statement-breakpoint
ALTER TABLE "lead_events" ADD COLUMN "to_status" text GENERATED ALWAYS AS (data ->> 'to') STORED;