CREATE TYPE "public"."visit_confirmation_state" AS ENUM('sent', 'confirmed', 'declined', 'replied', 'failed');--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'visit_reply';--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "visit_confirmation_template" text;--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "visit_confirmation_language" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "confirmation_state" "visit_confirmation_state";--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "confirmation_conversation_id" uuid;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "confirmation_reply" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "confirmation_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "tasks_agency_confirm_idx" ON "tasks" USING btree ("agency_id","due_at") WHERE "tasks"."kind" = 'visit' and "tasks"."status" = 'open' and "tasks"."confirmation_state" is null;--> statement-breakpoint
CREATE INDEX "tasks_agency_confirmation_conversation_idx" ON "tasks" USING btree ("agency_id","confirmation_conversation_id") WHERE "tasks"."confirmation_conversation_id" is not null;