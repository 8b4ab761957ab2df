CREATE TYPE "public"."whatsapp_lead_rule" AS ENUM('unassigned', 'round_robin', 'member');--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "whatsapp_lead_rule" "whatsapp_lead_rule" DEFAULT 'unassigned' NOT NULL;--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "whatsapp_lead_member" uuid;