ALTER TABLE "agencies" ADD COLUMN "brand_color" text;--> statement-breakpoint
ALTER TABLE "agencies" ADD COLUMN "logo_key" text;--> statement-breakpoint
ALTER TABLE "agencies" ADD CONSTRAINT "agencies_brand_color" CHECK ("agencies"."brand_color" ~ '^#[0-9a-f]{6}$');